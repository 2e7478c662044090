# tests/sessions.sh -- an emergency lockout that ends the locked accounts'
# running sessions, through the real daicho command line on unix roots.
#
# Each root is made by useradd -P, with uids that exist nowhere on this
# host (3900001...), and processes run as them (setpriv).  Checked:
#  - with end_sessions=yes in the system's configuration, the locked
#    account's processes end (one that ignores SIGTERM and SIGHUP by
#    SIGKILL), a process of another account of the same root that is not
#    locked runs on; the shadow shows the lock (passwd -S, pwck, grpck);
#    the entry records end_sessions=1 and the outbox row carries it;
#  - on a system whose configuration does not allow it, the account is
#    locked and its process runs on;
#  - daicho's own ancestors are never ended, even when they hold the uid
#    (through the target directly: a PAM login cannot run under them);
#  - the ledger verifies and replays.
# The target's refusals (uid 0, UID_MIN, nobody, shared uids) and its
# notices are checked by tests/test-unix (t_end_sessions).
#
# systemd-logind is not used here: the roots are not "/", and the test
# machine has no systemd as init.  Root is needed to run processes as
# other uids.
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"
need flock setpriv useradd pwck grpck passwd sqlite3 timeout
pam_wrapper_lock

if [ "$(id -u)" != 0 ]; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs root (other uids' processes)" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs root (other uids' processes)" >&2
	exit 77
fi
B=$(dirname "$DAICHO")
TU=${TEST_UNIX:-$B/tests/test-unix}
if [ ! -x "$TU" ]; then
	echo "FATAL: $TU is not built" >&2
	exit 99
fi

VICTIM=3900001
OTHER=3900002
ELSEWHERE=3900003
for u in $VICTIM $OTHER $ELSEWHERE; do
	if getent passwd "$u" >/dev/null || ps -o pid= -u "$u" | grep -q .; then
		echo "FATAL: uid $u exists on this host: pick others" >&2
		exit 99
	fi
done

# Every process started here is ended when the test ends, whatever happens.
PIDS=
stop_all() {
	for p in $PIDS; do
		kill -KILL "$p" 2>/dev/null || true
	done
	cleanup
}
trap stop_all EXIT

# as UID CMD...: run CMD in the background as UID; $! is its pid.
as() {
	u=$1
	shift
	setpriv --reuid="$u" --regid="$u" --clear-groups -- "$@" &
	PIDS="$PIDS $!"
}

# gone PID WANT DESC: PID ended by a signal (its exit status is WANT, a
# '|' list), within the time wait allows for it.
gone() {
	set +e
	i=0
	while kill -0 "$1" 2>/dev/null && [ "$(awk '/^State:/ { print $2 }' \
	    "/proc/$1/status" 2>/dev/null)" != Z ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	wait "$1"
	st=$?
	set -e
	case "|$2|" in
	*"|$st|"*)	ok "$3 (exit status $st)" ;;
	*)		fail "$3: exit status $st, wanted $2" ;;
	esac
}

# alive PID DESC
alive() {
	if kill -0 "$1" 2>/dev/null &&
	    [ "$(awk '/^State:/ { print $2 }' "/proc/$1/status")" != Z ]; then
		ok "$2"
	else
		fail "$2: process $1 is gone"
	fi
}

