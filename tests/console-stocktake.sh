# tests/console-stocktake.sh -- the Stocktake screen at 80x24 on the demo
# city, as a reviewer uses it: a campaign started from the command line
# shows with its progress bar at 0; two marked items are kept (F4, one
# transaction of two entries); every item the core filter system=juki
# selects is revoked in one entry (^F); the bar
# moves; F3 draws the chart by department; the rest decided by filter;
# F9 closes it with a second person; ^D confirms the investigation the
# close left to people, with a second person; verify --replay is clean.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }

# None this quarter yet: the dashboard reminds.
console_login "$D" demo-admin "the admin logs in"
expect_screen 'A stocktake is due this quarter \(from [0-9-]{10}\)' \
    "the dashboard: a stocktake is due"
tmux_stop
deadline=$(date -u -d '+30 days' '+%Y-%m-%d')
expect_rc 0 "a stocktake started from the command line" pw 'demo\n' \
    stocktake start --scope all --deadline "$deadline" --title 'Q4' \
    --user demo-admin
N=$(q "SELECT max(idx) FROM stocktake")
total=$(q "SELECT items FROM stocktake WHERE idx = $N")
rev=$(q "SELECT count(*) FROM stocktake_item WHERE campaign = $N AND
    system = 'juki'")
[ "$total" -gt 4 ] && [ "$rev" -gt 1 ] && [ "$rev" -lt "$total" ] &&
    ok "$total items in it, $rev on juki" ||
    fail "setup: $total items"

console_login "$D" demo-admin "the admin logs in again"
expect_screen "Stocktake $N: 0 of $total decided, deadline $deadline" \
    "the dashboard: the open stocktake's progress and deadline"
expect_no_screen 'A stocktake is due' "and no reminder: one was started"
# The screen is found by Shift-Tab from the dashboard, however many
# screens come after it.
tmux_to_screen Stocktake BTab
expect_screen '\[Stocktake\]' "the Stocktake screen"
expect_screen "Stocktake $N Q4: all, deadline $deadline, open" \
    "the campaign, its scope and deadline"
expect_screen "Decided \[\.+\] 0 of $total \(0%\)" "an empty progress bar"

# --- two marked, kept in one transaction
n0=$(entries_of)
tmux_keys C-t C-t F4
expect_screen 'Decide the marked items' "F4: the two marked"
tmux_type keep
tmux_keys Down
tmux_type 'still needed'
tmux_keys Enter
expect_screen 'Decide "keep" for 2 items\?' "asked once more, with the count"
tmux_type y
expect_screen 'keep: 2 items decided\.' "two decided"
[ "$(entries_of)" = $((n0 + 2)) ] && ok "two entries" ||
    fail "$(($(entries_of) - n0)) entries for two decisions"
expect_screen "Decided \[[#.]+\] 2 of $total " "the bar moves"

# --- by core's filter, one entry whatever the count
n0=$(entries_of)
tmux_keys C-f
expect_screen 'Decide by filter' "^F: a filter"
tmux_keys C-u
tmux_type 'recommendation=nonsense'
tmux_keys Down
tmux_type revoke
tmux_keys Down
tmux_type 'left the city'
tmux_keys Enter
expect_screen 'filter: recommendation is keep or revoke' "a bad filter is named in the form"
[ "$(entries_of)" = "$n0" ] && ok "nothing written" || fail "written"
tmux_keys C-u
tmux_type 'system=juki'
tmux_keys Enter
expect_screen "Decide \"revoke\" for $rev items?" "the count the filter takes"
tmux_type y
expect_screen 'revoke: decided for the items of system=juki' \
    "decided by filter"
[ "$(entries_of)" = $((n0 + 1)) ] && ok "one entry" ||
    fail "$(($(entries_of) - n0)) entries for one filter"
[ "$(q "SELECT count(*) FROM stocktake_item WHERE campaign = $N AND
    decision = 'revoke'")" = "$rev" ] && ok "every juki item decided" ||
    fail "revoke decisions: $(q "SELECT count(*) FROM stocktake_item WHERE
    decision = 'revoke'")"

# --- the chart
tmux_keys F3
expect_screen "Stocktake $N by department" "F3: the chart"
expect_screen 'Decision: = keep' "with its legend"
expect_screen '  decision +[=x]+\.*' "a department's decisions as a bar"
tmux_keys Escape

# --- close refused while undecided, then everything decided and closed
tmux_keys F9
expect_screen 'items are not decided yet' "F9 refused while undecided"
# One item left to people (investigate), decided from the command line.
set -- $(q "SELECT system || ' ' || login FROM stocktake_item WHERE campaign = $N
    AND decision IS NULL AND system <> 'juki' ORDER BY system, login LIMIT 1")
is=$1 il=$2
expect_rc 0 "$il on $is to investigate" pw 'demo\n' stocktake decide "$N" \
    --system "$is" --login "$il" --decision investigate \
    --reason 'ask the section' --user demo-admin
tmux_keys C-f
expect_screen 'decided=no' "the filter offered: the undecided"
tmux_keys Down
tmux_type keep
tmux_keys Down
tmux_type 'reviewed'
tmux_keys Enter
tmux_type y
expect_screen "Decided \[#+\] $total of $total \(100%\)" "a full bar"
tmux_keys F9
expect_screen "Close stocktake $N\?" "F9 asks"
tmux_type y
expect_screen 'User:' "a second person is asked for" 15
tmux_type demo-approver
tmux_keys Enter
expect_screen 'closed' "closed" 20
[ "$(q "SELECT state || ' ' || closed_approver FROM stocktake WHERE
    idx = $N")" = "closed demo-approver" ] && ok "closed by two people" ||
    fail "the campaign: $(q "SELECT state, closed_approver FROM stocktake")"


# --- ^D: the correction the close left to people, confirmed by two
set -- $(q "SELECT system || ' ' || login FROM stocktake_item WHERE campaign = $N
    AND decision = 'keep' ORDER BY system, login LIMIT 1")
tmux_type "$2 $1"
tmux_keys C-d
expect_screen "Nothing to confirm: this item's decision is keep" \
    "^D on a kept item: nothing to confirm"
n0=$(entries_of)
tmux_keys C-u
tmux_type "$il $is"
tmux_keys C-d
expect_screen "Confirm the correction of $il on $is" "^D: the item's form"
tmux_type 'asked the section: still needed'
tmux_keys Enter
expect_screen 'User:' "a second person is asked for" 15
tmux_type demo-approver
tmux_keys Enter
expect_screen "Done, approved by demo-approver" "confirmed, approved" 20
[ "$(entries_of)" = $((n0 + 1)) ] && ok "one entry" ||
    fail "$(($(entries_of) - n0)) entries for one confirmation"
[ "$(q "SELECT confirmed_by FROM stocktake_item WHERE campaign = $N AND
    system = '$is' AND login = '$il' AND corrected_idx IS NOT NULL")" = \
    demo-approver ] && ok "the item is confirmed by the second person" ||
    fail "the item: $(q "SELECT corrected_idx, confirmed_by FROM
    stocktake_item WHERE campaign = $N AND login = '$il'")"

tmux_stop
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
finish
