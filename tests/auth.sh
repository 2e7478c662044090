# tests/auth.sh -- the PAM layer (auth/) against real libpam, under
# pam_wrapper: no /etc/pam.d, no root, no real accounts.
#
# Writes a scratch PAM service directory, then runs tests/test-auth (the
# cmocka program) with libpam_wrapper.so preloaded.  The services:
#   pw           pam_matrix password; pam_matrix account (alice only:
#                bob's passdb line names another service)
#   pw-verbose   pam_matrix verbose: an info or error message after the
#                password, in a call of its own that expects no answer
#   chatty       pam_chatty (8 infos, 8 errors, one per call), then
#                pam_matrix; pam_chatty has no pam_sm_setcred, so its
#                verdict is ignored (setcred replays the auth chain)
#   fp           tests/pam_fakefp.so driven by fp.script, max-tries=2
#   fp-multi     pam_fakefp multi: 4 messages (2 prompts) in one call
#   fp-escape    pam_fakefp escape: hostile message texts
#   fp-flood     300 messages without a prompt (over the limit)
#   fp-chatter   200 messages (under it)
#   fp-scribble  a module writing garbage on daicho's socket
#   fp-fallback  fingerprint first, then password, as etc/pam.d ships it
#   fp-sessfail  a session module that fails
#   expired      account says PAM_NEW_AUTHTOK_REQD; pam_matrix changes it
#   pw2          pam_matrix on the passdb the expired case rewrites
#   other        pam_deny (pam_wrapper wants an "other")
#
# Then the shipped etc/pam.d/daicho and daicho-fingerprint, with the real
# pam_unix and pam_faillock, over a copy of /etc in a private mount
# namespace (tests/env-pamunix.sh; needs root): an expired password
# refused, then changed in the conversation, the lock-out after five
# failures, and the fingerprint stack falling back to the password when
# there is no fprintd.  The real pam_fprintd is left to the console tests.
#
# make check sets DAICHO (the binary; the tests sit beside it in tests/);
# TEST_AUTH and PAM_FAKEFP override where the two test objects are.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/env-pamunix.sh"

B=$(dirname "$DAICHO")
TEST_AUTH=${TEST_AUTH:-$B/tests/test-auth}
PAM_FAKEFP=${PAM_FAKEFP:-$B/tests/pam_fakefp.so}
for f in "$TEST_AUTH" "$PAM_FAKEFP"; do
	if [ ! -f "$f" ]; then
		echo "FATAL: $TEST_AUTH: $f is not built" >&2
		exit 99
	fi
done

# pam_wrapper (Debian: libpam-wrapper): the library and its test modules.
PW_LIB=
PW_MOD=
if command -v pkg-config >/dev/null 2>&1 &&
    pkg-config --exists pam_wrapper 2>/dev/null; then
	PW_LIB=$(pkg-config --libs pam_wrapper)
	PW_MOD=$(pkg-config --variable=modules pam_wrapper)
