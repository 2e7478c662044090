# tests/console-analysis.sh -- the Analysis screen at 80x24 on the demo
# city: a history made first under a frozen clock (two failed logins on
# Tuesday, work at 22:00 in Tokyo), then the console with a ticking
# clock on Wednesday:
# - the dashboard reminds that a review is due (none ever);
# - the screen shows the last 30 days, its counts, and the entries of a
#   category (^N, ^P switch it); Enter shows an entry and why it is
#   listed; F8 changes the period, and the counts follow;
# - F4 records review.done for the period shown with a comment, whose
#   counts are the analysis's; the reminder then goes from the dashboard;
# - F1 lists the screen's keys; daicho verify --replay is clean at the end.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3
[ -n "$FAKETIME_LIB" ] || need faketime-library
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

TZ=UTC
export TZ
CLOCK='2027-01-04 00:00:00'
demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
CLOCK='2027-01-05 01:00:00'				# Tuesday 10:00 in Tokyo
for i in 1 2; do
	pw 'wrong\n' act id.lock system=linux-honcho login=e0000003 \
	    --user demo-admin >/dev/null 2>&1 &&
	    fail "setup: a wrong password was accepted" || true
done
CLOCK='2027-01-05 13:00:00'				# 22:00
expect_rc 0 "work at night" pw 'demo\n' act id.lock system=linux-honcho \
    login=e0000010 reason=夜間作業 --user demo-admin
NIGHT=$(q "SELECT max(idx) FROM ledger_entry WHERE CAST(data AS TEXT) LIKE
    '%action id.lock%subject id:linux-honcho/e0000010%'")

# The console, its clock ticking from Wednesday 10:00 in Tokyo.
tmux_start 80 24 env LD_PRELOAD="${SAN_PRELOAD:+$SAN_PRELOAD }libpam_wrapper.so $FAKETIME_LIB" \
    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" \
    FAKETIME='@2027-01-06 01:00:00' "$DAICHO" --demo "$D"
tmux_wait 'User:' 10 || fail "the console did not start: $(tmux_screen)"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'demo-admin \(admin\)' "demo-admin logs in" 15
tmux_keys Enter
expect_screen "A review of the ledger's records is due: none recorded yet" \
    "the dashboard reminds"

tmux_keys BTab BTab BTab BTab
expect_screen 'Analysis .*demo-admin' "the Analysis screen"
expect_screen 'Period 2026-12-08 to 2027-01-06 \(F8 changes it\)' \
    "the last 30 days, in Tokyo's days"
# (the demo city itself made a privileged ID on Monday)
expect_screen 'Failed 2 \(0 locked out\)  Out of hours 1  Privileged 1  Emergency 0  Exports 0 *$' \
    "the counts"
expect_screen 'A review is due: none recorded yet \(F4\)' "the reminder"
expect_screen 'Showing all categories' "every category at first"

tmux_keys C-n
expect_screen 'Showing failed logins' "^N: the failed logins"
expect_screen 'session.failure' "their entries"
expect_no_screen 'id.lock' "and nothing else"
tmux_keys C-n
expect_screen 'Showing out of hours' "^N again: out of hours"
expect_screen "$NIGHT .*id.lock .*demo-admin" "the night's entry"
expect_no_screen 'session.failure' "not the failures"
tmux_keys Enter
expect_screen "Entry $NIGHT" "Enter shows it"
expect_screen 'a.reason 夜間作業' "its exact text"
expect_screen 'Listed as: out of hours: tue 22:00 in Asia/Tokyo' \
    "and why it is listed"
tmux_keys Escape
tmux_keys C-p C-p
expect_screen 'Showing all categories' "^P twice: all again"

tmux_keys F8
expect_screen 'Period to analyse' "F8 asks for the period"
tmux_keys C-u
tmux_type 2027-01-06
tmux_keys Enter
expect_screen 'Period 2027-01-06 to 2027-01-06' "a one-day period"
expect_screen 'Failed 0 \(0 locked out\)  Out of hours 0  Privileged 0' \
    "nothing of Tuesday's counted"
tmux_keys F8
tmux_keys C-u
tmux_type 2027-01-05
tmux_keys Enter
expect_screen 'Period 2027-01-05 to 2027-01-06' "Tuesday and Wednesday"
expect_screen 'Failed 2 \(0 locked out\)  Out of hours 1  Privileged 0' \
    "Tuesday's counted again"

n0=$(q "SELECT count(*) FROM review")
tmux_keys F4
expect_screen 'Reviewed 2027-01-05 to 2027-01-06' "F4 asks what was found"
tmux_type '夜間作業は計画どおり'
tmux_keys Enter
expect_screen 'Review of 2027-01-05 to 2027-01-06 recorded' "recorded" 15
[ "$(q "SELECT count(*) FROM review")" = $((n0 + 1)) ] &&
    ok "one review row" || fail "review rows: $(q "SELECT * FROM review")"
[ "$(q "SELECT reviewer || '|' || counts || '|' || comment FROM review")" = \
    "demo-admin|failed=2,out_of_hours=1,privileged=0,emergency=0,exports=0|夜間作業は計画どおり" ] &&
    ok "by demo-admin, with the analysis's counts and the comment" ||
    fail "review: $(q "SELECT * FROM review")"
expect_screen 'Last review ended 2027-01-06 15:00' "the header says so"

tmux_keys F1
expect_screen '\^N +Next category' "F1 lists ^N"
expect_screen 'F4 +Review done \(review.done\)' "and F4 with its action"
expect_screen 'F8 +Period' "and F8"
tmux_keys Escape

tmux_keys F2
expect_screen 'Alerts' "the dashboard"
expect_no_screen "A review of the ledger's records is due" \
    "the reminder is gone"

tmux_keys F10
tmux_wait 'End your session' 5
tmux_keys y
tmux_wait 'User:' 10
tmux_stop
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay is clean"

finish
