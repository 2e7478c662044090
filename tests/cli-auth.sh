# tests/cli-auth.sh -- commands that change state authenticate through
# PAM: --user names the operator, --approver the second person, and
# --askpass-fd feeds the answers.  Under pam_wrapper with the demo's PAM
# files (pam_matrix), as "daicho --demo" sets them up.
. "$srcdir/tests/lib.sh"
need flock
pam_wrapper_lock

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -d "$D/pam" ] && ok "the demo city has its PAM files" || fail "no $D/pam"
# Password only, so the answers on the descriptor are what PAM reads.
# The refusals below are more than the failed-login lock allows (it is
# tried at the end, with its own ledger).
printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\nlogin_attempts = 20\n' \
    >"$T/cli.conf"
chmod 600 "$T/cli.conf"

# pw CMD...: run daicho under pam_wrapper with the test configuration.
pw() {
	env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
	    "$@"
}

size() {
	"$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }'
}

printf 'demo\ndemo\n' >"$T/answers"
expect_rc 0 "operator add with both people authenticated" \
    pw operator add newop auditor --dir "$D" --user demo-admin \
    --approver demo-approver --askpass-fd 3 3<"$T/answers"
"$DAICHO" log --dir "$D" >"$T/log"
grep -Eq 'operator.add +demo-admin\+demo-approver +operator:newop' "$T/log" &&
    ok "the entry names both people" || fail "no two-person entry: $(tail -5 "$T/log")"

before=$(size)
printf 'wrong\n' >"$T/bad"
expect_rc 2 "a wrong password is refused" \
    pw operator add x1 auditor --dir "$D" --user demo-admin \
    --approver demo-approver --askpass-fd 3 3<"$T/bad"
expect_out "authentication failed" "it says so"
[ "$(size)" = $((before + 1)) ] && ok "only the failure was recorded" ||
    fail "ledger went from $before to $(size)"
"$DAICHO" log --dir "$D" --from "$before" | grep -q 'session.failure' &&
    ok "as session.failure" || fail "no failure entry"

expect_rc 2 "the same person cannot approve" \
    pw operator add x2 auditor --dir "$D" --user demo-admin \
    --approver demo-admin --askpass-fd 3 3<"$T/answers"
expect_out "someone other than the operator" "it says why"
expect_rc 2 "no approver given" \
    pw operator add x3 auditor --dir "$D" --user demo-admin \
    --askpass-fd 3 3<"$T/answers"
expect_out "needs a second person" "it says a second person is needed"
expect_rc 2 "an auditor may not add operators" \
    pw operator add x4 auditor --dir "$D" --user demo-auditor \
    --approver demo-approver --askpass-fd 3 3<"$T/answers"
expect_out "does not hold the role" "it names the role problem"
expect_rc 2 "an approver who is no approver" \
    pw operator add x5 auditor --dir "$D" --user demo-admin \
    --approver demo-auditor --askpass-fd 3 3<"$T/answers"
expect_rc 2 "end of answers is a failure, not a hang" \
    pw operator remove newop --dir "$D" --user demo-admin \
    --approver demo-approver --askpass-fd 3 3</dev/null
expect_rc 0 "operator remove" \
    pw operator remove newop --dir "$D" --user demo-admin \
    --approver demo-approver --askpass-fd 3 3<"$T/answers"
expect_rc 0 "operator role" \
    pw operator role demo-auditor admin --dir "$D" --user demo-admin \
    --approver demo-approver --askpass-fd 3 3<"$T/answers"

# init --operator: the first admin authenticates before anything is made.
expect_rc 2 "init --operator with a wrong password" \
    pw init --dir "$T/new" --operator demo-admin --askpass-fd 3 3<"$T/bad"
[ ! -e "$T/new" ] && ok "and nothing was made" || fail "$T/new exists"
expect_rc 0 "init --operator" \
    pw init --dir "$T/new" --operator demo-admin --askpass-fd 3 \
    3<"$T/answers"
expect_out "demo-admin is its first admin" "init names the first admin"
"$DAICHO" log --dir "$T/new" >"$T/newlog"
grep -Eq 'operator.add +@system +operator:demo-admin' "$T/newlog" &&
    ok "made by the system as the first operator" || fail "$(cat "$T/newlog")"
# --- the failed-login lock of the terminal, as at the console: three
# refused passwords at this terminal ("cli": no tty) lock it for 15
# minutes, even against the right password, without asking for one.
printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\nlogin_attempts = 3\nlogin_lockout_minutes = 15\n' \
    >"$T/cli.conf"
for i in 1 2 3; do
	expect_rc 2 "a wrong password ($i)" \
	    pw operator add lock$i auditor --dir "$T/new" --user demo-admin \
	    --askpass-fd 3 3<"$T/bad"
