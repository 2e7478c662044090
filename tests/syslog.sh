# tests/syslog.sh -- what daicho tells syslog (core/syslog.c): an ID's
# creation and lock, an emergency lockout and a failed command-line login,
# each one line at LOG_AUTHPRIV with the ident "daicho[PID]", naming the
# action, subject, operator, second person and ledger entry (a login: the
# user, terminal and result), with no control byte and no password.
#
# syslog(3) writes to /dev/log.  In a private mount namespace (unshare
# -m, root: CI runs as root) /dev is a directory of ours whose "log" is a
# datagram socket this test reads, so the lines are the very datagrams
# daicho sent, priority included.  The reader stops at a last datagram
# the test sends itself (logger -u), so nothing is timed.
. "$srcdir/tests/lib.sh"
need flock sqlite3 python3 unshare mount logger
pam_wrapper_lock

if ! unshare -m true 2>/dev/null; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: syslog.sh needs unshare -m (root)" >&2
		exit 99
	fi
	echo "SKIP: syslog.sh needs unshare -m (root)" >&2
	exit 77
fi

demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
exec_system_hr

mkdir "$T/dev"
: >"$T/dev/null"
: >"$T/dev/urandom"
# A shell script (the exec target) needs /dev/fd.
ln -s /proc/self/fd "$T/dev/fd"
python3 "$srcdir/tests/devlog.py" "$T/dev/log" "$T/syslog" "$T/listening" &
LOGGER=$!
i=0
while [ ! -e "$T/listening" ] && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -e "$T/listening" ] || { fail "the socket reader did not start"; finish; }

# pwns ANSWERS CMD...: pw, in the namespace where /dev/log is ours.
# shellcheck disable=SC2016 # expanded by the inner shell
pwns() {
	printf "$1" >"$T/answers"
	shift
	unshare -m sh -c 'mount --bind /dev/null "$0/dev/null" &&
	    mount --bind /dev/urandom "$0/dev/urandom" &&
	    mount --rbind "$0/dev" /dev && exec "$@"' "$T" \
	    env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
	    "$@" --dir "$D" --askpass-fd 3 3<"$T/answers"
}

expect_rc 0 "an ID is created with syslog listening" \
    pwns 'demo\n' act id.create system=hr login=sl1 kind=personal \
    owner=E0000101 --user demo-admin
expect_rc 0 "and locked" \
    pwns 'demo\n' act id.lock system=hr login=sl1 --user demo-admin
expect_rc 2 "a wrong password is refused" \
    pwns 'Wr0ng-Secret-77\n' act id.unlock system=hr login=sl1 \
    --user demo-admin
expect_rc 0 "an emergency lockout of E0000102" \
    pwns 'demo\n' lockout --scope person:E0000102 --reason 'test lockout' \
    --yes --user demo-admin
# A synthetic city's making (seed-demo) is not the system's business.
unshare -m sh -c 'mount --bind /dev/null "$0/dev/null" &&
    mount --bind /dev/urandom "$0/dev/urandom" &&
    mount --rbind "$0/dev" /dev && "$1" init --dir "$0/city" >/dev/null &&
    "$1" seed-demo --dir "$0/city" --people 3 >/dev/null' "$T" "$DAICHO" ||
    fail "seed-demo in the namespace failed"

# Failed logins that lock the terminal (two, here), at the end: "cli"
# stays locked for a while.
printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\nlogin_attempts = 2\n' \
    >"$T/lock.conf"
chmod 600 "$T/lock.conf"
cp "$T/cli.conf" "$T/cli.conf.orig"
cp "$T/lock.conf" "$T/cli.conf"
for i in 1 2; do
	expect_rc 2 "wrong password $i of 2" \
	    pwns 'Wr0ng-Secret-77\n' act id.unlock system=hr login=sl1 \
	    --user demo-admin
done
expect_out "too many failed logins" "the second locks the terminal"
cp "$T/cli.conf.orig" "$T/cli.conf"
logger -u "$T/dev/log" daicho-devlog-end
wait "$LOGGER" || fail "the socket reader failed"
cp "$T/syslog" "$T/syslog.all"

