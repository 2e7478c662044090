# tests/sweep.sh -- daicho sweep on the demo city under a frozen clock
# (libfaketime): IDs past their end date are recorded expired and locked
# on the unix target (passwd -S), the day before nothing happens, a second
# sweep at the same moment writes nothing, an expired ID counts as locked
# for reconciliation, and a clock set behind the ledger's newest entry
# stops the sweep and every action, naming both times.  verify --replay
# rebuilds the same state.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need sqlite3 passwd pwck
[ -n "$FAKETIME_LIB" ] || need faketime
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

# The demo's contractor itaku-01 and privileged adm-e0000002 end on
# 2027-03-31.  The ledger starts before, at a frozen time.
CLOCK='2027-03-01 09:00:00'
demo_cli "$T/demo"
R=$D/unix-root
q() { sqlite3 "$D/daicho.db" "$1"; }
pw_state() { passwd -S -R "$R" "$1" 2>/dev/null | awk '{ print $2 }'; }
sweep() { faketime_run "$1" "$DAICHO" --config "$T/cli.conf" sweep \
    --dir "$D"; }
[ "$(q "SELECT end_date FROM account WHERE login = 'itaku-01'")" = \
    2027-03-31 ] || fail "setup: itaku-01 does not end on 2027-03-31"
[ "$(pw_state itaku-01)" = P ] || fail "setup: itaku-01 is not open"

n0=$(entries_of)
expect_rc 0 "a sweep on the last day" sweep '2027-03-31 23:59:00'
expect_out "sweep: 0 IDs past their end date expired" "expires nothing"
[ "$(entries_of)" = "$n0" ] && ok "and writes nothing" ||
    fail "the sweep on the last day wrote $(($(entries_of) - n0)) entries"

expect_rc 0 "a sweep the day after" sweep '2027-04-01 00:01:00'
expect_out "sweep: 2 IDs past their end date expired" "expires both"
for l in itaku-01 adm-e0000002; do
	[ "$(q "SELECT state FROM account WHERE login = '$l'")" = expired ] &&
	    ok "$l is expired in the ledger" ||
	    fail "$l is $(q "SELECT state FROM account WHERE login = '$l'")"
	[ "$(pw_state "$l")" = L ] && ok "$l is locked on the system" ||
	    fail "$l is $(pw_state "$l") on the system"
done
[ "$(q "SELECT count(*) FROM ledger_entry WHERE CAST(data AS TEXT) LIKE
    '%action id.expire%operator @system%'")" = 2 ] &&
    ok "two id.expire entries, by the system" ||
    fail "id.expire entries: $(q "SELECT count(*) FROM ledger_entry WHERE
    CAST(data AS TEXT) LIKE '%action id.expire%'")"
pwck -r -R "$R" >/dev/null 2>&1 && ok "pwck accepts the files" ||
    fail "pwck: $(pwck -r -R "$R" 2>&1)"

n1=$(entries_of)
expect_rc 0 "a second sweep at the same moment" sweep '2027-04-01 00:01:00'
expect_out "sweep: 0 IDs past their end date expired" "finds nothing due"
[ "$(entries_of)" = "$n1" ] && ok "and writes nothing" ||
    fail "the second sweep wrote $(($(entries_of) - n1)) entries"

expect_rc 0 "reconcile after the expiry" faketime_run '2027-04-01 00:02:00' \
    "$DAICHO" reconcile linux-honcho --dir "$D"
expect_out "^linux-honcho: 0 differences$" \
    "takes an expired ID as locked (no drift)"

CLOCK='2027-04-01 00:03:00'
expect_rc 2 "an expired ID does not expire again" pw 'demo\n' act id.expire \
    system=linux-honcho login=itaku-01 --user demo-admin
CLOCK=
expect_out "only a live ID expires" "id.expire of an expired ID says why"

# An expired ID given a later date comes back locked, never open; a
# contractor's extension needs a second person.
CLOCK='2027-04-01 00:04:00'
expect_rc 2 "a date that has passed too" pw 'demo\ndemo\n' act id.end_date \
    system=linux-honcho login=itaku-01 end_date=2027-03-31 \
    --user demo-admin --approver demo-approver
