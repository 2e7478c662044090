# tests/priv.sh -- privileged IDs with time limits from the command line,
# on the demo city under pam_wrapper, with the clock frozen by
# libfaketime at times that only move forward:
# - a new privileged ID is dormant (locked on the unix target, passwd -S
#   shows L), with its register row;
# - a request outside the allowed hours (a Saturday) and one above the
#   cap are refused (no exception covers them: tests/exception.sh), as
#   is a second open request, and an exception given by hand;
# - approval by the requester is refused (the same person, even holding
#   the approver role); approval by another unlocks it (P) until its
#   time is up; daicho sweep before then ends nothing, after it locks it
#   again (L, the request expired), and a second sweep writes nothing;
# - reject (with a reason, never by the requester), end early;
# - the maximum of privileged IDs in use: approval refused at it, the
#   holders list warning above it;
# - extending a privileged or contractor ID's end date needs a second
#   person (shortening does not);
# - unlocking a locked time-limited ID leaves it dormant (nothing
#   unlocked on the system);
# - the register entry changed (priv.describe, two-person), its mode
#   making the ID dormant or not;
# - the register (特権ID管理台帳) printed, and exported (two-person, the
#   file's SHA-256 in the entry);
# - the same activation and expiry on an ldap system (a real slapd),
#   read with ldapsearch (pwdAccountLockedTime);
# - daicho verify --replay is clean at the end.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/env-slapd.sh"

trap 'slapd_stop; cleanup' EXIT
trap 'exit 130' HUP INT TERM
need sqlite3 passwd sha256sum ldapsearch
[ -n "$FAKETIME_LIB" ] || need faketime-library
slapd_need
pam_wrapper_lock

# The policy's hours are Asia/Tokyo's (mon-fri 08:30-17:15); the frozen
# times below are UTC: 01:00 UTC is 10:00 in Tokyo.
TZ=UTC
export TZ
CLOCK='2027-01-04 08:00:00'
demo_cli "$T/demo"
R=$D/unix-root
q() { sqlite3 "$D/daicho.db" "$1"; }
pw_state() { passwd -S -R "$R" "$1" 2>/dev/null | awk '{ print $2 }'; }
sweep() { faketime_run "$1" "$DAICHO" --config "$T/cli.conf" sweep \
    --dir "$D"; }
newest() { q "SELECT max(idx) FROM priv_request"; }
# An admin of our own, to be made an approver later (self-approval).
printf 'ops2:demo:daicho-password\n' >>"$D/pam/passdb-password"

# --- a new privileged ID is dormant
expect_rc 0 "a privileged ID created" pw 'demo\n' act id.create \
    system=linux-honcho login=root-ops kind=privileged owner=E0000002 \
    end_date=2027-12-31 'rights=sudo ALL' purpose=パッチ適用 \
    manager=E0000003 name=特権運用 --user demo-admin
[ "$(q "SELECT state FROM account WHERE login = 'root-ops'")" = dormant ] &&
    ok "dormant in the ledger" || fail "root-ops is not dormant"
[ "$(pw_state root-ops)" = L ] && ok "locked on the system (L)" ||
    fail "root-ops on the system: $(pw_state root-ops)"
[ "$(q "SELECT mode || '|' || rights || '|' || manager FROM privileged
    WHERE login = 'root-ops'")" = 'jit|sudo ALL|E0000003' ] &&
    ok "its register row: jit, rights, manager" ||
    fail "register row: $(q "SELECT * FROM privileged")"
expect_rc 2 "priv_mode on a personal ID refused" pw 'demo\n' act id.create \
    system=linux-honcho login=x1 kind=personal owner=E0000006 \
    priv_mode=standing --user demo-admin
expect_out "for a privileged ID only" "says it is for privileged IDs"
expect_rc 0 "an admin of our own" pw 'demo\ndemo\n' operator add ops2 \
    admin --user demo-admin --approver demo-approver

# --- refusals at the request (Tuesday 10:00 in Tokyo)
CLOCK='2027-01-05 01:00:00'
expect_rc 2 "481 minutes, above the cap" pw 'demo\n' priv request \
    linux-honcho root-ops 481 --reason パッチ --user ops2
expect_out "minutes must be 1 to 480" "names the cap"
expect_rc 2 "0 minutes" pw 'demo\n' priv request linux-honcho root-ops 0 \
    --reason パッチ --user ops2