# mkroot DIR LOGIN UID ...: a root made by the real tools.
mkroot() {
	r=$1
	shift
	mkdir -p "$r/etc" "$r/bin" "$r/root" "$r/home"
	cp /etc/login.defs "$r/etc/"
	printf 'root:x:0:0:root:/root:/bin/bash\n' >"$r/etc/passwd"
	printf 'root:*:19000:0:99999:7:::\n' >"$r/etc/shadow"
	printf 'root:x:0:\nusers:x:100:\n' >"$r/etc/group"
	printf 'root:*::\nusers:*::\n' >"$r/etc/gshadow"
	chmod 644 "$r/etc/passwd" "$r/etc/group"
	chmod 640 "$r/etc/shadow" "$r/etc/gshadow"
	: >"$r/bin/bash"
	chmod 755 "$r/bin/bash"
	while [ $# -ge 2 ]; do
		# useradd warns that these uids are above UID_MAX.
		useradd -P "$r" -m -s /bin/bash -u "$2" "$1" 2>/dev/null
		h=$(echo "$1-password" | "$TU" --crypt)
		usermod -P "$r" -p "$h" "$1"
		shift 2
	done
}

# last_lock NAME: argument NAME of the latest incident.lock entry.
last_lock() {
	"$DAICHO" log --dir "$D" | awk -v name="$1" '
	    /^[0-9]/ { inlock = $3 == "incident.lock" }
	    inlock && $1 ~ "^" name "=" { v = substr($1, length(name) + 2) }
	    END { print v }'
}

# tools ROOT: pwck and grpck accept the files.
tools() {
	if pwck -r -R "$1" >"$T/out" 2>&1 && grpck -r -R "$1" >>"$T/out" 2>&1
	then
		ok "${1##*/}: pwck -r and grpck -r accept the files"
	else
		fail "${1##*/}: pwck/grpck refuse the files: $(cat "$T/out")"
	fi
}

# status ROOT LOGIN WANT: passwd -S -R says WANT (L, P).
status() {
	s=$(passwd -S -R "$1" "$2" | awk '{ print $2 }')
	if [ "$s" = "$3" ]; then
		ok "${1##*/}: passwd -S shows $2 as $3"
	else
		fail "${1##*/}: passwd -S shows $2 as $s, wanted $3"
	fi
}

R1=$T/host
R2=$T/host2
mkroot "$R1" victim $VICTIM other $OTHER
mkroot "$R2" elsewhere $ELSEWHERE
tools "$R1"

demo_cli "$T/demo"

expect_rc 0 "a unix system that allows ending sessions" \
    pw 'demo\ndemo\n' act system.add name=host type=unix title=host conf=2 \
    integ=2 avail=1 "config=root=$R1
end_sessions=yes
end_sessions_grace=1" --user demo-admin --approver demo-approver
expect_rc 0 "a unix system that does not" \
    pw 'demo\ndemo\n' act system.add name=host2 type=unix title=host2 \
    conf=2 integ=2 avail=1 "config=root=$R2" --user demo-admin \
    --approver demo-approver
# other stays unregistered: in the root, but no lockout of daicho's locks it.
expect_rc 0 "victim is registered" pw 'demo\n' act id.adopt system=host \
    login=victim kind=personal owner=E0000001 --user demo-admin
expect_rc 0 "elsewhere is registered" pw 'demo\n' act id.adopt \
    system=host2 login=elsewhere kind=personal owner=E0000002 \
    --user demo-admin
other_before=$(grep '^other:' "$R1/etc/shadow")

# The victim's processes: a plain one, one that ignores SIGTERM and
# SIGHUP, one in a session of its own; the other account's; elsewhere's.
as $VICTIM sleep 300
v_plain=$!
as $VICTIM sh -c 'trap "" TERM HUP; exec sleep 300'
v_stubborn=$!
as $VICTIM setsid sleep 300
v_setsid=$!
as $OTHER sleep 300
o_plain=$!
as $ELSEWHERE sleep 300
e_plain=$!
sleep 0.3
alive $v_stubborn "the victim's processes run"

expect_rc 0 "lockout of host, ending sessions" \
    pw 'demo\n' lockout --scope system:host --end-sessions --yes \
    --user demo-admin
expect_out "1 live ID will be locked, and their running sessions ended" \
    "the preview says sessions will be ended"
expect_out "targets: 1 applied, 0 failed" "the lock was applied"
gone $v_plain "143|129" "the victim's process ended by SIGTERM or SIGHUP"
gone $v_stubborn 137 "the one ignoring SIGTERM and SIGHUP by SIGKILL"
gone $v_setsid "143|129" "the one in a session of its own"
alive $o_plain "the other account's process runs on"
status "$R1" victim L
[ "$(grep '^other:' "$R1/etc/shadow")" = "$other_before" ] &&
    ok "the other account's shadow line is untouched" ||
    fail "other: $(grep '^other:' "$R1/etc/shadow")"
tools "$R1"
[ "$(sqlite3 "$D/daicho.db" "SELECT arg FROM outbox WHERE system = 'host'")" \
    = end-sessions ] && ok "the outbox row carried end-sessions" ||
    fail "outbox: $(sqlite3 "$D/daicho.db" "SELECT * FROM outbox WHERE \
system = 'host'")"
[ "$(last_lock end_sessions)" = 1 ] &&
    ok "the entry records end_sessions=1" ||
    fail "the entry's end_sessions is '$(last_lock end_sessions)'"

# last_result NAME: argument NAME of the latest outbox.result entry.
last_result() {
	"$DAICHO" log --dir "$D" | awk -v name="$1" '
	    /^[0-9]/ { inres = $3 == "outbox.result" }
	    inres && $1 ~ "^" name "=" { v = substr($0, index($0, "=") + 1) }
	    END { print v }'
}
[ "$(last_result notice)" = "end-sessions: SIGTERM to 3 processes, SIGKILL to 1 after 1 s" ] &&
    ok "the result counts the processes" || fail "notice: $(last_result notice)"
# A system whose configuration does not allow it: locked, process left.
expect_rc 0 "lockout of host2, asking to end sessions" \
    pw 'demo\n' lockout --scope system:host2 --end-sessions --yes \
    --user demo-admin
expect_out "targets: 1 applied, 0 failed" "the lock was applied"
sleep 1.5
alive $e_plain "elsewhere's process runs on: end_sessions is not allowed"
case $(last_result notice) in
*"end_sessions=no"*) ok "the result says why" ;;
*) fail "notice: $(last_result notice)" ;;
esac
status "$R2" elsewhere L
tools "$R2"

# Without --end-sessions the entry says so, and nothing is signalled.
expect_rc 0 "lockout of host2 again, without ending sessions" \
    pw 'demo\n' lockout --scope system:host2 --yes --user demo-admin
[ "$(last_lock end_sessions)" = 0 ] &&
    ok "the entry records end_sessions=0" ||
    fail "the entry's end_sessions is '$(last_lock end_sessions)'"
alive $e_plain "elsewhere's process still runs"

# daicho's ancestors are left alone, even holding the uid: here a
# timeout(1) whose real uid is the victim's, above the target (which runs
# with every uid 0).  Another process of the victim's ends.
as $VICTIM sleep 300
v_again=$!
printf 'root=%s\nend_sessions=yes\nend_sessions_grace=1\n' "$R1" >"$T/host.conf"
expect_rc 0 "the target under an ancestor holding the victim's uid" \
    setpriv --ruid=$VICTIM -- timeout 60 setpriv --ruid=0 -- \
    "$TU" --apply "$T/host.conf" lock victim end-sessions
expect_out "lock victim: done; end-sessions: SIGTERM to 1 process; 1 left \
alone \(daicho's own parent process\)" "the ancestor was spared, and said so"
gone $v_again "143|129" "the victim's other process ended"

expect_rc 0 "the ledger verifies and replays" \
    "$DAICHO" verify --dir "$D" --replay
finish