fi
if [ -z "$PW_LIB" ] || [ ! -f "$PW_LIB" ]; then
	for d in /usr/lib/*-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
		if [ -f "$d/libpam_wrapper.so" ]; then
			PW_LIB=$d/libpam_wrapper.so
			PW_MOD=$d/pam_wrapper
			break
		fi
	done
fi
if [ -z "$PW_LIB" ] || [ ! -f "$PW_MOD/pam_matrix.so" ] ||
    [ ! -f "$PW_MOD/pam_chatty.so" ]; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs pam_wrapper (libpam-wrapper)" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs pam_wrapper (libpam-wrapper)" >&2
	exit 77
fi

P=$T/pam
mkdir -p "$P"
FP=$PAM_FAKEFP
MATRIX="$PW_MOD/pam_matrix.so passdb=$T/passdb"
FPARGS="script=$T/fp.script log=$T/fp.log max-tries=2"
LOG="log=$T/fp.log"

printf '%s\n' 'alice:secret:pw' 'bob:bobpw:elsewhere' >"$T/passdb"
printf '%s\n' 'carol:oldpw:expired' 'dave:oldpw:expired' >"$T/passdb2"
: >"$T/fp.script"
: >"$T/fp.log"

cat >"$P/other" <<EOF
auth		required	pam_deny.so
account		required	pam_deny.so
password	required	pam_deny.so
session		required	pam_deny.so
EOF
cat >"$P/pw" <<EOF
auth		required	$MATRIX
account		required	$MATRIX
EOF
cat >"$P/pw-verbose" <<EOF
auth		required	$MATRIX verbose
account		required	$FP $LOG
EOF
cat >"$P/chatty" <<EOF
auth		[default=ignore]	$PW_MOD/pam_chatty.so num_lines=8 info error
auth		required	$MATRIX
account		required	$FP $LOG
EOF
cat >"$P/fp" <<EOF
auth		required	$FP $FPARGS
account		required	$FP $LOG
session		required	$FP $LOG
EOF
cat >"$P/fp-multi" <<EOF
auth		required	$FP multi $LOG
account		required	$FP $LOG
EOF
cat >"$P/fp-escape" <<EOF
auth		required	$FP escape $FPARGS
account		required	$FP $LOG
EOF
cat >"$P/fp-flood" <<EOF
auth		required	$FP flood=300 $FPARGS
account		required	$FP $LOG
EOF
cat >"$P/fp-chatter" <<EOF
auth		required	$FP flood=200 $FPARGS
account		required	$FP $LOG
EOF
cat >"$P/fp-scribble" <<EOF
auth		required	$FP scribble $FPARGS
account		required	$FP $LOG
EOF
cat >"$P/fp-fallback" <<EOF
auth		[success=done default=ignore]	$FP $FPARGS
auth		required	$MATRIX
account		required	$FP $LOG
EOF
cat >"$P/fp-sessfail" <<EOF
auth		required	$FP $FPARGS
account		required	$FP $LOG
session		required	$FP $LOG session=fail
EOF
cat >"$P/expired" <<EOF
auth		required	$PW_MOD/pam_matrix.so passdb=$T/passdb2
account		required	$FP $LOG acct=expired
password	required	$PW_MOD/pam_matrix.so passdb=$T/passdb2
EOF
cat >"$P/pw2" <<EOF
auth		required	$PW_MOD/pam_matrix.so passdb=$T/passdb2
account		required	$FP $LOG
EOF

# pam_wrapper's copies of the services race between processes: hold the
# shared lock (tests/lib.sh); a sanitizer build's runtime goes first.
pam_wrapper_lock

set +e
env LD_PRELOAD="${SAN_PRELOAD:+$SAN_PRELOAD }$PW_LIB" PAM_WRAPPER=1 \
    PAM_WRAPPER_SERVICE_DIR="$P" \
    AUTH_TEST_DIR="$T" "$TEST_AUTH" >"$T/out" 2>&1 </dev/null
rc=$?
set -e
cat "$T/out"
case $rc in
0)	ok "test-auth under pam_wrapper" ;;
77)	echo "SKIP: test-auth skipped itself" >&2; exit 77 ;;
*)	fail "test-auth under pam_wrapper exited $rc" ;;
esac
# shellcheck disable=SC2015 # ok and fail return 0
if grep -q 'FAILED' "$T/out"; then
	fail "cmocka reports a case failed"
elif grep -q 'PASSED' "$T/out"; then
	ok "cmocka reports its cases passed"
else
	fail "no PASSED line from cmocka"
fi

# askpass WANT DESCRIPTION SERVICE ARGS... -- answers on standard input:
# test-auth --askpass in the fake /etc; its exit status is the result.
askpass() {
	want=$1
	desc=$2
	shift 2
	set +e
	OUT=$(pamunix_run "$PU" env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent \
	    ${SAN_PRELOAD:+LD_PRELOAD="$SAN_PRELOAD"} \
	    "$TEST_AUTH" --askpass "$@" 2>&1)
	rc=$?
	set -e
	if [ "$rc" -ne "$want" ]; then
		fail "$desc: exit $rc, wanted $want; output:
$OUT"
		return 0
	fi
	ok "$desc"
}

if ! (pamunix_need) >/dev/null 2>&1; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		fail "the shipped PAM files need root and unshare -m"
	else
		echo "# skipped the shipped PAM files: need root and unshare -m"
	fi
	finish
fi
PU=$T/pu
pamunix_setup "$PU" 2>/dev/null
U=$PAMUNIX_USER
OLD=$PAMUNIX_PASS
NEW=N3w-Daicho-pass-77
# The shipped files as they are, but for pam_faillock's tallies (here,
# not in /run) and the 2 s delay after each failure.
mkdir -p "$T/faillock"
for f in daicho daicho-fingerprint daicho-fingerprint-and-password; do
	sed -e "s|pam_faillock.so \([a-z]*\)|pam_faillock.so \1 dir=$T/faillock nodelay|" \
	    -e 's|^\(auth.*pam_unix.so\)|\1 nodelay|' \
	    "$srcdir/etc/pam.d/$f" | pamunix_service "$PU" "$f"
done
# result codes: 0 ok, 1 denied, 4 password expired
askpass 4 "shipped daicho: an expired password is refused" daicho "$U" <<EOF
$OLD
EOF
expect_out "change your password" "pam_unix says why"
askpass 0 "shipped daicho: the expired password is changed in the conversation" \
    daicho "$U" chauthtok <<EOF
$OLD
$OLD
$NEW
$NEW
EOF
askpass 0 "shipped daicho: the new password works" daicho "$U" <<EOF
$NEW
EOF
askpass 0 "shipped daicho-fingerprint: no fprintd, the password" \
    daicho-fingerprint "$U" <<EOF
$NEW
EOF
# Both factors: without a reader the right password is not enough, and
# it is no failure (2 = unavailable); the password is never asked for.
askpass 2 "shipped daicho-fingerprint-and-password: no fprintd, no login" \
    daicho-fingerprint-and-password "$U" <<EOF
$NEW
EOF
printf '%s\n' "$OUT" | grep -qi 'password:' &&
    fail "the password was asked for without a finger" ||
    ok "the password is not asked for without a finger"
for i in 1 2 3 4 5; do
	askpass 1 "shipped daicho: wrong password $i" daicho "$U" <<EOF
wrong-$i
EOF
done
askpass 1 "shipped daicho: locked out after 5 failures" daicho "$U" <<EOF
$NEW
EOF
expect_out "locked" "pam_faillock says the account is locked"
askpass 1 "shipped daicho-fingerprint: locked out too" \
    daicho-fingerprint "$U" <<EOF
$NEW
EOF
askpass 1 "shipped daicho-fingerprint-and-password: locked out too" \
    daicho-fingerprint-and-password "$U" <<EOF
$NEW
EOF
finish
