# tests/console-hr.sh -- the personnel screens of the console (issue 10
# section 6), at 80x24 on the demo city.  People: one criterion is
# refused (core_person_search), two find a person, a variant kanji and a
# half-width reading find them as written otherwise, and a person's detail
# lists their IDs.  Import: a malformed export shows its FILE:LINE:COLUMN
# errors and writes nothing; a good one shows the summary and its changes
# and, after the question, is one hr.import entry whose events daicho
# events lists.  Events: the list shows them, an event's detail its plan,
# and F4 carries out a transfer (税務課's birthright ID on juki issued).
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
HEAD='職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分'

# The baseline from the command line: the demo's people, and one whose
# name has an IBM extension kanji (髙) and a half-width reading.
q "SELECT employee_no || ',' || name_kanji || ',' || name_kana || ',' ||
    department || ',' || position || ',正規職員,,,在職' FROM person
    ORDER BY employee_no" >"$T/people"
{ echo "$HEAD"; cat "$T/people";
  echo 'E0900001,髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ,総務課,主事,正規職員,2026-04-01,,在職'; } \
    >"$T/y0.csv"
expect_rc 0 "the baseline import from the command line" \
    pw 'demo\n' import personnel "$T/y0.csv" --as-of 2026-04-01 \
    --user demo-admin

console_login "$D" demo-admin "the admin logs in"
for i in 1 2 3 4 5; do tmux_keys Tab; done
expect_screen '\[People\]' "Tab reaches the People screen"
expect_screen 'F8: search by employee number, or two of name, kana' \
    "it lists nobody and says what a search needs"

# --- one criterion is refused, by core, with the reason on screen
tmux_keys F8
expect_screen 'Find a person' "F8 opens the search"
tmux_keys Tab
tmux_type 高橋
tmux_keys Enter
expect_screen 'looked up by the employee number, or by two of' \
    "a name alone is refused"
expect_no_screen 'E0900001' "and nobody is listed"

# --- two criteria; 高橋 finds 髙橋 (a variant kanji)
tmux_keys F8
tmux_keys Tab Tab Tab
tmux_type 総務課
tmux_keys Enter
expect_screen 'E0900001 +髙橋 﨑子' "高橋 and 総務課 find 髙橋 﨑子"
expect_screen 'Search \(F8\): name=高橋 department=総務課' \
    "the search is shown above the list"

# --- full-width タカハシ finds the half-width ﾀｶﾊｼ
tmux_keys F8
tmux_keys Tab C-u Tab
tmux_type タカハシ
tmux_keys Enter
expect_screen 'E0900001 +髙橋 﨑子' "タカハシ and 総務課 find ﾀｶﾊｼ"
expect_screen 'kana=タカハシ' "by the reading"

# --- the employee number alone is enough; the detail lists the IDs
tmux_keys F8
tmux_keys C-u
tmux_type E0000002
tmux_keys Tab Tab C-u Tab C-u Enter
expect_screen 'E0000002 +加藤 美咲' "the employee number alone finds them"
tmux_keys Enter
expect_screen 'E0000002 加藤 美咲' "Enter opens the person"
expect_screen 'adm-e0000002 +privileged +active +owner' \
    "their IDs are listed, owned ones as such"
expect_screen 'source: the HR export' "the record says where it came from"
tmux_keys Escape

# --- Import: a malformed export: its errors, nothing written
{ echo "$HEAD";
  echo 'E0000001,山田 太郎,ヤマダ タロウ,総務課,主事,正規職員,2027-02-30,,在職';
  echo 'E0000002,山田 花子,やまだ,総務課,主事,正規職員,,,在職'; } >"$T/bad.csv"
n0=$(entries_of)
tmux_keys Tab
expect_screen '\[Import\]' "Tab goes on to Import"
tmux_keys F5
expect_screen 'Read an HR export' "F5 asks for the file"
tmux_type "$T/bad.csv"
tmux_keys Enter
expect_screen 'Validation report' "the validation report opens"
expect_screen 'bad\.csv:2:[0-9]+: 異動日 "2027-02-30" is not a real date' \
    "an error at its line and column"
expect_screen 'bad\.csv:3:[0-9]+: 氏名カナ "やまだ" is not katakana' \
    "the next one, in file order"
expect_screen "│ $T/bad\\.csv" "the report's heading is the path"
expect_screen 'nothing was written' "and nothing was written"
tmux_keys Enter
expect_screen '0 rows valid, 2 errors: nothing was written' \
    "the screen says so under the report"
[ "$(entries_of)" = "$n0" ] && ok "no entry was written" ||
    fail "entries went from $n0 to $(entries_of)"

# --- a good export: E0900001 moves to 財政課
sed 's/^E0900001,髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ,総務課,主事,正規職員,2026-04-01/E0900001,髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ,財政課,主事,正規職員,2027-04-01/' \
    "$T/y0.csv" >"$T/y1.csv"
