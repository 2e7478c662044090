# tests/passwd.sh -- passwords from the command line on the demo city,
# through pam_wrapper: daicho policy, policy.set (two-person) and what it
# pushes to the unix system's shadow, passwd with --password-fd (the
# shadow hash then verifies, pwck accepts the files, the history keeps an
# Argon2id hash and no cleartext is anywhere in the database), a reused
# password refused, a password row that no run can carry failed at once,
# force-change by scope, rotate refused for a contractor operator and
# allowed otherwise (shown on the terminal to the approver, named in the
# entry), and reset-password refused to a pipe without --show.
. "$srcdir/tests/lib.sh"
need flock sqlite3 script pwck grpck /usr/bin/python3
. "$srcdir/tests/env-pamunix.sh"	# pam_converse
pam_wrapper_lock

demo_cli "$T/demo"
R="$D/unix-root"
q() { sqlite3 "$D/daicho.db" "$1"; }

# verify LOGIN PASSWORD: the shadow hash of LOGIN is PASSWORD's (libcrypt,
# as pam_unix verifies it).
verify() {
	/usr/bin/python3 - "$R/etc/shadow" "$1" "$2" <<'EOF'
import ctypes, sys
path, login, pw = sys.argv[1:]
lib = ctypes.CDLL("libcrypt.so.1")
lib.crypt.restype = ctypes.c_char_p
lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
for line in open(path):
    f = line.rstrip("\n").split(":")
    if f[0] == login:
        h = f[1].encode()
        sys.exit(0 if h.startswith(b"$y$") and lib.crypt(pw.encode(), h) == h
                 else 1)
sys.exit(2)
EOF
}
shadow_field() { awk -F: -v l="$1" -v n="$2" '$1 == l { print $n }' "$R/etc/shadow"; }
pwck_ok() {
	if pwck -r -R "$R" >"$T/pwck" 2>&1 && grpck -r -R "$R" >>"$T/pwck" 2>&1
	then ok "$1"; else fail "$1: $(cat "$T/pwck")"; fi
}

# --- the policy -------------------------------------------------------
expect_rc 0 "daicho policy" "$DAICHO" policy --dir "$D"
expect_out "^  min_length +12 +default$" "each key, its value and its source"
expect_out "^  allowed_hours +mon-fri 08:30-17:15 +default$" "text keys too"
expect_rc 2 "a system not on record" "$DAICHO" policy nowhere --dir "$D"
expect_out "no system nowhere" "says so"

expect_rc 2 "policy.set by one person" pw 'demo\n' act policy.set \
    system=linux-honcho 'kind=*' min_length=14 --user demo-admin
expect_out "second person" "is refused"
expect_rc 0 "policy.set by two" pw 'demo\ndemo\n' act policy.set \
    system=linux-honcho 'kind=*' min_length=14 max_age_days=60 warn_days=10 \
    --user demo-admin --approver demo-approver
expect_rc 0 "daicho policy SYSTEM" "$DAICHO" policy linux-honcho --dir "$D"
expect_out "^linux-honcho, privileged IDs" "each kind"
expect_out "^  min_length +14 +linux-honcho/\*$" "the new value, from its scope"
n=$(q "SELECT count(*) FROM outbox WHERE op = 'aging' AND arg = 'min=1 max=60 warn=10' AND state = 'applied'")
live=$(q "SELECT count(*) FROM account WHERE system = 'linux-honcho' AND state <> 'revoked'")
[ "$n" = "$live" ] && ok "aging pushed to every live ID ($n)" ||
    fail "aging applied to $n of $live IDs"
[ "$(shadow_field e0000001 5):$(shadow_field e0000001 6)" = "60:10" ] &&
    ok "the shadow fields hold the aging" ||
    fail "shadow of e0000001: $(grep '^e0000001:' "$R/etc/shadow")"
expect_rc 0 "an ID created after the policy" pw 'demo\n' act id.create \
    system=linux-honcho login=svc-aging kind=service name=aging \
    --user demo-admin
[ "$(shadow_field svc-aging 5):$(shadow_field svc-aging 6)" = "60:10" ] &&
    ok "gets the policy's aging as it is created" ||
    fail "shadow of svc-aging: $(grep '^svc-aging:' "$R/etc/shadow")"

# --- passwd -----------------------------------------------------------
printf 'Short-1a\n' >"$T/short"
expect_rc 2 "a short password" pw 'demo\n' passwd linux-honcho e0000001 \
    --user demo-admin --password-fd 4 4<"$T/short"
expect_out "shorter than" "is refused, saying why"
if printf '%s\n' "$OUT" | grep -q 'Short-1a'; then
	fail "the refusal shows the password"
