# tests/exception.sh -- exceptions to policy (例外措置) from the command
# line, on the demo city under pam_wrapper, with the clock frozen by
# libfaketime at times that only move forward:
# - bad requests refused with nothing written: an unknown rule (the valid
#   ones listed), the overdue-report rule itself, a bad scope item, an ID,
#   a system or a person not on record, a bad day, a reversed period, one
#   longer than 366 days;
# - a request's whole life: approval by the requester refused (even as an
#   approver), approval by another with its conditions; reject; end; each
#   refused in the wrong state;
# - suppression limited to its scope (another ID with the same finding
#   stays open, and findings remedy locks only that one) and its period
#   (open before its start and after its end, covered within); the sweep
#   expires it, and a second sweep writes nothing;
# - an emergency exception: in force at once, its report overdue after
#   exception_report_days (a finding), the report refused to the one who
#   applied it and taken by an approver;
# - priv.request outside the allowed hours refused, and allowed with an
#   exception covering that ID, the entry naming it; priv.approve above
#   max_holders likewise;
# - the register (例外措置台帳) as text and CSV, by fiscal year;
# - daicho verify --replay is clean at the end.
. "$srcdir/tests/lib.sh"

need sqlite3
[ -n "$FAKETIME_LIB" ] || need faketime-library
pam_wrapper_lock

# The policy's zone is Asia/Tokyo: the frozen times below are UTC.
TZ=UTC
export TZ
CLOCK='2027-01-04 08:00:00'
demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
findings() { clocked "$DAICHO" --config "$T/cli.conf" findings --dir "$D" \
    "$@"; }
newest() { q "SELECT max(idx) FROM exception"; }
printf 'ops2:demo:daicho-password\n' >>"$D/pam/passdb-password"

# --- the scene (Tuesday 10:00 in Tokyo): two contractor IDs ending on
# 2027-01-06, two time-limited privileged IDs, an admin of our own
CLOCK='2027-01-05 01:00:00'
for n in 1 2; do
	expect_rc 0 "contractor ID ctr$n" pw 'demo\n' act id.create \
	    system=linux-honcho login=ctr$n kind=contractor owner=E000000$((n + 5)) \
	    sponsor=E0000002 end_date=2027-01-06 name=委託$n --user demo-admin
	expect_rc 0 "privileged ID root-ops$n" pw 'demo\n' act id.create \
	    system=linux-honcho login=root-ops$n kind=privileged \
	    owner=E000000$((n + 1)) end_date=2027-12-31 'rights=sudo ALL' \
	    purpose=パッチ適用 manager=E0000003 name=特権$n --user demo-admin
done
expect_rc 0 "an admin of our own" pw 'demo\ndemo\n' operator add ops2 \
    admin --user demo-admin --approver demo-approver

# --- bad requests: refused, nothing written
n0=$(entries_of)
req() { pw 'demo\n' exception request "$@" --user ops2; }
expect_rc 2 "an unknown rule" req no-such-rule id:linux-honcho:ctr1 \
    --start 2027-01-08 --end 2027-01-10 --reason x
expect_out 'no rule "no-such-rule" an exception may name; the rules are: leaver-active, .*contractor-expired.*, priv-outside-hours, priv-over-cap' \
    "lists the rules an exception may name"
expect_rc 2 "the overdue-report rule" req exception-report-overdue \
    id:linux-honcho:ctr1 --start 2027-01-08 --end 2027-01-10 --reason x
expect_out "no rule \"exception-report-overdue\"" "cannot itself be excepted"
expect_rc 2 "a bad scope item" req contractor-expired ctr1 \
    --start 2027-01-08 --end 2027-01-10 --reason x
expect_out 'scope item "ctr1" is not one of id:SYSTEM:LOGIN' "names the forms"
expect_rc 2 "an ID not on record" req contractor-expired \
    id:linux-honcho:nobody --start 2027-01-08 --end 2027-01-10 --reason x
expect_out "no live ID nobody on linux-honcho" "says so"
expect_rc 2 "a system not on record" req contractor-expired system:nowhere \
    --start 2027-01-08 --end 2027-01-10 --reason x
expect_out "scope system:nowhere: no such system" "says so"
expect_rc 2 "a person not on record" req owner-unknown person:E9999999 \
    --start 2027-01-08 --end 2027-01-10 --reason x
expect_out "person:E9999999: nobody on record" "says so"
expect_rc 2 "a bad day" req contractor-expired id:linux-honcho:ctr1 \
    --start 2027-02-30 --end 2027-03-10 --reason x
expect_out 'start "2027-02-30" is not a day' "says so"
expect_rc 2 "a reversed period" req contractor-expired id:linux-honcho:ctr1 \
    --start 2027-01-10 --end 2027-01-08 --reason x