expect_rc 2 "an exception is not given: daicho finds it" pw 'demo\n' act \
    priv.request system=linux-honcho login=root-ops minutes=60 reason=x \
    exception=1 --user ops2
expect_out "the argument exception is made by daicho, not given" "says so"
expect_rc 2 "a standing privileged ID is not requested" pw 'demo\n' priv \
    request linux-honcho adm-e0000002 60 --reason x --user ops2
expect_out "not a time-limited privileged ID" "says why"
expect_rc 2 "an approver may not request" pw 'demo\n' priv request \
    linux-honcho root-ops 60 --reason x --user demo-approver
expect_rc 0 "a request for 60 minutes" pw 'demo\n' priv request \
    linux-honcho root-ops 60 --reason 'パッチ適用 KB-1' --user ops2
expect_out "is waiting for an approver" "waits"
R1=$(newest)
expect_rc 2 "a second request while one is open" pw 'demo\n' priv request \
    linux-honcho root-ops 30 --reason again --user ops2
expect_out "has a request open already" "is refused"
[ "$(pw_state root-ops)" = L ] && ok "still locked while it waits" ||
    fail "root-ops: $(pw_state root-ops)"

# --- the requester cannot approve, even as an approver
expect_rc 0 "ops2 made an approver" pw 'demo\ndemo\n' operator role ops2 \
    approver --user demo-admin --approver demo-approver
expect_rc 2 "the requester approves their own request" pw 'demo\n' priv \
    approve "$R1" --user ops2
expect_out "ops2 asked for this; the decision is another person's" \
    "self-approval refused"
expect_rc 2 "an admin may not approve" pw 'demo\n' priv approve "$R1" \
    --user demo-admin
expect_rc 2 "no --approver: the approver approves as --user" pw 'demo\n' \
    priv approve "$R1" --user demo-admin --approver demo-approver
expect_out "in their own name" "says so"
[ "$(q "SELECT state FROM priv_request WHERE idx = $R1")" = requested ] &&
    ok "the request still waits" || fail "the request moved"

# --- approval by another: active until start + 60 minutes
CLOCK='2027-01-05 01:05:00'
expect_rc 0 "demo-approver approves" pw 'demo\n' priv approve "$R1" \
    --user demo-approver
expect_out "targets: 1 applied, 0 failed" "the unlock is applied"
[ "$(pw_state root-ops)" = P ] && ok "open on the system (P)" ||
    fail "root-ops after approval: $(pw_state root-ops)"
start=$(date -u -d '2027-01-05 01:05:00' +%s)
[ "$(q "SELECT state || '|' || approver || '|' || start_at || '|' || end_at
    FROM priv_request WHERE idx = $R1")" = \
    "active|demo-approver|$start|$((start + 3600))" ] &&
    ok "the request is active, from the entry's time for 60 minutes" ||
    fail "request: $(q "SELECT * FROM priv_request WHERE idx = $R1")"
[ "$(q "SELECT active_until FROM privileged WHERE login = 'root-ops'")" = \
    $((start + 3600)) ] && ok "the register's active_until" ||
    fail "active_until: $(q "SELECT active_until FROM privileged")"
expect_rc 0 "priv list" clocked "$DAICHO" priv list --dir "$D"
expect_out "^$R1 +active +root-ops on linux-honcho, 60 min, by ops2" \
    "lists the request"
expect_out "1h 00m 00s left" "with the time left"

# --- the sweep: nothing before the end, the lock after it
expect_rc 0 "a sweep half-way" sweep '2027-01-05 01:35:00'
expect_out "0 privileged activations ended" "ends nothing"
[ "$(pw_state root-ops)" = P ] && ok "still open" ||
    fail "root-ops half-way: $(pw_state root-ops)"
expect_rc 0 "priv list half-way" faketime_run '2027-01-05 01:35:00' \
    "$DAICHO" priv list --dir "$D"
expect_out "0h 30m 00s left" "30 minutes left"
expect_rc 0 "a sweep at the end" sweep '2027-01-05 02:05:00'
expect_out "1 privileged activations ended" "ends it"
[ "$(pw_state root-ops)" = L ] && ok "locked again on the system (L)" ||
    fail "root-ops after the end: $(pw_state root-ops)"
