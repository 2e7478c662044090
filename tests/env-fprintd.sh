# tests/env-fprintd.sh -- a real fingerprint reader for tests: fprintd with
# libfprint's virtual device on a private D-Bus system bus.  Sourced, not run
# (POSIX sh; works after tests/lib.sh or on its own).  Installs nothing:
# tools/deps (merged from tools/deps-extra) does that.
#
#   . "$srcdir/tests/env-fprintd.sh"
#   trap 'fprintd_stop; cleanup' EXIT; trap 'exit 130' HUP INT TERM
#   fprintd_start "$T/fp"            # bus + polkit mock + fprintd -t
#   fprintd_enroll alice             # right-index-finger, print "print-A"
#   some-pam-client ... >"$T/out" 2>&1 &
#   fprintd_wait_prompt "$T/out"     # "Swipe your right index finger ..."
#   fprintd_scan print-A             # matches; "other" does not
#   fprintd_stop
#
# After fprintd_start, DBUS_SYSTEM_BUS_ADDRESS is exported: every child
# (fprintd-enroll, fprintd-list, pam_fprintd.so inside any PAM client) uses
# the private bus.  The enrolled user need not exist in the passwd database
# (checked with fprintd 1.94.2: enroll, list and pam_fprintd verify all work
# for a name getpwnam() does not know).  Prints live in $FPRINTD_DIR/state.
#
# Variables set: FPRINTD_DIR, FPRINTD_SOCK (the virtual device's socket),
# FPRINTD_DEVICE (its D-Bus object path), FPRINTD_PIDS.
#
# Facts about the virtual device (libfprint 1.94.5):
# - The socket is made when a client first opens the device, and accepts
#   connections only while some client has it open (enroll, verify);
#   otherwise connect() is refused and the scan is gone.  fprintd_start
#   claims the device once so that the socket exists.
# - A scan sent before the verify/enroll prompt may be lost: always
#   fprintd_wait_prompt first.
# - One command per connection; the device closes the connection when it
#   has taken the command.

FPRINTD_DIR=
FPRINTD_SOCK=
FPRINTD_DEVICE=
FPRINTD_PIDS=
_fp_sockdir=

# Fallbacks when tests/lib.sh was not sourced.
if ! command -v need >/dev/null 2>&1; then
	need() {
		for c in "$@"; do
			command -v "$c" >/dev/null 2>&1 && continue
			if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
				echo "FATAL: needs $c, which is missing" >&2
				exit 99
			fi
			echo "SKIP: needs $c" >&2
			exit 77
		done
	}
fi

# _fp_missing WHAT: like need for something that is not a command.
_fp_missing() {
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: ${TEST_NAME:-env-fprintd} needs $1, which is missing" >&2
		exit 99
	fi
	echo "SKIP: ${TEST_NAME:-env-fprintd} needs $1" >&2
	exit 77
}

_fp_log() { echo "# fprintd: $*" >&2; }

