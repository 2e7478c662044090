# tests/ids.sh -- systems and IDs end to end: actions run from the command
# line as authenticated operators (pam_wrapper), carried out on an exec
# target by the outbox, every result in the ledger; a target that fails is
# retried and shown; bad input is refused with nothing written.
. "$srcdir/tests/lib.sh"
need flock
pam_wrapper_lock

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\n' \
    >"$T/cli.conf"
chmod 600 "$T/cli.conf"
printf 'demo\ndemo\n' >"$T/answers"

act() {
	env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
	    act --dir "$D" --askpass-fd 3 "$@" 3<"$T/answers"
}

size() {
	"$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }'
}

# The personnel system's program: records each request, answers ok.
cat >"$T/hr" <<EOP
#!/bin/sh
cat >> "$T/hr.log"
echo ok
EOP
chmod 755 "$T/hr"
# A system that is down: the program fails every time.
printf '#!/bin/sh\ncat >/dev/null\necho "error connection refused"\n' \
    >"$T/down"
chmod 755 "$T/down"

expect_rc 0 "system.add with two people" \
    act system.add name=hr type=exec title=人事給与システム conf=2 integ=1 \
    avail=1 "config=program=$T/hr" --user demo-admin \
    --approver demo-approver
expect_rc 0 "a second system" \
    act system.add name=portal type=exec title=職員ポータル conf=1 integ=1 \
    avail=1 "config=program=$T/down" --user demo-admin \
    --approver demo-approver

expect_rc 0 "id.create on the personnel system" \
    act id.create system=hr login=yamada kind=personal owner=E0000001 \
    --user demo-admin
expect_out "targets: 1 applied, 0 failed" "the outbox carried it out"
grep -q '^op create$' "$T/hr.log" && grep -q '^login yamada$' "$T/hr.log" &&
    ok "the program got the create request" || fail "hr.log: $(cat "$T/hr.log")"
expect_rc 0 "id.lock" act id.lock system=hr login=yamada --user demo-admin
grep -q '^op lock$' "$T/hr.log" && ok "the program got the lock" ||
    fail "no lock request"
# A refusal for the ID's state says what to do next.
expect_rc 2 "locking a locked ID is refused" \
    act id.lock system=hr login=yamada --user demo-admin
expect_out "hr is locked; it is already locked: nothing to do" "it says so"
expect_rc 2 "resuming a locked ID is refused" \
    act id.resume system=hr login=yamada --user demo-admin
expect_out "not suspended: unlock it instead" "it says to unlock it"
expect_rc 2 "issuing a login that exists is refused" \
    act id.create system=hr login=yamada kind=service --user demo-admin
expect_out "choose another login name" "it says to choose another"
"$DAICHO" log --dir "$D" >"$T/log"
grep -q 'outbox.result' "$T/log" && grep -q 'result=applied' "$T/log" &&
    ok "each result is a ledger entry" || fail "no outbox.result entries"

# A target that fails: the change is in the ledger, the failure too, and
# the outbox keeps it for another try.
expect_rc 1 "id.create on a system that is down exits 1" \
    act id.create system=portal login=sato kind=personal owner=E0000002 \
    --user demo-admin
expect_out "0 applied, 1 failed" "it says the target failed"
"$DAICHO" log --dir "$D" | grep -q 'error=connection refused' &&
    ok "the error is recorded" || fail "no recorded error"
expect_rc 1 "outbox run retries it (still down)" "$DAICHO" outbox run --dir "$D"
printf '#!/bin/sh\ncat >/dev/null\necho ok\n' >"$T/down"
expect_rc 0 "outbox run applies it once the system is back" \
    "$DAICHO" outbox run --dir "$D"
expect_out "1 applied, 0 failed" "the retry succeeded"
expect_rc 0 "nothing is left to do" "$DAICHO" outbox run --dir "$D"

# Bad input: a clear error and nothing written.
before=$(size)
for login in "$(printf 'a\tb')" "two words" "-dash" "a/b" "a:b" \
    "abcdefghijklmnopqrstuvwxyz0123456"; do
	expect_rc 2 "login '$login' refused" \
	    act id.create system=hr "login=$login" kind=service --user demo-admin
	expect_out "not a valid login name" "it says so"
done
expect_rc 2 "an owner who does not exist" \
    act id.create system=hr login=x1 kind=personal owner=E9999999 \
    --user demo-admin
expect_out "nobody on record" "it names the problem"
expect_rc 2 "a second personal ID for the same person" \
    act id.create system=hr login=yamada2 kind=personal owner=E0000001 \
    --user demo-admin
expect_out "already has a personal ID" "it names the problem"
expect_rc 2 "an auditor may not create IDs" \
    act id.create system=hr login=x2 kind=service --user demo-auditor
expect_out "auditor role may not" "it names the role"
expect_rc 2 "a secret in a system's configuration" \
    act system.add name=ldap1 type=ldap title=x conf=1 integ=1 avail=1 \
    "config=bindpw=hunter2" --user demo-admin --approver demo-approver
expect_out "looks like a secret" "it says why"
[ "$(size)" = "$before" ] && ok "nothing was written by the refusals" ||
    fail "ledger went from $before to $(size)"

expect_rc 0 "the ledger verifies and replays" \
    "$DAICHO" verify --dir "$D" --replay
finish