[ "$(q "SELECT r.state || '|' || r.ended_by || '|' || a.state FROM
    priv_request r JOIN account a USING (system, login) WHERE r.idx = $R1")" \
    = 'expired|@system|dormant' ] &&
    ok "the request expired (by @system), the ID dormant" ||
    fail "after the sweep: $(q "SELECT * FROM priv_request WHERE idx = $R1")"
n=$(entries_of)
expect_rc 0 "a second sweep" sweep '2027-01-05 02:06:00'
expect_out "0 privileged activations ended" "ends nothing"
[ "$(entries_of)" = "$n" ] && ok "and writes nothing" ||
    fail "the second sweep wrote $(($(entries_of) - n)) entries"

# --- outside the allowed hours: a Saturday
CLOCK='2027-01-09 01:00:00'
expect_rc 2 "a request on a Saturday" pw 'demo\n' priv request \
    linux-honcho root-ops 60 --reason weekend --user demo-admin
expect_out "it is sat 10:00 in Asia/Tokyo, outside the allowed hours \(mon-fri 08:30-17:15\); no exception in force lifts priv-outside-hours" \
    "names the day, the time, the hours and the missing exception"

# --- reject: a reason, never by the requester
CLOCK='2027-01-11 01:00:00'
expect_rc 0 "a request on Monday" pw 'demo\n' priv request linux-honcho \
    root-ops 30 --reason 'ログ調査' --user demo-admin
R2=$(newest)
expect_rc 2 "reject by the requester" pw 'demo\n' priv reject "$R2" \
    --reason no --user demo-admin
expect_out "demo-admin asked for this" "is refused"
expect_rc 2 "reject without a reason" pw 'demo\n' priv reject "$R2" \
    --user demo-approver
expect_rc 0 "reject by the approver" pw 'demo\n' priv reject "$R2" \
    --reason '手順書がない' --user demo-approver
[ "$(q "SELECT state || '|' || approver || '|' || note FROM priv_request
    WHERE idx = $R2")" = 'rejected|demo-approver|手順書がない' ] &&
    ok "rejected, with the reason" ||
    fail "rejected: $(q "SELECT * FROM priv_request WHERE idx = $R2")"
[ "$(pw_state root-ops)" = L ] && ok "still locked" ||
    fail "root-ops after the rejection: $(pw_state root-ops)"
expect_rc 2 "approving a rejected request" pw 'demo\n' priv approve "$R2" \
    --user demo-approver
expect_out "is rejected, not requested" "is refused"

# --- end early
expect_rc 0 "another request" pw 'demo\n' priv request linux-honcho \
    root-ops 120 --reason 'ログ調査' --user demo-admin
R3=$(newest)
expect_rc 0 "approved" pw 'demo\n' priv approve "$R3" --user demo-approver
[ "$(pw_state root-ops)" = P ] && ok "open (P)" ||
    fail "root-ops: $(pw_state root-ops)"
CLOCK='2027-01-11 01:10:00'
expect_rc 0 "ended early by the admin" pw 'demo\n' priv end "$R3" \
    --reason 'done' --user demo-admin
[ "$(pw_state root-ops)" = L ] && ok "locked again (L)" ||
    fail "root-ops after the end: $(pw_state root-ops)"
[ "$(q "SELECT state || '|' || ended_by || '|' || note FROM priv_request
    WHERE idx = $R3")" = 'ended|demo-admin|done' ] &&
    ok "ended, by whom and why" ||
    fail "ended: $(q "SELECT * FROM priv_request WHERE idx = $R3")"
expect_rc 2 "ending it again" pw 'demo\n' priv end "$R3" --user demo-admin
expect_out "is ended, not active" "is refused"

# --- the maximum in use: adm-e0000002 and two standing IDs make 3
for l in ops-a ops-b; do
	expect_rc 0 "standing privileged $l" pw 'demo\n' act id.create \
	    system=linux-honcho login=$l kind=privileged owner=E0000004 \
	    end_date=2027-12-31 priv_mode=standing --user demo-admin
done
[ "$(q "SELECT state FROM account WHERE login = 'ops-a'")" = active ] &&
    ok "a standing privileged ID is active" || fail "ops-a is not active"
expect_rc 0 "a request at the maximum" pw 'demo\n' priv request \
    linux-honcho root-ops 30 --reason x --user demo-admin