expect_out "has expired, and 2027-03-31 has passed too" "is refused, saying so"
expect_rc 2 "a contractor's extension alone" pw 'demo\n' act id.end_date \
    system=linux-honcho login=itaku-01 end_date=2027-09-30 --user demo-admin
expect_rc 0 "the extension, with a second person" pw 'demo\ndemo\n' act \
    id.end_date system=linux-honcho login=itaku-01 end_date=2027-09-30 \
    --user demo-admin --approver demo-approver
[ "$(q "SELECT state FROM account WHERE login = 'itaku-01'")" = locked ] &&
    ok "itaku-01 is locked, not open" ||
    fail "itaku-01 is $(q "SELECT state FROM account WHERE login = 'itaku-01'")"
[ "$(pw_state itaku-01)" = L ] && ok "and still locked on the system" ||
    fail "itaku-01 is $(pw_state itaku-01) on the system"
expect_rc 0 "opened by its own decision" pw 'demo\n' act id.unlock \
    system=linux-honcho login=itaku-01 --user demo-admin
[ "$(pw_state itaku-01)" = P ] && ok "itaku-01 is open again" ||
    fail "itaku-01 is $(pw_state itaku-01) after the unlock"
CLOCK=

# --- the clock set back: nothing is recorded before the newest entry
newest=$(q "SELECT substr(CAST(data AS TEXT), instr(CAST(data AS TEXT),
    char(10) || 'time ') + 6, 20) FROM ledger_entry ORDER BY idx DESC
    LIMIT 1")
n2=$(entries_of)
expect_rc 2 "a sweep with the clock behind" sweep '2027-03-15 09:00:00'
expect_out "the clock reads 2027-03-15T09:00:00Z, but the newest ledger entry \([0-9]+\) is dated $newest" \
    "names both times"
CLOCK='2027-03-15 09:00:00'
expect_rc 2 "an action with the clock behind" pw 'demo\n' act id.lock \
    system=linux-honcho login=e0000001 --user demo-admin
expect_out "the clock is behind the ledger" "is refused too"
CLOCK=
[ "$(entries_of)" = "$n2" ] && ok "nothing was written" ||
    fail "$(($(entries_of) - n2)) entries written with the clock behind"

# --- the console runs the sweep as it starts: e0000001 ends on
# 2027-04-02; the console opened on 2027-04-05 finds it expired before
# anyone logs in.  With the clock behind the ledger it does not start.
CLOCK='2027-04-02 09:00:00'
expect_rc 0 "e0000001 ends on 2027-04-02" pw 'demo\n' act id.end_date \
    system=linux-honcho login=e0000001 end_date=2027-04-02 --user demo-admin
CLOCK=
# at_console TIME: the demo console at TIME (pam_wrapper preloaded here,
# with libfaketime, so the demo does not start again without it), in a
# shell that keeps the pane (and what a refusal printed) after it exits.
at_console() {
	tmux_start 80 24 sh -c '"$@"; echo "[exit $?]"; sleep 60' sh \
	    env LD_PRELOAD="$PW_PRELOAD $FAKETIME_LIB" FAKETIME="$1" \
	    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --demo "$D"
}
at_console '2027-04-01 09:00:00'
expect_screen "the clock is behind the ledger" \
    "a console with the clock behind says so"
expect_screen '\[exit 2\]' "and does not start"
if tmux_screen | grep -q 'User:'; then
	fail "the console asked for a user with the clock behind"
fi
tmux_stop
e1() { q "SELECT state FROM account WHERE system = 'linux-honcho' AND
    login = 'e0000001'"; }
[ "$(e1)" = active ] || fail "setup: e0000001 is $(e1)"
at_console '2027-04-05 09:00:00'
expect_screen 'User:' "the console starts"
[ "$(e1)" = expired ] &&
    ok "its start expired e0000001, before anyone logged in" ||
    fail "e0000001 is $(e1) after the console started"
tmux_stop

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
finish
