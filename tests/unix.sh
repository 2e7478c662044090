# tests/unix.sh -- the unix target against temporary roots, judged by the
# real shadow-utils.
#
# Builds a template root with useradd -P (alice, bob locked, carol in the
# supplementary group staff, dave without a password), then:
#  1. runs tests/test-unix (the cmocka cases) on copies of it, with
#     TEST_UNIX_TOOLS=1: after every case that writes, pwck -r -R and
#     grpck -r -R must accept the tree and passwd -S -R must agree;
#  2. does the same operations through daicho's target (test-unix
#     --apply) and through usermod, userdel and chage on two copies, and
#     compares the files byte for byte (lock, unlock, expire, force
#     change, aging, delete) or field by field (create, where the hash and the
#     date differ by design);
#  3. checks the properties the issue names with cmp and the tools: a bad
#     request among good ones, a malformed line (files byte-identical),
#     the '-' backup, the temporary password and the forced change, a
#     symlinked shadow, a missing root.
#
# passwd -S, chage and pwck only take -R (chroot), which needs root.
# make check sets DAICHO (the tests sit beside it in tests/); TEST_UNIX
# overrides where the cmocka program is.
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"
need useradd usermod userdel groupadd pwck grpck passwd chage cmp

if [ "$(id -u)" != 0 ]; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs root (chroot for pwck -R)" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs root (chroot for pwck -R)" >&2
	exit 77
fi

B=$(dirname "$DAICHO")
TU=${TEST_UNIX:-$B/tests/test-unix}
if [ ! -x "$TU" ]; then
	echo "FATAL: $TU is not built" >&2
	exit 99
fi

# The template: a minimal tree, then accounts made by the real tools.
R=$T/template
mkdir -p "$R/etc" "$R/bin" "$R/root" "$R/home"
cp /etc/login.defs "$R/etc/"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$R/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$R/etc/shadow"
printf 'root:x:0:\nusers:x:100:\n' >"$R/etc/group"
printf 'root:*::\nusers:*::\n' >"$R/etc/gshadow"
chmod 644 "$R/etc/passwd" "$R/etc/group"
chmod 640 "$R/etc/shadow" "$R/etc/gshadow"
chgrp shadow "$R/etc/shadow" "$R/etc/gshadow" 2>/dev/null || true
: >"$R/bin/bash"
chmod 755 "$R/bin/bash"
useradd -P "$R" -m -s /bin/bash -c "Alice Example" alice
useradd -P "$R" -m -s /bin/bash -c "Bob Example" bob
groupadd -P "$R" -g 990 staff
useradd -P "$R" -m -s /bin/bash -c "Carol Example" -G staff carol
useradd -P "$R" -m -s /bin/bash -c "Dave Example" dave
for u in alice bob carol; do
	h=$(echo "$u-password" | "$TU" --crypt)
	usermod -P "$R" -p "$h" "$u"
done
usermod -P "$R" -L bob
if pwck -r -R "$R" >"$T/out" 2>&1 && grpck -r -R "$R" >>"$T/out" 2>&1; then
	ok "template made by useradd passes pwck and grpck"
else
	fail "the template does not pass pwck/grpck: $(cat "$T/out")"
fi

# 1. The cmocka cases, judged by the tools.
set +e
TEST_UNIX_ROOT=$R TEST_UNIX_TOOLS=1 TMPDIR=$T "$TU" >"$T/out" 2>&1 </dev/null
rc=$?
set -e
cat "$T/out"
if [ "$rc" -eq 0 ] && grep -q PASSED "$T/out"; then
	ok "test-unix: every cmocka case passed under pwck, grpck, passwd -S"
else
	fail "test-unix exited $rc"
fi

# copy NAME: a fresh copy of the template at $T/NAME; its conf file too.
copy() {
	rm -rf "${T:?}/$1"
	cp -a "$R" "$T/$1"
	printf 'root=%s\n' "$T/$1" >"$T/$1.conf"
}

# apply NAME OP LOGIN ARG ...: through the target; output in $OUT.
apply() {
	n=$1
	shift
	expect_rc 0 "daicho applies $* on $n" "$TU" --apply "$T/$n.conf" "$@"
}

# same DESC FILE: the file is byte-identical in copies d (daicho) and u.
same() {
	if cmp -s "$T/d/etc/$2" "$T/u/etc/$2"; then
		ok "$1: $2 is byte-identical to shadow-utils'"
	else
		fail "$1: $2 differs from shadow-utils':
$(diff "$T/u/etc/$2" "$T/d/etc/$2" || true)"
	fi
}