tmux_keys F5 C-u
tmux_type "$T/y1.csv"
tmux_keys Tab Tab
tmux_type 2027-03-01
tmux_keys Enter
expect_screen 'Read as utf-8 \(detected\), as of 2027-03-01, from /' \
    "the encoding, the date and the file"
expect_screen '0 new, 1 changed, [0-9]+ unchanged, 0 missing' "the summary"
expect_screen 'events: 0 joiners, 1 movers' "its events"
expect_screen 'changed +E0900001 +髙橋 﨑子 +mover +2027-04-01' \
    "the change, with its event"
[ "$(entries_of)" = "$n0" ] && ok "reading wrote nothing" ||
    fail "entries went from $n0 to $(entries_of)"
tmux_keys F4
expect_screen 'Record the import of' "F4 asks first"
tmux_keys n
[ "$(entries_of)" = "$n0" ] && ok "no: nothing written" ||
    fail "entries went from $n0 to $(entries_of) after no"
tmux_keys F4
tmux_wait 'Record the import of' 5
tmux_keys y
expect_screen 'Recorded as entry [0-9]+' "yes records it"
expect_screen 'Recorded: hr.import entry' "the summary says so"
[ "$(entries_of)" = "$((n0 + 1))" ] && ok "one entry was written" ||
    fail "entries went from $n0 to $(entries_of)"
"$DAICHO" events --dir "$D" >"$T/events" 2>&1
grep -Eq '^2027-04-01 +mover +pending +E0900001' "$T/events" &&
    ok "daicho events lists the mover" ||
    fail "daicho events says: $(cat "$T/events")"
tmux_keys F5
tmux_wait 'Read an HR export' 5
tmux_keys Enter
expect_screen 'Nothing to change: this file was imported as entry' \
    "the same file again changes nothing"

# --- Events: pending by effective date; Enter shows one
tmux_keys Tab
expect_screen '\[Events\]' "Tab goes on to Events"
expect_screen 'kind any, state pending' "it shows the pending ones"
expect_screen '2027-04-01 +mover +pending +E0900001 +髙橋 﨑子' \
    "the mover is listed"
tmux_keys Enter
expect_screen 'mover of E0900001 髙橋 﨑子, effective 2027-04-01' \
    "Enter shows the event"
expect_screen 'nothing to do on any system' \
    "its plan: no birthright, so nothing on any system"
expect_screen 'The sweep carries it out on 2027-04-01' "and when"
tmux_keys Escape
tmux_keys F4
expect_screen 'takes effect on 2027-04-01, not before' \
    "F4 before the day is refused"

# --- over the threshold: two leavers own 4 of the 48 live IDs (more
# than 5%): a second person confirms on this terminal, or nothing is done
sed 's/^\(E000000[78],[^,]*,[^,]*,[^,]*,[^,]*,[^,]*\),,,在職/\1,,2027-03-31,退職/' \
    "$T/y1.csv" >"$T/y2.csv"
tmux_keys BTab
expect_screen '\[Import\]' "Shift-Tab goes back to Import"
tmux_keys F5 C-u
tmux_type "$T/"
tmux_keys F4
expect_screen 'Choose: File' "F4 on the file field lists the directory"
expect_screen '│   bad\.csv +[0-9]+ │' "its files by name, with their sizes"
tmux_type y2.csv
tmux_keys Enter
expect_screen 'F4: choose from a list' "Enter chooses it: the form again"
tmux_keys Enter
expect_screen 'events: 0 joiners, 0 movers, 2 leavers' \
    "the file chosen is read: two leavers"
expect_screen "Leavers' IDs: 4 of 48 live \\(threshold 20 or 5%\\): F4 with a second" \
    "over the threshold: the screen says a second person must confirm"
tmux_keys F4
expect_screen 'second person confirms next' "the question says so too"
# Meanwhile the command line records another change (E0000003 moves):
# the screen compares again at once, and what the question said is no
# longer what would be recorded.
awk -F, -v OFS=, '$1 == "E0000003" { $4 = "財政課" } { print }' \
    "$T/y1.csv" >"$T/y3.csv"
expect_rc 0 "meanwhile, an import from the command line" \
    pw 'demo\n' import personnel "$T/y3.csv" --user demo-admin
n1=$(entries_of)
expect_screen '0 new, 3 changed' "the screen compares again at once"
tmux_keys y
expect_screen 'Second person' "the approval opens"
tmux_type demo-approver
tmux_keys Enter
expect_screen 'The records changed while you were asked: nothing was' \
    "approved, but not what the question said: refused" 15
[ "$(entries_of)" = "$n1" ] && ok "and nothing was written" ||
    fail "entries went from $n1 to $(entries_of) after the records changed"