create=$(q "SELECT entry_idx FROM outbox WHERE system = 'hr' AND login = 'sl1' AND op = 'create'")
lock=$(q "SELECT entry_idx FROM outbox WHERE system = 'hr' AND login = 'sl1' AND op = 'lock'")
inc=$(q "SELECT max(idx) FROM incident")
n_inc=$(q "SELECT count(*) FROM outbox WHERE entry_idx = $inc")
[ -n "$create" ] && [ -n "$lock" ] && [ -n "$inc" ] && [ "$n_inc" -ge 1 ] &&
    ok "the ledger has the create ($create), lock ($lock), lockout ($inc: $n_inc)" ||
    fail "the ledger lacks an entry: '$create' '$lock' '$inc' '$n_inc'"

# line PATTERN DESCRIPTION: one datagram matches (grep -E).
line() {
	if grep -Eq -- "$1" "$T/syslog"; then
		ok "$2"
	else
		fail "$2: no line matches /$1/ in:
$(cat "$T/syslog")"
	fi
}
# Priority: facility authpriv (10 << 3 = 80) plus the severity.
P='<8[0-7]>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} daicho\[[0-9]+\]: '
line "^<85>.{15} daicho\\[[0-9]+\\]: account change: action=id.create subject=id:hr/sl1 operator=demo-admin approver=- entry=$create queued=1 op=create\$" \
    "the create: action, subject, operator, entry, at authpriv.notice"
line "^${P}account change: action=id.lock subject=id:hr/sl1 operator=demo-admin approver=- entry=$lock queued=1 op=lock\$" \
    "the lock"
line "^${P}account change: action=incident.lock subject=incident:person:E0000102 operator=demo-admin approver=- entry=$inc queued=$n_inc( op=lock)?\$" \
    "the emergency lockout, one line with what it queued"
line "^<85>.{15} daicho\\[[0-9]+\\]: command-line login: user=demo-admin tty=cli result=failure( for=[a-z.]+)? reason=" \
    "the failed login: user, terminal, result"
line "^<86>.{15} daicho\\[[0-9]+\\]: command-line login: user=demo-admin tty=cli result=success" \
    "a login that succeeded, at authpriv.info"
line "^<84>.{15} daicho\\[[0-9]+\\]: terminal locked: tty=cli user=demo-admin reason=\"too many failed logins\" attempts=2 until=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\$" \
    "the terminal locked by failed logins, at authpriv.warning"
grep -q 'id:hr/other' "$T/syslog" &&
    fail "an entry made outside the namespace was sent: $(grep 'id:hr/other' "$T/syslog")" ||
    ok "only what happened while listening"
grep -Eq 'subject=id:(juki|linux-honcho)/' "$T/syslog" &&
    fail "seed-demo's IDs were logged: $(grep -E 'subject=id:(juki|linux-honcho)/' "$T/syslog" | head -3)" ||
    ok "a seeded demo city's IDs are not"
grep -q 'action=id.unlock' "$T/syslog" &&
    fail "the refused unlock was logged as a change" ||
    ok "the refused unlock is no account change"

# Every line: authpriv, daicho's ident, no control byte, no password.
bad=$(grep -Ev "^$P" "$T/syslog" || true)
[ -z "$bad" ] && ok "every line is authpriv with the ident daicho[PID]" ||
    fail "lines that are not: $bad"
ctl=$(LC_ALL=C grep -n '[[:cntrl:]]' "$T/syslog" || true)
[ -z "$ctl" ] && ok "no control byte in any line" || fail "control bytes: $ctl"
grep -q 'Wr0ng-Secret-77' "$T/syslog" && fail "the password is in syslog" ||
    ok "the typed password is not"
grep -Eq 'password=|secret' "$T/syslog" && fail "something like a secret: $(grep -E 'password=|secret' "$T/syslog")" ||
    ok "nor any argument of an entry"
finish