R4=$(newest)
expect_rc 2 "approval at the maximum" pw 'demo\n' priv approve "$R4" \
    --user demo-approver
expect_out "linux-honcho has 3 privileged IDs in use, and the policy allows 3 at once" \
    "refused, with the count"
expect_rc 0 "priv holders at the maximum" "$DAICHO" priv holders --dir "$D"
expect_out "^linux-honcho: 3 privileged IDs in use, at most 3$" "3 of 3"
expect_out "root-ops +dormant +jit +E0000002 .*\(staff\)" "lists root-ops"
expect_rc 0 "a third standing ID" pw 'demo\n' act id.create \
    system=linux-honcho login=ops-c kind=privileged owner=E0000005 \
    end_date=2027-12-31 priv_mode=emergency --user demo-admin
expect_rc 0 "priv holders above the maximum" "$DAICHO" priv holders \
    --dir "$D"
expect_out "^linux-honcho: 4 privileged IDs in use, at most 3 -- OVER THE MAXIMUM$" \
    "warns above the maximum"
expect_rc 0 "the request rejected" pw 'demo\n' priv reject "$R4" \
    --reason 'over the maximum' --user demo-approver

# --- extending an end date needs a second person
expect_rc 2 "extending root-ops alone" pw 'demo\n' act id.end_date \
    system=linux-honcho login=root-ops end_date=2028-03-31 --user demo-admin
expect_out "extending a privileged ID .* from 2027-12-31 to 2028-03-31 needs a second person" \
    "needs a second person"
expect_rc 0 "extending root-ops with an approver" pw 'demo\ndemo\n' act \
    id.end_date system=linux-honcho login=root-ops end_date=2028-03-31 \
    --user demo-admin --approver demo-approver
expect_rc 0 "shortening it alone" pw 'demo\n' act id.end_date \
    system=linux-honcho login=root-ops end_date=2027-06-30 --user demo-admin
expect_rc 2 "extending a contractor's alone" pw 'demo\n' act id.end_date \
    system=linux-honcho login=itaku-01 end_date=2027-09-30 --user demo-admin
expect_out "extending a contractor ID" "needs a second person"
expect_rc 0 "a personal ID's end date alone" pw 'demo\n' act id.end_date \
    system=linux-honcho login=e0000001 end_date=2030-01-01 --user demo-admin
[ "$(q "SELECT end_date FROM account WHERE login = 'root-ops'")" = \
    2027-06-30 ] && ok "root-ops ends 2027-06-30" || fail "root-ops end date"

# --- unlock of a locked time-limited ID: dormant again, nothing unlocked
expect_rc 0 "root-ops locked" pw 'demo\n' act id.lock system=linux-honcho \
    login=root-ops reason=test --user demo-admin
expect_rc 0 "root-ops unlocked" pw 'demo\n' act id.unlock \
    system=linux-honcho login=root-ops --user demo-admin
[ "$(q "SELECT state FROM account WHERE login = 'root-ops'")" = dormant ] &&
    ok "dormant after the unlock" || fail "root-ops is not dormant"
[ "$(q "SELECT count(*) FROM outbox WHERE login = 'root-ops' AND op =
    'unlock' AND entry_idx = (SELECT max(entry_idx) FROM outbox WHERE
    login = 'root-ops')")" = 0 ] && ok "no unlock queued" ||
    fail "an unlock was queued"
[ "$(pw_state root-ops)" = L ] && ok "still locked on the system" ||
    fail "root-ops: $(pw_state root-ops)"

# --- the register entry: priv.describe, two-person; the mode decides
# whether the ID is dormant
expect_rc 2 "priv.describe alone" pw 'demo\n' act priv.describe \
    system=linux-honcho login=adm-e0000002 renamed=1 --user demo-admin
expect_out "needs a second person" "is refused"
expect_rc 0 "priv.describe: renamed, time-limited" pw 'demo\ndemo\n' act \
    priv.describe system=linux-honcho login=adm-e0000002 renamed=1 mode=jit \
    'purpose=サーバ保守 (夜間)' --user demo-admin --approver demo-approver
[ "$(q "SELECT p.renamed || '|' || p.mode || '|' || p.purpose || '|' ||
    a.state FROM privileged p JOIN account a USING (system, login) WHERE
    login = 'adm-e0000002'")" = '1|jit|サーバ保守 (夜間)|dormant' ] &&
    ok "recorded; a time-limited ID is dormant" ||
    fail "adm-e0000002: $(q "SELECT * FROM privileged WHERE login =
    'adm-e0000002'")"