expect_out "the period ends before it starts" "says so"
expect_rc 2 "367 days" req contractor-expired id:linux-honcho:ctr1 \
    --start 2027-01-08 --end 2028-01-09 --reason x
expect_out "longer than 366 days" "names the limit"
expect_rc 2 "no reason" req contractor-expired id:linux-honcho:ctr1 \
    --start 2027-01-08 --end 2027-01-10
[ "$(entries_of)" = "$n0" ] && ok "nothing was written" ||
    fail "the refusals wrote $(($(entries_of) - n0)) entries"
[ "$(q "SELECT count(*) FROM exception")" = 0 ] &&
    ok "no exception recorded" || fail "$(q "SELECT * FROM exception")"
# (its refused login is recorded: not above)
expect_rc 2 "an approver may not request" pw 'demo\n' exception request \
    contractor-expired id:linux-honcho:ctr1 --start 2027-01-08 \
    --end 2027-01-10 --reason x --user demo-approver

# --- a request for ctr1 only, from the 8th to the 10th (Tokyo days)
expect_rc 0 "a request" req contractor-expired id:linux-honcho:ctr1 \
    --start 2027-01-08 --end 2027-01-10 --reason '引継ぎ中のため' \
    --measure '週次で利用記録を確認' --alternative 'ログ監視' --risk 低
expect_out "exception [0-9]+ is waiting for an approver" "waits"
X1=$(newest)
start=$(date -u -d '2027-01-07 15:00:00' +%s)
[ "$(q "SELECT state || '|' || kind || '|' || start_at || '|' || end_at
    FROM exception WHERE idx = $X1")" = \
    "requested|planned|$start|$((start + 3 * 86400))" ] &&
    ok "requested, from 00:00 of the 8th to the end of the 10th in Tokyo" ||
    fail "request: $(q "SELECT * FROM exception WHERE idx = $X1")"
[ "$(q "SELECT system || '|' || login FROM exception_scope WHERE
    exception = $X1")" = 'linux-honcho|ctr1' ] && ok "its scope row" ||
    fail "scope: $(q "SELECT * FROM exception_scope")"

# --- an emergency: in force at once, its report due in 3 days
expect_rc 0 "an emergency exception" pw 'demo\n' exception emergency \
    priv-outside-hours id:linux-honcho:root-ops1 --end 2027-01-31 \
    --reason '障害対応' --user ops2
expect_out "exception [0-9]+ is in force; report it" "in force"
XE=$(newest)
now=$(date -u -d '2027-01-05 01:00:00' +%s)
[ "$(q "SELECT state || '|' || start_at || '|' || report_due FROM exception
    WHERE idx = $XE")" = "emergency|$now|$((now + 3 * 86400))" ] &&
    ok "from now, the report due in exception_report_days (3)" ||
    fail "emergency: $(q "SELECT * FROM exception WHERE idx = $XE")"

# --- more requests for the whole life: one to reject, one to end
expect_rc 0 "a request to reject" req dormant system:linux-honcho \
    --start 2027-01-05 --end 2027-03-31 --reason 'x'
X2=$(newest)
expect_rc 0 "a request to end" req owner-unknown person:E0000005 \
    --start 2027-01-05 --end 2027-06-30 --reason 'y'
X3=$(newest)

# --- decisions: never the requester's
expect_rc 0 "ops2 made an approver" pw 'demo\ndemo\n' operator role ops2 \
    approver --user demo-admin --approver demo-approver
expect_rc 2 "the requester approves their own request" pw 'demo\n' \
    exception approve "$X1" --comment ok --user ops2
expect_out "ops2 asked for this exception; the decision is another person's" \
    "self-approval refused"
expect_rc 2 "the one who applied it reports their own emergency" \
    pw 'demo\n' exception report "$XE" --report done --user ops2
expect_out "ops2 applied this exception" "self-report refused"
expect_rc 2 "an admin may not approve" pw 'demo\n' exception approve "$X1" \
    --comment ok --user demo-admin
expect_rc 2 "approval without a comment" pw 'demo\n' exception approve \
    "$X1" --user demo-approver
expect_rc 0 "demo-approver approves, with conditions" pw 'demo\n' \
    exception approve "$X1" --comment '1月10日まで' --user demo-approver
[ "$(q "SELECT state || '|' || approver || '|' || comment FROM exception
    WHERE idx = $X1")" = 'approved|demo-approver|1月10日まで' ] &&
    ok "approved, by whom, its conditions" ||
    fail "approved: $(q "SELECT * FROM exception WHERE idx = $X1")"
expect_rc 2 "approving it twice" pw 'demo\n' exception approve "$X1" \
    --comment again --user demo-approver