# _fp_until SECONDS CMD...: poll CMD every 0.05 s until it succeeds.
_fp_until() {
	_fp_n=$(($1 * 20))
	shift
	while [ "$_fp_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		_fp_n=$((_fp_n - 1))
	done
	return 1
}

_fp_has_name() {
	dbus-send --system --print-reply --reply-timeout=2000 \
	    --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null |
	    grep -q 'boolean true'
}

_fp_bus_up() {
	dbus-send --system --print-reply --reply-timeout=2000 \
	    --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	    org.freedesktop.DBus.GetId
}

# _fp_spawn NAME LOG CMD...: start CMD in the background, killed with TERM
# if this shell dies without cleaning up (prctl PDEATHSIG via setpriv).
_fp_spawn() {
	_fp_name=$1
	_fp_out=$2
	shift 2
	if [ -n "$_fp_pdeath" ]; then
		setpriv --pdeathsig TERM "$@" >"$_fp_out" 2>&1 </dev/null &
	else
		"$@" >"$_fp_out" 2>&1 </dev/null &
	fi
	FPRINTD_PIDS="$FPRINTD_PIDS $!"
	_fp_log "started $_fp_name (pid $!)"
}

# fprintd_start DIR: start the private bus, the polkit mock and fprintd.
# Exits 77 (99 in CI) when a component is missing; returns 1 (with the
# logs on stderr) when something does not come up in time.
fprintd_start() {
	need dbus-daemon dbus-send fprintd-enroll fprintd-list \
	    /usr/libexec/fprintd /usr/bin/python3
	/usr/bin/python3 -c 'import dbusmock' 2>/dev/null ||
	    _fp_missing "the python3 module dbusmock (python3-dbusmock)"
	/usr/bin/python3 -c 'import dbusmock.templates.polkitd' 2>/dev/null ||
	    _fp_missing "dbusmock's polkitd template"

	FPRINTD_DIR=$1
	mkdir -p "$FPRINTD_DIR/state"
	FPRINTD_DIR=$(cd "$FPRINTD_DIR" && pwd)
	# AF_UNIX paths are limited to 107 bytes: put the sockets elsewhere
	# when DIR is deep (make check's tests/tmp in a deep build tree).
	if [ "${#FPRINTD_DIR}" -gt 80 ]; then
		_fp_sockdir=$(mktemp -d /tmp/daicho-fp.XXXXXX)
		_fp_s=$_fp_sockdir
	else
		_fp_sockdir=
		_fp_s=$FPRINTD_DIR
	fi
	FPRINTD_SOCK=$_fp_s/fp.sock
	_fp_pdeath=
	if setpriv --help 2>/dev/null | grep -q pdeathsig; then
		_fp_pdeath=1
	fi

	cat >"$FPRINTD_DIR/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$_fp_s/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
EOF
	rm -f "$_fp_s/bus" "$FPRINTD_SOCK"
	_fp_spawn dbus-daemon "$FPRINTD_DIR/dbus.log" \
	    dbus-daemon --config-file="$FPRINTD_DIR/bus.conf" --nofork --nopidfile
	DBUS_SYSTEM_BUS_ADDRESS=unix:path=$_fp_s/bus
	export DBUS_SYSTEM_BUS_ADDRESS
	if ! _fp_until 5 _fp_bus_up; then
		_fp_log "the private bus did not come up"
		cat "$FPRINTD_DIR/dbus.log" >&2
		return 1
	fi

	_fp_spawn "polkit mock" "$FPRINTD_DIR/polkit.log" \
	    /usr/bin/python3 -m dbusmock --system --template polkitd
	if ! _fp_until 10 _fp_has_name org.freedesktop.PolicyKit1; then
		_fp_log "the polkit mock did not come up"
		cat "$FPRINTD_DIR/polkit.log" >&2
		return 1
	fi
	# Without this every fprintd method is "Not Authorized".
	if ! dbus-send --system --print-reply --reply-timeout=5000 \
	    --dest=org.freedesktop.PolicyKit1 \
	    /org/freedesktop/PolicyKit1/Authority \
	    org.freedesktop.DBus.Mock.AllowUnknown boolean:true >/dev/null; then
		_fp_log "AllowUnknown failed"
		return 1
	fi

	_fp_spawn fprintd "$FPRINTD_DIR/fprintd.log" \
	    env FP_VIRTUAL_DEVICE="$FPRINTD_SOCK" \
	    STATE_DIRECTORY="$FPRINTD_DIR/state" /usr/libexec/fprintd -t
	if ! _fp_until 10 _fp_has_name net.reactivated.Fprint; then
		_fp_log "fprintd did not come up"
		cat "$FPRINTD_DIR/fprintd.log" >&2
		return 1
	fi
	FPRINTD_DEVICE=$(dbus-send --system --print-reply --reply-timeout=5000 \
	    --dest=net.reactivated.Fprint /net/reactivated/Fprint/Manager \
	    net.reactivated.Fprint.Manager.GetDefaultDevice 2>&1 |
	    sed -n 's/.*object path "\(.*\)"/\1/p')
	if [ -z "$FPRINTD_DEVICE" ]; then
		_fp_log "fprintd has no device"
		cat "$FPRINTD_DIR/fprintd.log" >&2
		return 1
	fi
	if ! dbus-send --system --print-reply --reply-timeout=5000 \
	    --dest=net.reactivated.Fprint "$FPRINTD_DEVICE" \
	    org.freedesktop.DBus.Properties.Get \
	    string:net.reactivated.Fprint.Device string:name 2>&1 |
	    grep -q 'Virtual device for debugging'; then
		_fp_log "the default device is not libfprint's virtual device"
		return 1
	fi
	# Open the device once (Claim; dbus-send's exit releases it) so that
	# the virtual device makes its socket.
	dbus-send --system --print-reply --reply-timeout=5000 \
	    --dest=net.reactivated.Fprint "$FPRINTD_DEVICE" \
	    net.reactivated.Fprint.Device.Claim string: >/dev/null 2>&1 || true
	if ! _fp_until 5 test -S "$FPRINTD_SOCK"; then
		_fp_log "the virtual device made no socket $FPRINTD_SOCK"
		cat "$FPRINTD_DIR/fprintd.log" >&2
		return 1
	fi
	_fp_log "ready: bus $DBUS_SYSTEM_BUS_ADDRESS, reader $FPRINTD_SOCK"
}

# fprintd_cmd 'COMMAND ARGS': send one raw command to the virtual device
# (SCAN id, RETRY n, ERROR n, SET_SCAN_TYPE press, SET_KEEP_ALIVE 1,
# UNPLUG, ...).  Fails when no client has the device open.
fprintd_cmd() {
	/usr/bin/python3 - "$FPRINTD_SOCK" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
try:
    s.connect(sys.argv[1])
    s.sendall(sys.argv[2].encode())
    s.shutdown(socket.SHUT_WR)
    while s.recv(256):      # the device closes once it has the command
        pass
except OSError as e:
    sys.exit("fprintd_cmd: %r to %s: %s (is the device open?)"
             % (sys.argv[2], sys.argv[1], e))
EOF
}

# fprintd_scan ID: put finger ID on the reader ("print-A" is the one
# fprintd_enroll enrolls; any other ID does not match).
fprintd_scan() {
	fprintd_cmd "SCAN $1"
}

# fprintd_wait_prompt FILE [N [SECONDS [PID]]]: wait until FILE holds the
# Nth (default 1st) "Swipe/Place your ... finger" prompt; 10 s by default.
# With PID (the client writing FILE), give up as soon as it has exited.
fprintd_wait_prompt() {
	_fp_f=$1
	_fp_want=${2:-1}
	_fp_n=$((${3:-10} * 20))
	_fp_pid=${4:-}
	while [ "$_fp_n" -gt 0 ]; do
		_fp_got=$(grep -Eo '(Swipe|Place) your [a-z ]*finger' "$_fp_f" \
		    2>/dev/null | wc -l)
		[ "$_fp_got" -ge "$_fp_want" ] && return 0
		if [ -n "$_fp_pid" ] && ! _fp_alive "$_fp_pid"; then
			_fp_log "the client (pid $_fp_pid) exited before prompt #$_fp_want; $_fp_f holds:"
			sed 's/^/#   /' "$_fp_f" >&2 2>/dev/null || true
			return 1
		fi
		sleep 0.05
		_fp_n=$((_fp_n - 1))
	done
	_fp_log "no prompt #$_fp_want in $_fp_f after ${3:-10} s; it holds:"
	sed 's/^/#   /' "$_fp_f" >&2 2>/dev/null || true
	return 1
}

# fprintd_enroll USER [FINGER [PRINT]]: enroll PRINT (default print-A) as
# FINGER (default right-index-finger) of USER, then check fprintd-list.
fprintd_enroll() {
	_fp_user=$1
	_fp_finger=${2:-right-index-finger}
	_fp_print=${3:-print-A}
	/usr/bin/python3 "${srcdir:-.}/tests/fprintd-enroll.py" \
	    --socket "$FPRINTD_SOCK" --finger "$_fp_finger" \
	    --print "$_fp_print" "$_fp_user" || return 1
	if ! fprintd-list "$_fp_user" 2>&1 | grep -q -- "- #[0-9]*: $_fp_finger\$"; then
		_fp_log "fprintd-list does not show $_fp_finger for $_fp_user:"
		fprintd-list "$_fp_user" >&2 2>&1 || true
		return 1
	fi
}

# _fp_alive PID: running (an unreaped zombie counts as gone).
_fp_alive() {
	[ -r "/proc/$1/stat" ] &&
	    ! sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^[ZX]'
}

# fprintd_stop: stop what fprintd_start started (newest first); safe to
# call twice or before fprintd_start.
fprintd_stop() {
	_fp_rev=
	for _fp_p in $FPRINTD_PIDS; do
		_fp_rev="$_fp_p $_fp_rev"
	done
	for _fp_p in $_fp_rev; do
		kill -TERM "$_fp_p" 2>/dev/null || continue
		_fp_n=40
		while [ "$_fp_n" -gt 0 ] && _fp_alive "$_fp_p"; do
			sleep 0.05
			_fp_n=$((_fp_n - 1))
		done
		kill -KILL "$_fp_p" 2>/dev/null || true
		wait "$_fp_p" 2>/dev/null || true
	done
	FPRINTD_PIDS=
	if [ -n "$_fp_sockdir" ]; then
		rm -rf "$_fp_sockdir"
		_fp_sockdir=
	fi
	return 0
}