else
	ok "without showing the password"
fi
[ "$(q "SELECT count(*) FROM outbox WHERE op = 'password'")" = 0 ] &&
    ok "and nothing is recorded" || fail "a password row was queued"

GOOD='Kumo-Tanuki-47-Sora'
printf '%s\n' "$GOOD" >"$T/good"
expect_rc 0 "passwd --password-fd" pw 'demo\n' passwd linux-honcho e0000001 \
    --user demo-admin --password-fd 4 4<"$T/good"
expect_out "password of e0000001 on linux-honcho is set" "says so"
verify e0000001 "$GOOD" && ok "the shadow hash verifies" ||
    fail "the shadow hash of e0000001 is not the password's: $(grep '^e0000001:' "$R/etc/shadow")"
pwck_ok "pwck and grpck accept the files"
[ "$(q "SELECT count(*) FROM password_history WHERE login = 'e0000001' AND hash LIKE '\$argon2id\$%'")" = 1 ] &&
    ok "the history keeps an Argon2id hash" || fail "no history hash"
[ "$(q "SELECT count(*) FROM account WHERE login = 'e0000001' AND password_set_by = 'demo-admin' AND password_set_at > 0 AND must_change = 0")" = 1 ] &&
    ok "the ID records when and by whom" || fail "password_set_* not recorded"
if grep -aq "$GOOD" "$D/daicho.db" "$D/daicho.db-wal" 2>/dev/null; then
	fail "the cleartext is in the database"
else
	ok "the cleartext is nowhere in the database"
fi
[ "$(q "SELECT count(*) FROM ledger_entry WHERE CAST(data AS TEXT) LIKE '%action id.set_password%subject id:linux-honcho/e0000001%'")" = 1 ] &&
    ok "the ledger records id.set_password" || fail "no id.set_password entry"

# Typed at the terminal (script gives one), twice, never echoed.
cat >"$T/pwtty" <<EOF
#!/bin/sh
printf 'demo\\n' >"$T/answers1"
exec env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \\
    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \\
    passwd linux-honcho e0000005 --user demo-admin --dir "$D" \\
    --askpass-fd 3 3<"$T/answers1"
EOF
chmod 755 "$T/pwtty"
TYPED='Yama-Kawa-Umi-58'
expect_rc 2 "typed twice, differently" pam_converse "$T/tty.log" \
    'new password for e0000005: ' "$TYPED" 'the same again: ' "${TYPED}x" -- \
    script -qec "$T/pwtty" /dev/null
grep -q "the two passwords differ" "$T/tty.log" && ok "is refused" ||
    fail "no refusal: $(cat "$T/tty.log")"
expect_rc 0 "typed twice at the terminal" pam_converse "$T/tty.log" \
    'new password for e0000005: ' "$TYPED" 'the same again: ' "$TYPED" -- \
    script -qec "$T/pwtty" /dev/null
verify e0000005 "$TYPED" && ok "is set" ||
    fail "e0000005's hash is not the typed password's"
if grep -q "$TYPED" "$T/tty.log"; then
	fail "the typed password was echoed"
else
	ok "and never echoed"
fi

expect_rc 2 "the same password again" pw 'demo\n' passwd linux-honcho \
    e0000001 --user demo-admin --password-fd 4 4<"$T/good"
expect_out "one of the last 5 passwords" "is refused as reused"
printf 'Xq7-e0000001-zz\n' >"$T/user"
expect_rc 2 "one containing the login" pw 'demo\n' passwd linux-honcho \
    e0000001 --user demo-admin --password-fd 4 4<"$T/user"
expect_out "user name" "is refused"

# A "password" row without its password (act cannot give one): failed at
# once, the target never asked.
expect_rc 1 "id.set_password through act" pw 'demo\n' act id.set_password \
    system=linux-honcho login=e0000002 --user demo-admin
[ "$(q "SELECT state || ' ' || attempts FROM outbox WHERE op = 'password' AND login = 'e0000002'")" = "failed 1" ] &&
    ok "its row failed at once" || fail "the row is not failed for good"
q "SELECT last_error FROM outbox WHERE op = 'password' AND login = 'e0000002'" |
    grep -q "never stored; set it again" && ok "saying to set it again" ||
    fail "no word on the lost password"

# --- force-change -----------------------------------------------------
n=$(q "SELECT count(*) FROM account a JOIN person p ON p.employee_no = a.owner WHERE p.department = '福祉課' AND a.state <> 'revoked'")
expect_rc 2 "force-change without a reason" pw 'demo\n' force-change \
    --scope department:福祉課 --user demo-admin