[ "$(pw_state adm-e0000002)" = L ] && ok "and locked on the system" ||
    fail "adm-e0000002: $(pw_state adm-e0000002)"
expect_rc 2 "a mode that is none" pw 'demo\ndemo\n' act priv.describe \
    system=linux-honcho login=adm-e0000002 mode=sometimes --user demo-admin \
    --approver demo-approver
expect_rc 0 "standing again" pw 'demo\ndemo\n' act priv.describe \
    system=linux-honcho login=adm-e0000002 mode=standing --user demo-admin \
    --approver demo-approver
[ "$(pw_state adm-e0000002)" = P ] && ok "open on the system again" ||
    fail "adm-e0000002: $(pw_state adm-e0000002)"

# --- the register
expect_rc 0 "daicho privileged" "$DAICHO" privileged --dir "$D"
expect_out "^root-ops on linux-honcho: time-limited, dormant$" "root-ops"
expect_out "rights +sudo ALL$" "its rights"
expect_out "manager +E0000003 " "its manager"
expect_out "holders +E0000002 .*\(staff\)$" "its holder, staff"
expect_out "grants +2027-01-05T01:05:00Z\.\.2027-01-05T02:05:00Z requested by ops2, approved by demo-approver \(expired\)$" \
    "the expired grant"
expect_out "2027-01-11T01:00:00Z\.\.2027-01-11T01:10:00Z requested by demo-admin, approved by demo-approver \(ended\)$" \
    "the grant ended early, to its end"
expect_out "^ops-c on linux-honcho: emergency, active$" "an emergency ID"
expect_out "initial name +changed$" "adm-e0000002's initial name changed"
expect_rc 0 "daicho privileged --format csv" "$DAICHO" privileged \
    --format csv --dir "$D"
expect_out "^system,login,state,renamed,rights,purpose,mode,manager,holders,grants,password_set,password_set_by,last_review" \
    "the header"
expect_out "^linux-honcho,root-ops,dormant,no,sudo ALL,パッチ適用,time-limited," \
    "root-ops' row"
expect_rc 2 "the export alone" pw 'demo\n' privileged --export "$T/reg.csv" \
    --user demo-admin
expect_out "two-person" "is refused"
[ ! -e "$T/reg.csv" ] && ok "no file" || fail "a file was left"
expect_rc 0 "the export, two-person" pw 'demo\ndemo\n' privileged \
    --export "$T/reg.csv" --user demo-admin --approver demo-approver
expect_out "5 privileged IDs" "5 rows (adm-e0000002, root-ops, ops-a..c)"
sum=$(sha256sum "$T/reg.csv" | cut -d' ' -f1)
last=$(q "SELECT max(idx) FROM ledger_entry")
expect_rc 0 "the data.export entry" "$DAICHO" entry "$last" --dir "$D"
expect_out "^action data.export$" "is data.export"
expect_out "^a.what privileged$" "of the register"
expect_out "^a.file_sha256 $sum$" "with the file's SHA-256"
[ "$(head -1 "$T/reg.csv" | tr -d '\r')" = \
    'system,login,state,renamed,rights,purpose,mode,manager,holders,grants,password_set,password_set_by,last_review' ] &&
    ok "the file's header" || fail "header: $(head -1 "$T/reg.csv")"

# --- the same on an ldap system
slapd_start "$T/slapd"
slapd_add_users 2
locked_time() {
	slapd_admin ldapsearch -LLL -b "$SLAPD_PEOPLE" "(uid=$1)" \
	    pwdAccountLockedTime | sed -n 's/^pwdAccountLockedTime: //p'
}
CLOCK='2027-01-12 01:00:00'
config=$(printf 'uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s' "$SLAPD_URI" \
    "$SLAPD_ADMIN_DN" "$SLAPD_ADMIN_PWFILE" "$SLAPD_PEOPLE")
expect_rc 0 "the directory as a system" pw 'demo\ndemo\n' act system.add \
    name=dir type=ldap title=directory conf=2 integ=2 avail=2 \
    "config=$config" --user demo-admin --approver demo-approver
