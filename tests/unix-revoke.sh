# tests/unix-revoke.sh -- issue 9 §2.4 through daicho itself, on the demo's
# Linux server (DIR/unix-root): an ID is created, revoked, and another
# created.  The new account never gets the revoked one's uid, even when
# it had the highest; the revoked home is locked (revoke_home=lock, the
# default: owner root, mode 000) and the revoke's result in the ledger
# says so; the files pass pwck -r and grpck -r.
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"
need flock pwck grpck stat awk

if [ "$(id -u)" != 0 ]; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs root (chroot for pwck -R)" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs root (chroot for pwck -R)" >&2
	exit 77
fi
pam_wrapper_lock

demo_cli "$T/demo"
R=$D/unix-root

uid_of() { awk -F: -v l="$1" '$1 == l { print $3 }' "$R/etc/passwd"; }
# The highest uid in the demo server's range (uid_min=2000).
highest() {
	awk -F: '$3 >= 2000 && $3 <= 59999 && $3 > m { m = $3 } END { print m }' \
	    "$R/etc/passwd"
}
tools() {
	if pwck -r -R "$R" >"$T/out" 2>&1 && grpck -r -R "$R" >>"$T/out" 2>&1
	then
		ok "$1: pwck -r and grpck -r accept the files"
	else
		fail "$1: pwck/grpck refuse the files: $(cat "$T/out")"
	fi
}

expect_rc 0 "an ID is created on the server" pw 'demo\n' act id.create \
    system=linux-honcho login=taisho1 kind=service name=退職予定 \
    --user demo-admin
u1=$(uid_of taisho1)
if [ -n "$u1" ] && [ "$u1" = "$(highest)" ]; then
	ok "it has the highest uid ($u1)"
else
	fail "taisho1 has uid '$u1', the highest is $(highest)"
fi
if [ "$(stat -c %u "$R/home/taisho1")" = "$u1" ]; then
	ok "its home is its own"
else
	fail "home: $(stat -c '%u %a' "$R/home/taisho1")"
fi

expect_rc 0 "the ID is revoked" pw 'demo\n' act id.revoke \
    system=linux-honcho login=taisho1 --user demo-admin
if grep -q '^taisho1:' "$R/etc/passwd"; then
	fail "taisho1 is still in passwd"
else
	ok "the account is gone from passwd"
fi
if [ "$(stat -c '%u %g %a' "$R/home/taisho1")" = "0 0 0" ]; then
	ok "its home is kept, locked: owner root, mode 000"
else
	fail "home after the revoke: $(stat -c '%u %g %a' "$R/home/taisho1")"
fi
"$DAICHO" log -n 1 --dir "$D" >"$T/log"
if grep -q 'home /home/taisho1: locked (owner root, mode 000)' "$T/log"; then
	ok "the revoke's result in the ledger says what was done to the home"
else
	fail "the last entry: $(cat "$T/log")"
fi
tools "after the revoke"

expect_rc 0 "another ID is created" pw 'demo\n' act id.create \
    system=linux-honcho login=shinnin1 kind=service name=新任 \
    --user demo-admin
u2=$(uid_of shinnin1)
if [ -n "$u2" ] && [ "$u2" -gt "$u1" ]; then
	ok "it gets a new uid ($u2), not the revoked one's ($u1)"
else
	fail "shinnin1 got uid '$u2' after taisho1's $u1 was revoked"
fi
if grep -q "^uid $u2\$" "$R/etc/daicho-ids"; then
	ok "the server's daicho-ids keeps the highest uid given out"
else
	fail "daicho-ids: $(cat "$R/etc/daicho-ids" 2>&1)"
fi
if [ "$(stat -c '%u %a' "$R/home/taisho1")" = "0 0" ]; then
	ok "the revoked home is still nobody's but root's"
else
	fail "the old home: $(stat -c '%u %a' "$R/home/taisho1")"
fi
tools "after the second create"

finish
