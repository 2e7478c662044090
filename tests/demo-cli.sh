# tests/demo-cli.sh -- the command line on the demo city: the demo prints
# the exact command to use (pam_wrapper and the demo's PAM files and
# configuration), and that command works as printed; act names every
# missing argument at once, before it asks for a password.
. "$srcdir/tests/lib.sh"
need flock sqlite3
pam_wrapper_lock

D=$T/demo
expect_rc 2 "the demo city made without a terminal" "$DAICHO" --demo "$D" \
    </dev/null
expect_out "PAM_WRAPPER_SERVICE_DIR=$D/pam" "it prints pam_wrapper's variables"
expect_out "--config $D/daicho.conf --dir $D act id.lock" \
    "and a whole example command line"
line=$(printf '%s\n' "$OUT" | grep -- ' act id.lock system=' | head -1 |
    sed 's/^ *//')
case $line in
env\ LD_PRELOAD=libpam_wrapper.so\ PAM_WRAPPER=1\ *) ok "it starts with env" ;;
*) fail "the example is not an env command line: $line" ;;
esac

# The printed command, as printed (a sanitizer build needs its runtime
# first in the preload list; the rest is kept), the password on fd 3.
cmd=$(printf '%s' "$line" | sed "s|LD_PRELOAD=libpam_wrapper.so|LD_PRELOAD='$PW_PRELOAD'|")
printf 'demo\n' >"$T/answers"
expect_rc 0 "the printed command works" sh -c "$cmd --askpass-fd 3 3<'$T/answers'"
expect_out "id.lock: done" "it locked the ID"
[ "$(sqlite3 "$D/daicho.db" "SELECT state FROM account WHERE \
    login = 'e0000004'")" = locked ] && ok "e0000004 is locked" ||
    fail "e0000004 is not locked"

# act: every missing required argument at once, and no password asked.
before=$("$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }')
: >"$T/empty"
expect_rc 2 "id.create with no arguments" env LD_PRELOAD="$PW_PRELOAD" \
    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" \
    --dir "$D" act id.create --user demo-auditor --askpass-fd 3 3<"$T/empty"
expect_out "missing required arguments: system, login, kind" \
    "all three missing arguments are named at once"
expect_out "kind=  \(required\) personal, shared" "each with what it takes"
if printf '%s\n' "$OUT" | grep -q "authentication failed"; then
	fail "it asked for a password first: $OUT"
else
	ok "no password was asked for"
fi
expect_rc 2 "a missing and an unknown argument" "$DAICHO" --dir "$D" act \
    id.lock system=linux-honcho colour=red --user demo-admin
expect_out 'missing required arguments: login; unknown argument "colour" \(it accepts system, login, reason\)' \
    "both are named in one message"
after=$("$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }')
[ "$before" = "$after" ] && ok "nothing was recorded (no failed login)" ||
    fail "the ledger grew from $before to $after"
finish