done
expect_out "too many failed logins" "the third says the terminal is now locked"
"$DAICHO" log --dir "$T/new" | grep -c 'session\.failure' >"$T/n"
[ "$(cat "$T/n")" = 3 ] && ok "three session.failure entries" ||
    fail "$(cat "$T/n") session.failure entries"
expect_rc 2 "the right password is refused while locked" \
    pw operator add lock4 auditor --dir "$T/new" --user demo-admin \
    --askpass-fd 3 3<"$T/answers"
expect_out "too many failed logins at cli: refused until" \
    "it says the terminal is locked, and until when"
printf '%s\n' "$OUT" | grep -q 'Password' &&
    fail "a password was asked for while locked" ||
    ok "no password was asked for"
"$DAICHO" log --dir "$T/new" | grep -q 'operator:lock4' &&
    fail "lock4 was added while locked" || ok "nothing was done"
FT=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ -r "$FT" ]; then
	expect_rc 0 "16 minutes later the right password works" \
	    env FAKETIME=+16m LD_PRELOAD="$PW_PRELOAD $FT" \
	    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" \
	    --config "$T/cli.conf" operator add lock5 auditor --dir "$T/new" \
	    --user demo-admin --askpass-fd 3 3<"$T/answers"
fi

# --- syslog, as at the console: the command line's refusals go to
# LOG_AUTHPRIV through core_login.  syslog(3) writes to /dev/log: in a
# private mount namespace, /dev is a directory of ours with a socket
# this test reads.
if unshare -m true 2>/dev/null && command -v python3 >/dev/null; then
	mkdir "$T/dev"
	: >"$T/dev/null"
	: >"$T/dev/urandom"
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
f = open(sys.argv[2], "ab", 0)
open(sys.argv[3], "w").close()
while True:
    f.write(s.recv(8192) + b"\n")
' "$T/dev/log" "$T/syslog" "$T/listening" &
	LOGGER=$!
	i=0
	while [ ! -e "$T/listening" ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# shellcheck disable=SC2016 # expanded by the inner shell
	in_ns() {
		unshare -m sh -c 'mount --bind /dev/null "$0/dev/null" &&
		    mount --bind /dev/urandom "$0/dev/urandom" &&
		    mount --rbind "$0/dev" /dev && exec "$@"' \
		    "$T" "$@"
	}
	# The terminal is locked by now: this check turns the lock off.
	printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\nlogin_attempts = 0\n' \
	    >"$T/nolock.conf"
	chmod 600 "$T/nolock.conf"
	expect_rc 2 "a wrong password, with syslog listening" \
	    in_ns env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/nolock.conf" \
	    operator add lock6 auditor --dir "$T/new" --user demo-admin \
	    --askpass-fd 3 3<"$T/bad"
	sleep 0.3
	kill "$LOGGER" 2>/dev/null || :
	wait "$LOGGER" 2>/dev/null || :
	grep -Eq 'daicho\[[0-9]+\]: command-line login: user=demo-admin tty=cli result=failure' \
	    "$T/syslog" 2>/dev/null &&
	    ok "the refusal is in syslog, as the console's are" ||
	    fail "no refusal in syslog: $(cat "$T/syslog" 2>/dev/null)"
	grep -Eq '^<8[0-7]>.*command-line login: user=demo-admin' "$T/syslog" &&
	    ok "at LOG_AUTHPRIV" || fail "not LOG_AUTHPRIV: $(head -1 "$T/syslog")"
else
	echo "# skipped the syslog check: needs unshare -m (root)"
fi

# --- auth_factors: a password-only fallback contradicts both factors.
printf 'auth_factors = fingerprint-and-password\npam_fallback_service = daicho\n' \
    >"$T/both.conf"
printf 'auth_factors = fingerprint\n' >"$T/bogus.conf"
chmod 600 "$T/both.conf" "$T/bogus.conf"
expect_rc 2 "fingerprint-and-password with a fallback service is refused" \
    "$DAICHO" --config "$T/both.conf" operator add x6 auditor --dir "$D" \
    --user demo-admin --askpass-fd 3 3<"$T/answers"
expect_out "both.conf:2: pam_fallback_service: .*no password-only fallback" \
    "naming the line and why"
expect_rc 2 "an unknown auth_factors is refused" \
    "$DAICHO" --config "$T/bogus.conf" operator add x7 auditor --dir "$D" \
    --user demo-admin --askpass-fd 3 3<"$T/answers"
expect_out "auth_factors must be password, fingerprint-or-password or fingerprint-and-password" \
    "naming the choices"

expect_rc 0 "both ledgers verify" "$DAICHO" verify --dir "$D" --replay
expect_rc 0 "both ledgers verify (new)" "$DAICHO" verify --dir "$T/new" --replay
finish
