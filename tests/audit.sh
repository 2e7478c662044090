# tests/audit.sh -- the Linux audit events daicho sends through libaudit
# (core/syslog.c), where auditd cannot run: tests/audit_shim.so, preloaded,
# takes the place of audit_open, audit_log_acct_message and
# audit_log_user_message and writes each call's type, op, account, tty and
# result to a file.  Checked:
#   - a new ID is AUDIT_ADD_USER (1114), its lock AUDIT_USER_MGMT (1102),
#     its revocation AUDIT_DEL_USER (1115), each naming the action, the
#     system, the account and success;
#   - an emergency lockout is one USER_MGMT event per account it locks;
#   - a console login is AUDIT_USER_LOGIN (1112): a refused password with
#     result 0, then the right one with result 1, on the console's tty;
#   - audit_open failing as on a kernel without audit (EPROTONOSUPPORT)
#     or in a container (EPERM) is no error: the action is done, nothing
#     is sent.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

SHIM=${AUDIT_SHIM:-$(dirname "$DAICHO")/tests/audit_shim.so}
if [ ! -f "$SHIM" ]; then
	echo "FATAL: audit.sh: $SHIM is not built" >&2
	exit 99
fi
AUDIT=$T/audit.log
PRELOAD="${SAN_PRELOAD:+$SAN_PRELOAD }$SHIM libpam_wrapper.so"

demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
exec_system_hr

# pa ANSWERS CMD...: pw with the shim preloaded (after the sanitizer's
# runtime, before pam_wrapper), its log in $AUDIT.
pa() {
	printf "$1" >"$T/answers"
	shift
	env LD_PRELOAD="$PRELOAD" DAICHO_AUDIT_SHIM_LOG="$AUDIT" \
	    DAICHO_AUDIT_SHIM_ERRNO="${AERRNO:-}" \
	    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" \
	    --config "$T/cli.conf" "$@" --dir "$D" --askpass-fd 3 3<"$T/answers"
}
AERRNO=

# event PATTERN DESCRIPTION: a line of the shim's log matches (grep -E).
event() {
	if grep -Eq -- "$1" "$AUDIT" 2>/dev/null; then
		ok "$2"
	else
		fail "$2: no event matches /$1/ in:
$(cat "$AUDIT" 2>/dev/null)"
	fi
}

expect_rc 0 "an ID is created" \
    pa 'demo\n' act id.create system=hr login=au1 kind=personal \
    owner=E0000101 --user demo-admin
event '^acct 1114 op=id\.create system="hr" daicho-op="create" acct=au1 tty=\(null\) res=1$' \
    "AUDIT_ADD_USER for the new ID: the action, system, account, success"
expect_rc 0 "locked" pa 'demo\n' act id.lock system=hr login=au1 \
    --user demo-admin
event '^acct 1102 op=id\.lock system="hr" daicho-op="lock" acct=au1 .* res=1$' \
    "AUDIT_USER_MGMT for the lock"
expect_rc 0 "and revoked" pa 'demo\n' act id.revoke system=hr login=au1 \
    --user demo-admin
event '^acct 1115 op=id\.revoke system="hr" daicho-op="delete" acct=au1 .* res=1$' \
    "AUDIT_DEL_USER for the revocation"

: >"$AUDIT"
expect_rc 0 "an emergency lockout of a department's IDs" \
    pa 'demo\n' lockout --scope department:"$(q "SELECT department FROM
    person WHERE employee_no = 'E0000102'")" --yes --user demo-admin
inc=$(q "SELECT max(idx) FROM incident")
locks=$(q "SELECT count(*) FROM outbox WHERE entry_idx = $inc AND login <> '-'")
got=$(grep -c '^acct 1102 op=incident\.lock system="[a-z0-9-]*" daicho-op="lock" acct=[a-z0-9._-]* .* res=1$' "$AUDIT" || true)
[ "$locks" -ge 1 ] && [ "$got" = "$locks" ] &&
    ok "one USER_MGMT event per account locked ($got)" ||
    fail "the lockout queued $locks locks, $got events: $(cat "$AUDIT")"
event 'acct=other ' "the lockout names each account"
grep -q '^acct 111[45] ' "$AUDIT" && fail "a lockout adds or deletes" ||
    ok "and neither adds nor deletes one"

# --- console logins: a refused password, then the right one.
: >"$AUDIT"
tmux_start 80 24 env LD_PRELOAD="$PRELOAD" DAICHO_AUDIT_SHIM_LOG="$AUDIT" \
    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" \
    --dir "$D" --config "$T/cli.conf"
tmux_wait 'User:' 10 || fail "the console did not start: $(tmux_screen)"
tmux_type demo-admin
tmux_keys Enter
tmux_wait 'Password' 10 || fail "no password prompt: $(tmux_screen)"
tmux_type Wr0ng-pass
tmux_keys Enter
expect_screen 'Authentication failed' "a wrong password at the console"
tmux_wait 'User:' 10 || fail "no new login prompt: $(tmux_screen)"
tmux_type demo-admin
tmux_keys Enter
tmux_wait 'Password' 10 || fail "no password prompt: $(tmux_screen)"
tmux_type demo
tmux_keys Enter
expect_screen 'demo-admin \(admin\)' "then the right one" 15
tmux_stop
event '^acct 1112 op=login acct=demo-admin tty=/dev/pts/[0-9]+ res=0$' \
    "AUDIT_USER_LOGIN, result 0, for the refused password, on its tty"
event '^acct 1112 op=login acct=demo-admin tty=/dev/pts/[0-9]+ res=1$' \
    "AUDIT_USER_LOGIN, result 1, for the login"
[ "$(grep -c '^acct 1112 ' "$AUDIT")" = 2 ] &&
    ok "one event each" || fail "login events: $(grep '^acct 1112' "$AUDIT")"

# --- no audit in the kernel, or not allowed to talk to it.
for e in 93 1; do
	pw 'demo\n' act id.create system=hr login="au$e" kind=service \
	    --user demo-admin >/dev/null
	: >"$AUDIT"
	before=$(q "SELECT count(*) FROM ledger_entry")
	AERRNO=$e
	expect_rc 0 "audit_open failing with errno $e: the action is done" \
	    pa 'demo\n' act id.lock system=hr login="au$e" --user demo-admin
	AERRNO=
	event "^open-failed $e\$" "audit_open was asked (errno $e)"
	grep -q '^acct 1102 ' "$AUDIT" &&
	    fail "an event sent with no audit: $(cat "$AUDIT")" ||
	    ok "and no event sent"
	[ "$(q "SELECT count(*) FROM ledger_entry")" -gt "$before" ] &&
	    ok "the ledger has it" || fail "nothing recorded with errno $e"
done
finish