# tools NAME: pwck and grpck accept copy NAME.
tools() {
	if pwck -r -R "$T/$1" >"$T/out" 2>&1 &&
	    grpck -r -R "$T/$1" >>"$T/out" 2>&1; then
		ok "$1: pwck -r and grpck -r accept the files"
	else
		fail "$1: pwck/grpck refuse the files: $(cat "$T/out")"
	fi
}

# status NAME LOGIN WANT: passwd -S -R says WANT (L, P, NP).
status() {
	s=$(passwd -S -R "$T/$1" "$2" | awk '{ print $2 }')
	if [ "$s" = "$3" ]; then
		ok "$1: passwd -S shows $2 as $3"
	else
		fail "$1: passwd -S shows $2 as $s, wanted $3"
	fi
}

# 2. Differential: the same change by daicho and by shadow-utils.
copy d
copy u
apply d lock alice "" lock carol ""
# daicho's lock is usermod(8)'s advice: -L and -e 1, so keys stop too.
usermod -P "$T/u" -L -e 1 alice
usermod -P "$T/u" -L -e 1 carol
same "lock" shadow
same "lock" passwd
status d alice L
status d carol L
tools d

apply d unlock alice never
usermod -P "$T/u" -U -e "" alice
same "unlock" shadow
status d alice P

apply d expire carol 2030-01-01
usermod -P "$T/u" -e 2030-01-01 carol
same "expire" shadow

apply d force_change alice ""
chage -R "$T/u" -d 0 alice
same "force change" shadow
if chage -l -R "$T/d" alice | grep -q "password must be changed"; then
	ok "chage -l: alice's password must be changed"
else
	fail "chage -l does not show a forced change for alice"
fi

# Aging: chage -m, -M, -W; a maximum of 0 is chage -M -1 (no limit).
apply d aging alice "min=1 max=90 warn=14"
chage -R "$T/u" -m 1 -M 90 -W 14 alice
same "aging" shadow
apply d aging alice "max=0"
chage -R "$T/u" -M -1 alice
same "aging without a maximum" shadow
apply d aging carol "warn=3"
chage -R "$T/u" -W 3 carol
same "aging, the warning alone" shadow

# Set password on a copy of its own: the change day is the day the clock
# says (libfaketime, ahead of the real one: pwck runs on it too, with
# libfaketime alone; under the sanitizers' preload as well it deadlocks
# in its chroot).
copy f
when='2027-04-10 09:00:00'
day=$(( $(date -u -d '2027-04-10' +%s) / 86400 ))
if printf 'Faked clock pass\n' | faketime_run "$when" \
    "$TU" --set-password "$T/f.conf" alice >"$T/out" 2>&1 &&
    [ "$(grep '^alice:' "$T/f/etc/shadow" | cut -d: -f3)" = "$day" ]; then
	ok "set password: the change day is the clock's day ($day)"
else
	fail "set password under faketime: $(cat "$T/out"); $(grep '^alice:' "$T/f/etc/shadow")"
fi
if printf 'Faked clock pass\n' | "$TU" --verify "$T/f" alice; then
	ok "set password: the password verifies against the hash"
else
	fail "set password: the password does not verify"
fi
if env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$when" pwck -r -R "$T/f" \
    >"$T/out" 2>&1 </dev/null; then
	ok "set password: pwck -r accepts the files"
else
	fail "set password: pwck refuses the files: $(cat "$T/out")"
fi

apply d delete carol ""
userdel -P "$T/u" carol
for f in passwd shadow group gshadow; do
	same "delete" "$f"
done
tools d

# Create: useradd writes a locked empty password dated today; daicho a
# yescrypt hash dated 0.  Everything else must match.
copy d
copy u
apply d create erin "Erin Example"
secret=$(printf '%s\n' "$OUT" | awk '$1 == "secret" && $2 == "erin" { print $3 }')
useradd -P "$T/u" -m -s /bin/bash -c "Erin Example" erin
for f in passwd group gshadow; do
	same "create" "$f"
done
d=$(grep '^erin:' "$T/d/etc/shadow" | cut -d: -f4-)
u=$(grep '^erin:' "$T/u/etc/shadow" | cut -d: -f4-)
if [ "$d" = "$u" ]; then
	ok "create: shadow aging fields match useradd's"
else
	fail "create: shadow fields 4-9 are '$d', useradd wrote '$u'"
fi
# shellcheck disable=SC2016 # a literal $y$
case $(grep '^erin:' "$T/d/etc/shadow" | cut -d: -f2,3) in
'$y$'*:0)	ok "create: a yescrypt hash and a last change of 0" ;;
*)		fail "create: shadow line $(grep '^erin:' "$T/d/etc/shadow")" ;;
esac
if [ -n "$secret" ] &&
    printf '%s\n' "$secret" | "$TU" --verify "$T/d" erin; then
	ok "create: the temporary password verifies against the hash"