expect_rc 0 "user0001 adopted as a time-limited privileged ID" pw 'demo\n' \
    act id.adopt system=dir login=user0001 kind=privileged owner=E0000002 \
    end_date=2027-12-31 --user demo-admin
[ "$(locked_time user0001)" = 000001010000Z ] &&
    ok "dormant: locked in the directory" ||
    fail "user0001 pwdAccountLockedTime: '$(locked_time user0001)'"
expect_rc 0 "a request on the directory" pw 'demo\n' priv request dir \
    user0001 15 --reason 'スキーマ変更' --user demo-admin
R5=$(newest)
expect_rc 0 "approved" pw 'demo\n' priv approve "$R5" --user demo-approver
[ -z "$(locked_time user0001)" ] && ok "unlocked in the directory" ||
    fail "user0001 still locked: $(locked_time user0001)"
expect_rc 0 "whoami as user0001 while active" ldapwhoami -x \
    -H "$SLAPD_URI" -D "$(slapd_user_dn user0001)" \
    -y "$SLAPD_DIR/user0001.pw" -e ppolicy
expect_rc 0 "a sweep before the end" sweep '2027-01-12 01:10:00'
[ -z "$(locked_time user0001)" ] && ok "still unlocked" ||
    fail "user0001 locked early"
expect_rc 0 "a sweep after the end" sweep '2027-01-12 01:15:00'
expect_out "1 privileged activations ended" "ends it"
[ "$(locked_time user0001)" = 000001010000Z ] &&
    ok "locked again in the directory" ||
    fail "user0001 pwdAccountLockedTime: '$(locked_time user0001)'"
expect_rc 49 "whoami as user0001 refused" ldapwhoami -x -H "$SLAPD_URI" \
    -D "$(slapd_user_dn user0001)" -y "$SLAPD_DIR/user0001.pw" -e ppolicy
expect_out "Account locked" "Account locked"
slapd_stop

# --- an incident while an activation runs: the lockout locks it, the
# sweep ends the activation meanwhile, and the restore leaves the ID
# dormant (locked), never open again; the owner's other ID is restored.
CLOCK='2027-01-12 01:20:00'
expect_rc 0 "room for one more in use" pw 'demo\ndemo\n' act policy.set \
    system=linux-honcho kind=privileged max_holders=10 \
    --user demo-admin --approver demo-approver
expect_rc 0 "a privileged ID for E0000007" pw 'demo\n' act id.create \
    system=linux-honcho login=adm-inc kind=privileged owner=E0000007 \
    end_date=2027-12-31 --user demo-admin
expect_rc 0 "its request" pw 'demo\n' priv request linux-honcho adm-inc 30 \
    --reason 'incident drill' --user demo-admin
R6=$(newest)
expect_rc 0 "approved" pw 'demo\n' priv approve "$R6" --user demo-approver
[ "$(pw_state adm-inc)" = P ] && ok "adm-inc is open" ||
    fail "adm-inc is $(pw_state adm-inc)"
CLOCK='2027-01-12 01:25:00'
expect_rc 0 "E0000007 locked out" pw 'demo\n' lockout \
    --scope person:E0000007 --yes --user demo-admin
INC=$(q "SELECT max(idx) FROM incident")
[ "$(pw_state adm-inc)" = L ] && ok "the lockout locks adm-inc" ||
    fail "adm-inc is $(pw_state adm-inc) after the lockout"
expect_rc 0 "the sweep after the activation's end" sweep '2027-01-12 01:55:00'
expect_out "1 privileged activations ended" "ends it while locked"
CLOCK='2027-01-12 02:00:00'
expect_rc 0 "the incident restored" pw 'demo\ndemo\n' act incident.restore \
    incident="$INC" --user demo-admin --approver demo-approver
[ "$(q "SELECT state FROM account WHERE login = 'adm-inc'")" = dormant ] &&
    ok "adm-inc is dormant after the restore" ||
    fail "adm-inc is $(q "SELECT state FROM account WHERE login = 'adm-inc'")"
[ "$(pw_state adm-inc)" = L ] && ok "and locked on the system" ||
    fail "the restore opened adm-inc: $(pw_state adm-inc)"
[ "$(pw_state e0000007)" = P ] && ok "E0000007's own ID is open again" ||
    fail "e0000007 is $(pw_state e0000007) after the restore"
CLOCK=

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay is clean"

finish