expect_out "is approved; this needs it requested" "the wrong state"
expect_rc 0 "rejected" pw 'demo\n' exception reject "$X2" \
    --comment '範囲が広すぎる' --user demo-approver
expect_rc 2 "approving a rejected one" pw 'demo\n' exception approve "$X2" \
    --comment ok --user demo-approver
expect_out "is rejected" "the wrong state"
expect_rc 0 "another approved" pw 'demo\n' exception approve "$X3" \
    --comment ok --user demo-approver
expect_rc 0 "and ended early" pw 'demo\n' exception end "$X3" \
    --reason '不要になった' --user demo-admin
expect_rc 2 "ending it twice" pw 'demo\n' exception end "$X3" \
    --reason again --user demo-admin
expect_out "is ended" "the wrong state"
expect_rc 2 "a report of a planned one" pw 'demo\n' exception report \
    "$X3" --report x --user demo-approver
expect_rc 2 "expiry is the system's" pw 'demo\n' act exception.expire \
    exception="$X1" --user demo-admin

# --- before the period (the 7th, 19:00 in Tokyo): both IDs open
CLOCK='2027-01-07 10:00:00'
expect_rc 1 "findings before the start" findings --rule contractor-expired
expect_out "linux-honcho/ctr1 .* still active  \[lock\]$" "ctr1 is open"
expect_out "linux-honcho/ctr2 " "ctr2 is open"
if printf '%s\n' "$OUT" | grep -q covered; then
	fail "covered before its start: $OUT"
else
	ok "nothing is covered before the start"
fi
expect_rc 0 "no overdue report yet" findings --rule exception-report-overdue

# --- within (Friday the 8th, 19:00 in Tokyo: also outside the hours)
CLOCK='2027-01-08 10:00:00'
expect_rc 1 "findings within the period" findings --rule contractor-expired
expect_out "linux-honcho/ctr1 .*covered by exception $X1" "ctr1 is covered"
expect_out "linux-honcho/ctr2 .*still active  \[lock\]$" "ctr2 stays open"
expect_out "2 findings, 1 of them covered by an exception" "counts them"
expect_rc 0 "the remedy locks what is open" pw 'demo\n' findings remedy \
    contractor-expired lock --user demo-admin --yes
expect_out "id.lock linux-honcho/ctr2" "ctr2"
if printf '%s\n' "$OUT" | grep -q "ctr1"; then
	fail "the remedy touched the covered ctr1: $OUT"
else
	ok "not the covered ctr1"
fi
[ "$(q "SELECT login || ':' || state FROM account WHERE login LIKE 'ctr%'
    ORDER BY login" | tr '\n' ' ')" = 'ctr1:active ctr2:locked ' ] &&
    ok "ctr1 active, ctr2 locked" ||
    fail "states: $(q "SELECT login, state FROM account WHERE login LIKE 'ctr%'")"
expect_rc 0 "only a covered finding left: exit 0" findings \
    --rule contractor-expired

# the emergency's report is overdue: a finding, high
expect_rc 1 "the report is overdue" findings --rule exception-report-overdue
expect_out "exception:$XE +an emergency exception to priv-outside-hours applied by ops2" \
    "names the exception and who applied it"

# priv.request outside the hours: root-ops1 is covered, root-ops2 is not
expect_rc 2 "root-ops2 outside the hours" pw 'demo\n' priv request \
    linux-honcho root-ops2 60 --reason 緊急 --user demo-admin
expect_out "outside the allowed hours .*no exception in force lifts priv-outside-hours" \
    "refused, no exception covers it"
expect_rc 0 "root-ops1 outside the hours, by the exception" pw 'demo\n' \
    priv request linux-honcho root-ops1 60 --reason 緊急 --user demo-admin
P1=$(q "SELECT max(idx) FROM priv_request")
"$DAICHO" entry "$P1" --dir "$D" >"$T/entry"
grep -q "^a.exception $XE\$" "$T/entry" && ok "the entry names exception $XE" ||
    fail "entry $P1: $(cat "$T/entry")"
expect_rc 2 "the cap is not lifted by it" pw 'demo\n' priv request \
    linux-honcho root-ops2 481 --reason x --user demo-admin
expect_out "minutes must be 1 to 480" "refused"

# priv.approve above max_holders: refused, then lifted for root-ops1
expect_rc 0 "max_holders 1 on linux-honcho" pw 'demo\ndemo\n' act \
    policy.set system=linux-honcho kind=privileged max_holders=1 \
    --user demo-admin --approver demo-approver
expect_rc 2 "approval above the maximum" pw 'demo\n' priv approve "$P1" \
    --user demo-approver
expect_out "the policy allows 1 at once; no exception in force lifts privileged-over-max" \
    "refused, no exception covers it"
