# tests/passwd-pamunix.sh -- a temporary password from reset-password,
# followed to a REAL pam_unix login (tests/env-pamunix.sh: a copy of /etc
# bind-mounted over /etc in a mount namespace): it authenticates, the
# account stack demands a change, the change goes through the shipped
# password stack (etc/pam.d/daicho: pam_pwquality refuses a weak one,
# pam_pwhistory, pam_unix), and the new password logs in.  Then the sweep
# under a frozen clock (libfaketime): nothing before the deadline; after
# it, the ID whose temporary password was changed is marked seen
# (id.password_seen) and the other locked (id.lock, "temporary password
# not changed in time") on its system too; a second sweep writes nothing;
# a clock behind the ledger is refused.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/env-pamunix.sh"
need flock sqlite3 pamtester
[ -n "$FAKETIME_LIB" ] || need libfaketime
pam_wrapper_lock

pamunix_setup "$T/pu" || { fail "pamunix_setup"; finish; }
# The shipped service, verbatim, for the password change.
pamunix_service "$T/pu" daicho-shipped <"$srcdir/etc/pam.d/daicho"
mkdir -p "$T/pu/etc/security"
: >"$T/pu/etc/security/opasswd"
chmod 600 "$T/pu/etc/security/opasswd"

CLOCK='2027-01-04 08:00:00'
demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
entries() { q "SELECT count(*) FROM ledger_entry"; }

CLOCK='2027-01-04 08:30:00'
expect_rc 0 "the system of the fake /etc" pw 'demo\ndemo\n' act system.add \
    name=pu type=unix title=pam-unix conf=1 integ=1 avail=1 \
    "config=root=$T/pu
home=/home
shell=/bin/sh
uid_min=1000
uid_max=59999
create_home=no" --user demo-admin --approver demo-approver
for id in kawai:E0000001 sato:E0000002; do
	expect_rc 0 "id.create ${id%%:*}" pw 'demo\n' act id.create system=pu \
	    login="${id%%:*}" kind=personal owner="${id#*:}" --user demo-admin
done

CLOCK='2027-01-04 09:00:00'
for l in kawai sato; do
	expect_rc 0 "reset-password $l" pw 'demo\n' reset-password pu $l \
	    --user demo-admin --show
	eval "TEMP_$l=\$(printf '%s\n' \"\$OUT\" | sed -n 's/.*temporary password for $l on pu: //p')"
done
[ -n "$TEMP_kawai" ] && [ -n "$TEMP_sato" ] && ok "both shown" ||
    fail "no temporary password shown"
[ "$(q "SELECT count(*) FROM account WHERE system = 'pu' AND must_change = 1 AND password_temp_until = strftime('%s', '2027-01-07 09:00:00')")" = 2 ] &&
    ok "both temporary until 72 hours later" ||
    fail "deadlines: $(q "SELECT login, password_temp_until FROM account WHERE system = 'pu'")"

# pam_unix, as a login does it, at the clock's time.
log=$T/pam.log
expect_rc 0 "pam_unix takes the temporary password" pam_converse "$log" \
    'Password: ' "$TEMP_kawai" -- env LD_PRELOAD="$FAKETIME_LIB" \
    FAKETIME='2027-01-04 10:00:00' "$T/pu/run" pamtester daicho kawai \
    authenticate
expect_rc 1 "the account stack demands a change" pam_converse "$log" -- \
    env LD_PRELOAD="$FAKETIME_LIB" FAKETIME='2027-01-04 10:00:00' \
    "$T/pu/run" pamtester daicho kawai acct_mgmt
grep -q "required to change your password immediately" "$log" &&
    ok "pam_unix says the change is required" || fail "no demand: $(cat "$log")"
NEW='Hoshi-Kawa-93-Mori'
expect_rc 0 "the change through the shipped stack" pam_converse "$log" \
    'Current password: ' "$TEMP_kawai" 'New password: ' 'Short1-a' \
    'New password: ' "$NEW" 'Retype new password: ' "$NEW" -- \
    env LD_PRELOAD="$FAKETIME_LIB" FAKETIME='2027-01-04 10:00:00' \
    "$T/pu/run" pamtester daicho-shipped kawai \
    'chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK)'