else
	fail "create: the temporary password does not verify"
fi
if printf 'not-%s\n' "$secret" | "$TU" --verify "$T/d" erin; then
	fail "create: a wrong password verifies"
else
	ok "create: a wrong password does not verify"
fi
if passwd -S -R "$T/d" erin | grep -q '^erin P 1970-01-01 '; then
	ok "create: passwd -S shows a usable password last changed 1970-01-01"
else
	fail "create: passwd -S says $(passwd -S -R "$T/d" erin)"
fi
if chage -l -R "$T/d" erin | grep -q "password must be changed"; then
	ok "create: chage -l says the password must be changed"
else
	fail "create: chage -l does not show a forced change"
fi
if [ "$(stat -c '%a %u' "$T/d/home/erin")" = "700 $(grep '^erin:' \
    "$T/d/etc/passwd" | cut -d: -f3)" ]; then
	ok "create: home directory 0700, owned by the account"
else
	fail "create: home directory $(stat -c '%a %u' "$T/d/home/erin")"
fi
tools d

# 3. The issue's bad input and file-handling properties.
copy b
cp -p "$T/b/etc/shadow" "$T/shadow.before"
apply b lock alice "" lock nosuch "" lock "-bad" "" lock "a b" "" \
	lock carol ""
expect_out '^lock alice: done' "good requests among bad ones are applied"
expect_out '^lock nosuch: error: no such account' "no such login: refused"
expect_out "^lock -bad: error: login name begins with '-'" \
	"leading dash: refused"
expect_out '^lock a b: error: space in login name' "space: refused"
status b alice L
status b carol L
tools b
if cmp -s "$T/b/etc/shadow-" "$T/shadow.before"; then
	ok "shadow- holds the previous content"
else
	fail "shadow- is not the previous shadow"
fi

# A malformed line: the batch is refused, every byte stays.
copy m
echo 'broken:line' >>"$T/m/etc/shadow"
n=$(wc -l <"$T/m/etc/shadow")
mkdir "$T/m.before"
cp -p "$T/m/etc/passwd" "$T/m/etc/shadow" "$T/m/etc/group" \
	"$T/m/etc/gshadow" "$T/m.before/"
expect_rc 1 "a malformed shadow line refuses the batch" \
	"$TU" --apply "$T/m.conf" lock alice "" create zed "Zed"
expect_out "shadow:$n: 2 fields where 9 are expected" \
	"the cause names the file and the line"
for f in passwd shadow group gshadow; do
	if cmp -s "$T/m/etc/$f" "$T/m.before/$f"; then
		ok "malformed: $f byte-identical"
	else
		fail "malformed: $f changed"
	fi
done
left=
for f in "$T/m/etc"/*+ "$T/m/etc"/*.lock; do
	[ -e "$f" ] && left="$left ${f##*/}"
done
if [ -n "$left" ]; then
	fail "malformed: lock or '+' files left:$left"
else
	ok "malformed: no lock or temporary file left"
fi
if [ -e "$T/m/home/zed" ]; then
	fail "malformed: a home was made"
else
	ok "malformed: no home directory made"
fi

# A symlinked shadow is refused and left alone.
copy s
mv "$T/s/etc/shadow" "$T/s/shadow.real"
ln -s "$T/s/shadow.real" "$T/s/etc/shadow"
cp -p "$T/s/shadow.real" "$T/shadow.real.before"
expect_rc 1 "a symlinked shadow is refused" \
	"$TU" --apply "$T/s.conf" lock alice ""
expect_out "symbolic link" "the cause says it is a symbolic link"
if [ -L "$T/s/etc/shadow" ] && cmp -s "$T/s/shadow.real" \
    "$T/shadow.real.before"; then
	ok "the link and its target are untouched"
else
	fail "the symlinked shadow was changed"
fi

# A missing root.
printf 'root=%s\n' "$T/no-such-root" >"$T/none.conf"
expect_rc 1 "a missing root is refused" "$TU" --apply "$T/none.conf" \
	lock alice ""
expect_out "no-such-root/etc: No such file" "the cause names the root"

# shadow-utils and daicho respect each other's lock files.
copy l
echo "$$" >"$T/l/etc/shadow.lock"
printf 'root=%s\nlock_wait=0\n' "$T/l" >"$T/l.conf"
expect_rc 1 "a shadow.lock held by a live process stops daicho" \
	"$TU" --apply "$T/l.conf" lock alice ""
expect_out "locked by process $$" "the cause names the holder"
rm -f "$T/l/etc/shadow.lock"
# (and usermod -L while daicho's lock is held fails: shadow-utils has
# no lock_wait, it retries for 15 s, so that side is not timed here.)

finish