expect_rc 0 "an emergency exception to the maximum" pw 'demo\n' exception \
    emergency privileged-over-max id:linux-honcho:root-ops1 \
    --end 2027-01-09 --reason '障害対応の増員' --user demo-admin
XM=$(newest)
expect_rc 0 "approval by the exception" pw 'demo\n' priv approve "$P1" \
    --user demo-approver
"$DAICHO" entry "$(q "SELECT decided_idx FROM priv_request WHERE idx = $P1")" \
    --dir "$D" >"$T/entry"
grep -q "^a.exception $XM\$" "$T/entry" && ok "the approval names exception $XM" ||
    fail "approval: $(cat "$T/entry")"

# the report, by an approver
expect_rc 0 "demo-approver takes the report" pw 'demo\n' exception report \
    "$XE" --report '障害復旧のため実施、異常なし' --user demo-approver
[ "$(q "SELECT state || '|' || approver || '|' || (reported_at IS NOT NULL)
    FROM exception WHERE idx = $XE")" = 'reported|demo-approver|1' ] &&
    ok "reported" || fail "$(q "SELECT * FROM exception WHERE idx = $XE")"
expect_rc 0 "no overdue report now" findings --rule exception-report-overdue
expect_rc 2 "reported twice" pw 'demo\n' exception report "$XE" --report x \
    --user demo-approver

# --- after its end (the 11th, 01:00 in Tokyo): open again, then expired
CLOCK='2027-01-10 16:00:00'
expect_rc 1 "findings after the end" findings --rule contractor-expired
expect_out "linux-honcho/ctr1 .*still active  \[lock\]$" "ctr1 is open again"
sweep() { clocked "$DAICHO" --config "$T/cli.conf" sweep --dir "$D"; }
expect_rc 0 "the sweep" sweep
expect_out "2 exceptions expired" "expires it (and the one to the maximum)"
[ "$(q "SELECT state || '|' || end_note FROM exception WHERE idx = $X1")" = \
    'expired|expired' ] && [ "$(q "SELECT state FROM exception WHERE
    idx = $XM")" = expired ] && ok "expired" ||
    fail "$(q "SELECT * FROM exception WHERE idx = $X1")"
"$DAICHO" log -n 30 --dir "$D" >"$T/log"
grep -q "exception.expire .*@system" "$T/log" && ok "by @system" ||
    fail "$(cat "$T/log")"
n=$(entries_of)
expect_rc 0 "a second sweep" sweep
expect_out "0 exceptions expired" "expires nothing"
[ "$(entries_of)" = "$n" ] && ok "and writes nothing" ||
    fail "the second sweep wrote $(($(entries_of) - n)) entries"

# --- the list, one, the register
expect_rc 0 "exception list" "$DAICHO" exception list --dir "$D"
expect_out "^$X1 +expired +contractor-expired for id:linux-honcho:ctr1, by ops2" \
    "lists it"
expect_rc 0 "exception list of one state" "$DAICHO" exception list \
    --state rejected --dir "$D"
expect_out "^$X2 +rejected +dormant for system:linux-honcho" "the rejected one"
if printf '%s\n' "$OUT" | grep -q expired; then
	fail "another state listed: $OUT"
else
	ok "and no other"
fi
expect_rc 2 "a state that is none" "$DAICHO" exception list --state gone \
    --dir "$D"
expect_rc 0 "exception show" "$DAICHO" exception show "$XE" --dir "$D"
expect_out "report due" "the emergency's deadline"
expect_rc 0 "the register" "$DAICHO" exception register --year 2026 --dir "$D"
expect_out "例外措置台帳 / Exception register FY2026 \(2026-04-01 - 2027-03-31" \
    "its title and year"
expect_out "clause 条項 +対策基準 §10\(2\)③" "the rule's clause"
expect_out "measure 措置 +週次で利用記録を確認" "the measure"
expect_out "emergency \(緊急\): done 2027-01-05 10:00 \+0900, report due 2027-01-08 10:00 \+0900, reported 2027-01-08 19:00 \+0900" \
    "the emergency, when done and reported"
expect_out "conditions 条件 +1月10日まで" "the conditions"
expect_rc 0 "the register as CSV" "$DAICHO" exception register --csv \
    --dir "$D"
expect_out "^number,date,requester,rule,clause,scope,measure,alternative,reason,risk,start,end,kind" \
    "its header"
expect_out "^$X1,2027-01-05 10:00 \+0900,ops2,contractor-expired," "a row"
[ "$(printf '%s\n' "$OUT" | wc -l)" = 6 ] && ok "five rows and the header" ||
    fail "rows: $OUT"
expect_rc 0 "another year" "$DAICHO" exception register --year 2027 \
    --dir "$D"
expect_out "^no exceptions$" "is empty"

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
finish
