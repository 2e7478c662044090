# tests/analysis.sh -- reviewing the ledger's own records (daicho analysis,
# daicho review) on the demo city under pam_wrapper, with the clock
# frozen by libfaketime at times that only move forward:
# - a scripted history: failed logins (five in a row lock the terminal),
#   work at night, privileged changes (a new privileged ID, and a lock of
#   a privileged ID the state knows), an emergency lockout and an export,
#   with more of the same before and after the period;
# - the analysis of the period counts exactly those inside it, its days
#   read in the policy's zone (Asia/Tokyo: 15:00 UTC is the next day's
#   00:00), as text and as CSV;
# - review.done records the period as UTC times with the counts the
#   analysis showed; bad input (the end before the start, a period in
#   the future, an empty comment, a day that does not exist, an auditor)
#   is refused with nothing written;
# - the reminder: due before any review, not within review_interval_days
#   of the period's end, due after it (and sooner once policy.set makes
#   the interval shorter);
# - daicho verify --replay is clean at the end (the review table).
. "$srcdir/tests/lib.sh"

need sqlite3
[ -n "$FAKETIME_LIB" ] || need faketime-library
pam_wrapper_lock

# The frozen times are UTC; the policy's hours are Asia/Tokyo's
# (mon-fri 08:30-17:15): 00:00 UTC is 09:00 there.
TZ=UTC
export TZ
CLOCK='2027-01-04 00:00:00'
demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
act() { pw 'demo\n' act "$@" --user demo-admin >/dev/null 2>&1 ||
    fail "setup: act $*"; }
wrong() { pw 'wrong\n' act id.lock system=linux-honcho login=e0000003 \
    reason=x --user demo-admin >/dev/null 2>&1 &&
    fail "setup: a wrong password was accepted" || true; }
newest() { q "SELECT max(idx) FROM ledger_entry"; }
an() { faketime_run "$CLOCK" "$DAICHO" --config "$T/cli.conf" analysis \
    --dir "$D" "$@"; }

# --- before the period (Monday, Tokyo)
CLOCK='2027-01-04 09:00:00'				# 18:00 in Tokyo
wrong
act id.lock system=linux-honcho login=e0000010 reason=night
CLOCK='2027-01-04 14:59:59'				# 23:59:59
act id.lock system=linux-honcho login=e0000011 reason=night
BEFORE=$(newest)