tmux_keys F4
expect_screen '0 new, 3 changed.*; 3 events' "F4 asks about what is there now"
tmux_keys y
expect_screen 'Second person' "the approval opens"
tmux_keys Escape
expect_screen 'Not approved: nothing was done' "Esc: not approved"
[ "$(entries_of)" = "$n1" ] && ok "and nothing was written" ||
    fail "entries went from $n1 to $(entries_of) without an approver"
tmux_keys F4
tmux_wait 'second person confirms next' 5
tmux_keys y
tmux_wait 'Second person' 5
tmux_type demo-approver
tmux_keys Enter
expect_screen 'Recorded as entry [0-9]+, approved by demo-approver' \
    "the approver confirms it" 15
[ "$(entries_of)" = "$((n1 + 1))" ] && ok "one entry was written" ||
    fail "entries went from $n1 to $(entries_of)"
"$DAICHO" events --dir "$D" >"$T/events" 2>&1
grep -Eq '^2027-03-31 +leaver +pending +E0000007' "$T/events" &&
    ok "its leavers are events" || fail "daicho events says: $(cat "$T/events")"

# --- a person the latest export no longer lists: the detail says so
grep -v '^E0900001,' "$T/y2.csv" >"$T/y4.csv"
expect_rc 0 "an export without E0900001, from the command line" \
    pw 'demo\n' import personnel "$T/y4.csv" --user demo-admin
tmux_keys BTab
expect_screen '\[People\]' "Shift-Tab goes back to People"
tmux_keys F8 C-u
tmux_type E0900001
tmux_keys Tab C-u Tab C-u Tab C-u Enter
expect_screen 'E0900001 +髙橋 﨑子 .* active\?' \
    "the list marks them missing from the export"
tmux_keys Enter
expect_screen 'missing from the latest HR export \(a finding, never a' \
    "their detail says so"
tmux_keys Escape

# --- a transfer whose day has passed (2026-11-30), carried out from the
# Events screen: 税務課's birthright is an ID on juki, so the plan issues
# one (a work order on that manual system); the confirmation lists it
expect_rc 0 "birthright: 税務課 on juki" pw 'demo\ndemo\n' act \
    birthright.add department=税務課 system=juki kind=personal \
    --user demo-admin --approver demo-approver
sed 's/^\(E0000009,[^,]*,[^,]*\),[^,]*,\([^,]*,[^,]*\),[^,]*,/\1,税務課,\2,2026-11-30,/' \
    "$T/y4.csv" >"$T/y5.csv"
grep -q '^E0000009,[^,]*,[^,]*,税務課,.*,2026-11-30,' "$T/y5.csv" ||
    fail "setup: no transfer for E0000009 in y5.csv"
expect_rc 0 "E0000009 moved to 税務課 on 2026-11-30, from the command line" \
    pw 'demo\n' import personnel "$T/y5.csv" --user demo-admin
tmux_keys Tab Tab
expect_screen '\[Events\]' "Tab Tab goes to Events"
expect_screen '2026-11-30 +mover +pending +E0000009' "the transfer is first"
tmux_keys Enter
expect_screen '1\. id\.create e0000009 on juki \(personal\)' \
    "its detail shows the plan: 税務課's ID on juki"
tmux_keys Escape F4
expect_screen 'Carry out event' "F4 asks"
expect_screen '1\. id\.create e0000009 on juki' "showing the plan"
tmux_keys y
expect_screen 'carried out: 1 step' "yes carries it out"
[ "$(sqlite3 "$D/daicho.db" "SELECT kind || ' ' || owner FROM account
    WHERE system = 'juki' AND login = 'e0000009'")" = "personal E0000009" ] &&
    ok "e0000009 is E0000009's personal ID on juki" ||
    fail "no juki ID for E0000009"
"$DAICHO" workorder list --dir "$D" >"$T/orders" 2>&1
grep -Eq 'juki +e0000009 +create' "$T/orders" &&
    ok "a work order creates it on juki" ||
    fail "work orders: $(cat "$T/orders")"
"$DAICHO" events --dir "$D" --format tsv >"$T/events" 2>&1
grep -q "^mover${TAB:-	}E0000009${TAB:-	}2026-11-30${TAB:-	}.*${TAB:-	}applied\$" \
    "$T/events" && ok "the event is applied" ||
    fail "events: $(grep E0000009 "$T/events")"
tmux_keys BTab BTab
expect_screen '\[People\]' "back to People"

# --- F1 lists the screen's keys from its table
tmux_keys F1
expect_screen 'F8 +Search' "F1 on People lists F8 Search"
expect_screen 'two of name, kana,' "and the help topic says what a search needs"
tmux_keys Enter

tmux_stop
"$DAICHO" verify --replay --dir "$D" >"$T/verify" 2>&1 &&
    ok "verify --replay passes" || fail "verify: $(cat "$T/verify")"
finish