expect_rc 0 "force-change by scope" pw 'demo\n' force-change \
    --scope department:福祉課 --reason "a leaked list" --user demo-admin
[ "$(q "SELECT count(*) FROM outbox WHERE op = 'force_change' AND state = 'applied'")" -ge "$n" ] &&
    ok "a change forced on each ID in scope (at least $n)" ||
    fail "force_change rows: $(q "SELECT count(*) FROM outbox WHERE op = 'force_change'")"
[ "$(shadow_field e0000004 3)" = 0 ] && ok "the shadow says change at next login" ||
    fail "shadow of e0000004: $(grep '^e0000004:' "$R/etc/shadow")"
[ "$(q "SELECT count(*) FROM account WHERE login = 'e0000004' AND must_change = 1")" = 1 ] &&
    ok "must_change recorded" || fail "must_change not recorded"

# --- rotate -----------------------------------------------------------
# rotate shows the password on the terminal: run it on one (script).
cat >"$T/pwrun" <<EOF
#!/bin/sh
printf 'demo\\ndemo\\n' >"$T/answers"
exec env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \\
    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \\
    "\$@" --dir "$D" --askpass-fd 3 3<"$T/answers"
EOF
chmod 755 "$T/pwrun"
C=$(q "SELECT employee_no FROM person WHERE employment = 'contractor' ORDER BY 1 LIMIT 1")
S=$(q "SELECT employee_no FROM person WHERE employment = 'regular' ORDER BY 1 LIMIT 1")
expect_rc 0 "operator.person: the admin is a contractor" pw 'demo\ndemo\n' \
    act operator.person name=demo-admin person="$C" --user demo-admin \
    --approver demo-approver
expect_rc 2 "rotate without a terminal" pw 'demo\ndemo\n' rotate \
    linux-honcho adm-e0000002 --user demo-admin --approver demo-approver
expect_out "terminal only" "is refused"
expect_rc 2 "rotate by a contractor (script)" script -qec \
    "$T/pwrun rotate linux-honcho adm-e0000002 --user demo-admin --approver demo-approver" \
    /dev/null
expect_out "contractor may not change a privileged password" "is refused"
[ "$(q "SELECT count(*) FROM outbox WHERE op = 'password' AND login = 'adm-e0000002'")" = 0 ] &&
    ok "and nothing is queued" || fail "a rotation was queued"
expect_rc 0 "operator.person: the admin is staff" pw 'demo\ndemo\n' \
    act operator.person name=demo-admin person="$S" --user demo-admin \
    --approver demo-approver
expect_rc 0 "rotate by staff" script -qec \
    "$T/pwrun rotate linux-honcho adm-e0000002 --user demo-admin --approver demo-approver" \
    /dev/null
expect_out "for demo-approver only \(shown once\): " "the password is shown to the approver"
new=$(printf '%s\n' "$OUT" | sed -n 's/.*(shown once): \([^[:space:]]*\).*/\1/p' | tr -d '\r')
[ ${#new} -ge 20 ] && ok "a long generated password" || fail "password '$new'"
verify adm-e0000002 "$new" && ok "the shadow hash is the shown password's" ||
    fail "the shadow hash of adm-e0000002 is not the shown password's"
[ "$(q "SELECT count(*) FROM ledger_entry WHERE CAST(data AS TEXT) LIKE '%action id.rotate_password%approver demo-approver%a.seen_by demo-approver%'")" = 1 ] &&
    ok "the entry names who saw it" || fail "no seen_by in the rotation's entry"
pwck_ok "pwck accepts the files after the rotation"

# --- reset-password ---------------------------------------------------
expect_rc 2 "reset-password to a pipe" pw 'demo\n' reset-password \
    linux-honcho e0000003 --user demo-admin
expect_out "terminal only" "is refused"
[ "$(q "SELECT count(*) FROM outbox WHERE op = 'reset' AND login = 'e0000003'")" = 0 ] &&
    ok "and nothing is recorded" || fail "a reset was queued"
expect_rc 0 "reset-password --show" pw 'demo\n' reset-password \
    linux-honcho e0000003 --user demo-admin --show
expect_out "temporary password for e0000003 on linux-honcho: " "shows it"
[ "$(q "SELECT count(*) FROM account WHERE login = 'e0000003' AND must_change = 1 AND password_temp_until = password_set_at + 72 * 3600")" = 1 ] &&
    ok "its deadline is temp_hours away" || fail "no deadline recorded"

expect_rc 0 "the ledger replays" "$DAICHO" verify --replay --dir "$D"
finish