grep -q "BAD PASSWORD" "$log" && ok "pam_pwquality refused the weak one" ||
    fail "no pwquality refusal: $(cat "$log")"
expect_rc 0 "the new password logs in" pam_converse "$log" 'Password: ' \
    "$NEW" -- env LD_PRELOAD="$FAKETIME_LIB" FAKETIME='2027-01-04 10:05:00' \
    "$T/pu/run" pamtester daicho kawai authenticate acct_mgmt
pamunix_check "$T/pu" && ok "pwck and grpck accept the files" ||
    fail "pwck or grpck refused the files"

# --- the sweep --------------------------------------------------------
sweep() { clocked "$DAICHO" --config "$T/cli.conf" sweep --dir "$D"; }
CLOCK='2027-01-06 09:00:00'
n=$(entries)
expect_rc 0 "a sweep before the deadline" sweep
[ "$(q "SELECT count(*) FROM ledger_entry WHERE CAST(data AS TEXT) LIKE '%action id.lock%' OR CAST(data AS TEXT) LIKE '%action id.password_seen%'")" = 0 ] &&
    ok "locks and marks nothing" || fail "the sweep acted before the deadline"

CLOCK='2027-01-07 09:00:01'
expect_rc 0 "the sweep after the deadline" sweep
[ "$(q "SELECT state || ' ' || coalesce(password_temp_until, '-') || ' ' || must_change FROM account WHERE system = 'pu' AND login = 'kawai'")" = "active - 0" ] &&
    ok "kawai changed it: still active, no longer temporary" ||
    fail "kawai: $(q "SELECT state, password_temp_until, must_change FROM account WHERE login = 'kawai'")"
[ "$(q "SELECT count(*) FROM ledger_entry WHERE CAST(data AS TEXT) LIKE '%action id.password_seen%operator @system%subject id:pu/kawai%'")" = 1 ] &&
    ok "recorded as id.password_seen by the system" || fail "no id.password_seen"
[ "$(q "SELECT state || ' ' || coalesce(password_temp_until, '-') FROM account WHERE system = 'pu' AND login = 'sato'")" = "locked -" ] &&
    ok "sato did not: locked, the temporary password ended" ||
    fail "sato: $(q "SELECT state, password_temp_until FROM account WHERE login = 'sato'")"
[ "$(q "SELECT count(*) FROM ledger_entry WHERE CAST(data AS TEXT) LIKE '%action id.lock%operator @system%subject id:pu/sato%a.reason temporary password not changed in time%'")" = 1 ] &&
    ok "recorded as id.lock, with the reason" || fail "no id.lock entry for sato"
case $(pamunix_shadow "$T/pu" sato | cut -d: -f2) in
'!'*) ok "locked on the system" ;;
*) fail "sato's shadow is not locked: $(pamunix_shadow "$T/pu" sato)" ;;
esac
expect_rc 1 "sato's temporary password no longer logs in" pam_converse \
    "$log" 'Password: ' "$TEMP_sato" -- "$T/pu/run" pamtester daicho sato \
    authenticate

n=$(entries)
CLOCK='2027-01-07 10:00:00'
expect_rc 0 "a second sweep" sweep
[ "$(entries)" = "$n" ] && ok "writes nothing" ||
    fail "the second sweep wrote $(($(entries) - n)) entries"

CLOCK='2027-01-05 09:00:00'
expect_rc 2 "a sweep with the clock behind" sweep
expect_out "2027-01-05" "names the clock's time"
expect_out "2027-01-07" "and the newest entry's"
[ "$(entries)" = "$n" ] && ok "and writes nothing" || fail "it wrote"

CLOCK='2027-01-07 10:30:00'
expect_rc 0 "the ledger replays" "$DAICHO" verify --replay --dir "$D"
finish