# --- the period: Tuesday and Wednesday in Tokyo
CLOCK='2027-01-04 15:00:00'				# Tuesday 00:00
act id.lock system=linux-honcho login=e0000012 reason=night
FIRST_NIGHT=$(q "SELECT max(idx) FROM ledger_entry WHERE CAST(data AS TEXT)
    LIKE '%action id.lock%subject id:linux-honcho/e0000012%'")
[ -n "$FIRST_NIGHT" ] || fail "setup: no id.lock of e0000012"
CLOCK='2027-01-05 01:00:00'				# 10:00
for i in 1 2 3 4 5; do wrong; done
[ "$(q "SELECT count(*) FROM login_event WHERE kind = 'failure'")" = 6 ] ||
    fail "setup: failures: $(q "SELECT count(*) FROM login_event")"
CLOCK='2027-01-05 02:00:00'				# 11:00, the lock over
act id.create system=linux-honcho login=root-ops kind=privileged \
    owner=E0000002 end_date=2027-12-31 'rights=sudo ALL' purpose=patch \
    manager=E0000003 name=ops
act id.lock system=linux-honcho login=adm-e0000002 reason=check
CLOCK='2027-01-05 13:00:00'				# 22:00
act id.unlock system=linux-honcho login=e0000012
CLOCK='2027-01-06 02:00:00'				# Wednesday 11:00
expect_rc 0 "an emergency lockout" pw 'demo\n' lockout \
    --scope person:E0000005 --yes --user demo-admin
mkdir "$T/out"
expect_rc 0 "an export" pw 'demo\ndemo\n' export people "$T/out/p.csv" \
    --format csv --user demo-admin --approver demo-approver
LAST=$(newest)

# --- after the period: Thursday 00:00 in Tokyo
CLOCK='2027-01-06 15:00:00'
act id.lock system=linux-honcho login=e0000009 reason=night
wrong
CLOCK='2027-01-07 03:00:00'				# Thursday 12:00

# --- the analysis of the period
expect_rc 0 "analysis of Tuesday and Wednesday" an --from 2027-01-05 \
    --to 2027-01-06
expect_out "^period 2027-01-04 15:00 \+0000 to 2027-01-06 15:00 \+0000: " \
    "the days are Tokyo's"
expect_out "^failed logins +5 \(1 locked a terminal\)$" "five failed logins"
expect_out "^out of hours +2$" "two entries out of hours"
expect_out "^privileged changes +2$" "two privileged changes"
expect_out "^emergency actions +1$" "one emergency action"
expect_out "^exports +1$" "one export"
expect_out "failed login, which locked the terminal" \
    "the fifth failure locked the terminal"
expect_out "out of hours: tue 00:00 in Asia/Tokyo" \
    "Tuesday's first second is out of hours"
printf '%s\n' "$OUT" | grep -q 'login=e0000011\|id:linux-honcho/e0000011' &&
    fail "an entry before the period is listed" ||
    ok "nothing before the period is listed"
printf '%s\n' "$OUT" | grep -q 'id:linux-honcho/e0000009' &&
    fail "an entry after the period is listed" ||
    ok "nothing after the period is listed"
expect_out "^ *$FIRST_NIGHT  " "the period's first entry is listed"
expect_out "entries \($((BEFORE + 1)) to $LAST\)" \
    "the period's entries are exactly those between"

expect_rc 0 "the same as CSV" an --from 2027-01-05 --to 2027-01-06 --csv
printf '%s\n' "$OUT" >"$T/a.csv"
[ "$(head -n 1 "$T/a.csv" | tr -d '\r')" = \
    "index,time,action,operator,approver,subject,categories,why" ] &&
    ok "the CSV's header" || fail "CSV header: $(head -n 1 "$T/a.csv")"
grep -q $'\r$' "$T/a.csv" && ok "CSV records end in CRLF" ||
    fail "no CRLF in the CSV"
[ "$(grep -c ',failed,' "$T/a.csv")" = 5 ] && ok "five failed rows" ||
    fail "failed rows: $(grep -c ',failed,' "$T/a.csv")"
grep -q '^'"$FIRST_NIGHT"',2027-01-04T15:00:00Z,id.lock,demo-admin,,id:linux-honcho/e0000012,out_of_hours,' \
    "$T/a.csv" && ok "the boundary row, its UTC time and category" ||
    fail "no boundary row: $(cat "$T/a.csv")"
grep -q ',data\.export,demo-admin,demo-approver,export:people,exports,' \
    "$T/a.csv" && ok "the export row names both people" ||
    fail "no export row"

expect_rc 0 "the whole week" an --from 2027-01-04 --to 2027-01-07
expect_out "^failed logins +7 \(1 locked a terminal\)$" "seven failed logins"
expect_out "^out of hours +5$" "five entries out of hours"
expect_rc 0 "the default period (the last 30 days)" an
expect_out "^period 2026-12-08 15:00 \+0000 to 2027-01-07 15:00 \+0000: " \
    "30 days to the end of today"
expect_out "^failed logins +7 " "holds the whole history"
expect_rc 2 "a day that does not exist" an --from 2027-02-30
expect_out "is not a day" "says so"
expect_rc 2 "the end before the start" an --from 2027-01-06 --to 2027-01-05

# --- review.done
rev() { pw 'demo\n' review done "$@"; }
expect_rc 0 "due before any review" faketime_run "$CLOCK" "$DAICHO" review \
    list --dir "$D"
expect_out "a review of the ledger is due: none was ever recorded" "says so"
n0=$(newest)
expect_rc 2 "the end before the start" rev --from 2027-01-06 \
    --to 2027-01-05 --comment ok --user demo-approver
expect_out "ends \(2027-01-05\) before it starts \(2027-01-06\)" "says so"
expect_rc 2 "a period in the future" rev --from 2027-01-08 \
    --to 2027-01-09 --comment ok --user demo-approver
expect_out "is in the future" "says so"
expect_rc 2 "a period ending after today" rev --from 2027-01-05 \
    --to 2027-01-08 --comment ok --user demo-approver
expect_rc 2 "an empty comment" rev --from 2027-01-05 --to 2027-01-06 \
    --comment '' --user demo-approver
expect_out "comment is empty" "says so"
expect_rc 2 "a day that does not exist" rev --from 2027-01-32 \
    --to 2027-01-06 --comment ok --user demo-approver
expect_rc 2 "an auditor may not" rev --from 2027-01-05 --to 2027-01-06 \
    --comment ok --user demo-auditor
expect_rc 2 "counts are made by daicho" pw 'demo\n' act review.done \
    from=2027-01-05 to=2027-01-06 comment=ok counts=failed=0 \
    --user demo-approver
[ "$(q "SELECT count(*) FROM review")" = 0 ] &&
    [ "$(q "SELECT count(*) FROM ledger_entry WHERE idx > $n0 AND
    CAST(data AS TEXT) NOT LIKE '%action session.failure%' AND
    CAST(data AS TEXT) NOT LIKE '%action ledger.rotate%'")" = 0 ] &&
    ok "nothing written (but the auditor's failure and the key rotation)" ||
    fail "refusals wrote: $(q "SELECT idx, substr(data, 1, 80) FROM
    ledger_entry WHERE idx > $n0")"

expect_rc 0 "an approver records the review" rev --from 2027-01-05 \
    --to 2027-01-06 --comment 'checked; night work was the patch' \
    --user demo-approver
expect_out "failed=5,out_of_hours=2,privileged=2,emergency=1,exports=1" \
    "the counts of the analysis"
from=$(date -u -d '2027-01-04 15:00:00' +%s)
to=$(date -u -d '2027-01-06 15:00:00' +%s)
[ "$(q "SELECT reviewer || '|' || from_at || '|' || to_at || '|' || counts
    || '|' || comment FROM review")" = "demo-approver|$from|$to|failed=5,out_of_hours=2,privileged=2,emergency=1,exports=1|checked; night work was the patch" ] &&
    ok "the review row" || fail "review row: $(q "SELECT * FROM review")"
"$DAICHO" log --dir "$D" -n 1 >"$T/last"
for want in "review\.done +demo-approver +review:2027-01-04T15:00:00Z\.\.2027-01-06T15:00:00Z" \
    "from=2027-01-04T15:00:00Z\$" "to=2027-01-06T15:00:00Z\$" \
    "counts=failed=5,out_of_hours=2,privileged=2,emergency=1,exports=1\$"; do
	grep -Eq -- "$want" "$T/last" && ok "the entry records $want" ||
	    fail "the entry lacks /$want/: $(cat "$T/last")"
done

# --- the reminder: 30 days after the period's end (2027-01-06 15:00)
rl() { faketime_run "$1" "$DAICHO" review list --dir "$D"; }
expect_rc 0 "the reviews" rl '2027-02-05 14:00:00'
expect_out "by demo-approver: failed=5,out_of_hours=2" "lists the review"
expect_out "the next review is due 30 days after 2027-01-06 15:00" \
    "not due within the interval"
expect_rc 0 "after the interval" rl '2027-02-05 16:00:00'
expect_out "a review of the ledger is due: the last period reviewed ended \
2027-01-06 15:00 \+0000, more than 30 days ago" "due after 30 days"
expect_rc 2 "an interval of 0 days" pw 'demo\ndemo\n' act policy.set \
    'system=*' 'kind=*' review_interval_days=0 --user demo-admin \
    --approver demo-approver
expect_rc 0 "an interval of 10 days" pw 'demo\ndemo\n' act policy.set \
    'system=*' 'kind=*' review_interval_days=10 --user demo-admin \
    --approver demo-approver
expect_rc 0 "sooner" rl '2027-01-17 16:00:00'
expect_out "is due: the last period reviewed ended .* more than 10 days ago" \
    "due after 10 days"

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
finish
