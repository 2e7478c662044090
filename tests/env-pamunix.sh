# tests/env-pamunix.sh -- the real pam_unix against a fake /etc.  Sourced,
# not run (POSIX sh; works after tests/lib.sh or on its own).  Needs root:
# the command runs in a new mount namespace (unshare -m) in which a copy of
# /etc is bind-mounted over /etc.  The real /etc is never written, and the
# bind mount disappears with the namespace's last process (unshare makes the
# namespace's mounts private, so nothing propagates back to the host).
#
#   . "$srcdir/tests/env-pamunix.sh"
#   pamunix_setup "$T/pu"                 # $T/pu/etc, user $PAMUNIX_USER
#   pamunix_run "$T/pu" pamtester daicho "$PAMUNIX_USER" acct_mgmt
#   pam_converse "$T/log" 'Current password: ' "$PAMUNIX_PASS" \
#       'New password: ' n3w-Secret 'Retype new password: ' n3w-Secret -- \
#       "$T/pu/run" pamtester daicho "$PAMUNIX_USER" \
#       'chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK)'
#   pamunix_check "$T/pu"                 # pwck -r -q, grpck -r -q inside
#   pamunix_shadow "$T/pu" "$PAMUNIX_USER" # its line of DIR/etc/shadow
#
# pamunix_setup's user has an EXPIRED password (shadow last change 0):
# pam_authenticate succeeds, pam_acct_mgmt returns PAM_NEW_AUTHTOK_REQD
# ("You are required to change your password immediately (administrator
# enforced)"), and pam_chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK) asks for the
# current password, then the new one twice.
#
# Passwords are hashed by the system's own shadow-utils: chpasswd -c
# YESCRYPT run inside the namespace (libxcrypt's yescrypt, as pam_unix
# writes it).  No mkpasswd (whois) needed; python3's crypt module knows no
# yescrypt (crypt.methods has SHA512 at best).
#
# Variables: PAMUNIX_USER (default daicho-pw-test), PAMUNIX_PASS (default
# Old-pass-1234), PAMUNIX_TIMEOUT (seconds pamunix_run lets CMD run;
# default 60, empty for none).

: "${PAMUNIX_USER:=daicho-pw-test}"
: "${PAMUNIX_PASS:=Old-pass-1234}"
: "${PAMUNIX_TIMEOUT=60}"

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

_pu_log() { echo "# pamunix: $*" >&2; }

# _pu_pam_module NAME: the path of a PAM module, or nothing.
_pu_pam_module() {
	for _pu_d in /lib/*/security /usr/lib/*/security /lib/security \
	    /usr/lib/security /lib64/security /usr/lib64/security; do
		if [ -e "$_pu_d/$1" ]; then
			echo "$_pu_d/$1"
			return 0
		fi
	done
	return 1
}

# pamunix_need: skip (77) or fail in CI (99) unless everything is here.
pamunix_need() {
	need unshare mount useradd chpasswd chage pwck grpck /usr/bin/python3
	if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
		if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
			echo "FATAL: ${TEST_NAME:-env-pamunix} needs root and unshare -m" >&2
			exit 99
		fi
		echo "SKIP: ${TEST_NAME:-env-pamunix} needs root and unshare -m" >&2
		exit 77
	fi
	if ! _pu_pam_module pam_unix.so >/dev/null; then
		echo "FATAL: pam_unix.so not found" >&2
		exit 99
	fi
}

# pamunix_run DIR CMD...: run CMD with DIR/etc as /etc, in a private mount
# namespace; returns CMD's status (124 if it outran PAMUNIX_TIMEOUT).  Its
# standard input, output and terminal are the caller's, so it can run the
# console in tmux too.  Other environment variables pass through (say
# DBUS_SYSTEM_BUS_ADDRESS, for pam_fprintd with tests/env-fprintd.sh).
# The same without the timeout, as a program (for pam_converse, tmux,
# anything that cannot call a shell function): DIR/run CMD...
pamunix_run() {
	_pu_dir=$1
	shift
	_pu_dir_ok "$_pu_dir" || return 125
	if [ -n "$PAMUNIX_TIMEOUT" ]; then
		# --foreground: CMD may keep the terminal; run, unshare and sh
		# exec, so the process timed out is CMD itself.
		timeout --foreground -k 5 "$PAMUNIX_TIMEOUT" "$_pu_dir/run" "$@"
	else
		"$_pu_dir/run" "$@"
	fi
}

# _pu_write_run DIR: write DIR/run.  It bind-mounts the whole directory,
# not single files: pam_unix and shadow-utils write nshadow/shadow+ and
# rename() them over shadow, which fails on a bind-mounted file.
_pu_write_run() {
	_pu_etc=$(cd "$1/etc" && pwd)
	cat >"$1/run" <<EOF
#!/bin/sh
# Run a command with $_pu_etc as /etc, in a new private mount namespace.
exec unshare -m --propagation private sh -c \\
    'mount --bind "\$0" /etc && exec "\$@"' '$_pu_etc' "\$@"
EOF
	chmod 755 "$1/run"
}

# _pu_dir_ok DIR: DIR is a set-up fake root, never / (useradd -P / or
# rm -rf /etc would hit the real system).
_pu_dir_ok() {
	if [ -z "${1:-}" ] || [ "$(cd "$1" 2>/dev/null && pwd -P)" = / ] ||
	    [ ! -x "$1/run" ] || [ ! -d "$1/etc/pam.d" ]; then
		_pu_log "'${1:-}' is not a directory made by pamunix_setup"
		return 1
	fi
}

# pamunix_useradd DIR USER PASSWORD [expired]: add USER to DIR/etc with a
# yescrypt PASSWORD; "expired" sets the last change to 0 (change at next
# login).  No home directory, no lastlog/faillog entry (-l: those files are
# outside /etc).
pamunix_useradd() {
	_pu_dir_ok "$1" || return 1
	useradd -P "$1" -M -l -s /bin/sh -c "daicho test user" "$2" || return 1
	printf '%s:%s\n' "$2" "$3" |
	    pamunix_run "$1" chpasswd -c YESCRYPT || return 1
	if [ "${4:-}" = expired ]; then
		pamunix_run "$1" chage -d 0 "$2" </dev/null || return 1
	fi
	# shellcheck disable=SC2016 # a literal $y$
	case $(pamunix_shadow "$1" "$2" | cut -d: -f2) in
	'$y$'*) ;;
	*)
		_pu_log "the hash for $2 is not yescrypt: $(pamunix_shadow "$1" "$2")"
		return 1
		;;
	esac
}

# pamunix_service DIR NAME: write DIR/etc/pam.d/NAME from standard input.
pamunix_service() {
	_pu_dir_ok "$1" || return 1
	cat >"$1/etc/pam.d/$2"
}

# pamunix_setup DIR: copy /etc to DIR/etc, write the service "daicho"
# (pam_unix for auth, account, password, session; nodelay, or every wrong
# password costs ~2 s), and add PAMUNIX_USER with PAMUNIX_PASS, expired.
pamunix_setup() {
	pamunix_need
	mkdir -p "${1:?pamunix_setup DIR}" || return 1
	if [ "$(cd "$1" && pwd -P)" = / ]; then
		_pu_log "pamunix_setup: refusing DIR=/"
		return 1
	fi
	rm -rf "${1:?}/etc"
	cp -a /etc "$1/etc" || return 1
	rm -f "$1/etc/.pwd.lock" "$1/etc/shadow.lock" "$1/etc/passwd.lock"
	_pu_write_run "$1"
	pamunix_service "$1" daicho <<'EOF'
# daicho test service: the real pam_unix only.
auth     required pam_unix.so nodelay
account  required pam_unix.so
password required pam_unix.so nodelay yescrypt
session  required pam_unix.so
EOF
	pamunix_useradd "$1" "$PAMUNIX_USER" "$PAMUNIX_PASS" expired || return 1
	_pu_log "ready: $1/etc, user $PAMUNIX_USER (expired password)"
}

# pamunix_shadow DIR USER: USER's line of DIR/etc/shadow.
pamunix_shadow() {
	grep "^$2:" "$1/etc/shadow"
}

# pamunix_today: days since the epoch, as shadow counts them.
pamunix_today() {
	echo $(($(date -u +%s) / 86400))
}

# pamunix_check DIR: pwck and grpck, read-only, inside the namespace;
# -q leaves out warnings that need no action (missing home directories of
# system accounts), so any output is an error.
pamunix_check() {
	_pu_out=$(pamunix_run "$1" sh -c 'pwck -r -q && grpck -r -q' 2>&1 </dev/null)
	_pu_rc=$?
	if [ "$_pu_rc" -ne 0 ] || [ -n "$_pu_out" ]; then
		_pu_log "pwck/grpck: exit $_pu_rc: $_pu_out"
		return 1
	fi
}

# pam_converse LOG [-t SECONDS] [PROMPT ANSWER]... -- CMD...: run CMD
# (a PAM client such as pamtester) with its output on a pty (so it is
# line-buffered) copied to LOG, and its input on a pipe: each ANSWER is
# written, with a newline, once the regular expression PROMPT has appeared
# in the output after the previous one.  A pipe, not the pty, on input,
# because Linux-PAM's misc_conv flushes pending terminal input (TCSAFLUSH)
# after printing a prompt, and because misc_conv takes one read() as one
# answer: answers written all at once run together.  Input is closed after
# the last answer.  Returns CMD's status; 124 on timeout (default 30 s),
# 125 when a PROMPT never came (what came is on stderr).
# Killing pam_converse (TERM, INT, HUP) kills CMD's process group too.
pam_converse() {
	/usr/bin/python3 -c "$_PAM_CONVERSE_PY" "$@"
}

# pam_converse_bg ARGS...: pam_converse in the background; its pid (to
# wait for, or to kill, like a user pressing Esc) is in PAM_CONVERSE_PID.
pam_converse_bg() {
	/usr/bin/python3 -c "$_PAM_CONVERSE_PY" "$@" &
	# shellcheck disable=SC2034 # for the caller
	PAM_CONVERSE_PID=$!
}

_PAM_CONVERSE_PY='
import os, re, select, signal, subprocess, sys, time
a = sys.argv[1:]
log, a = a[0], a[1:]
limit = 30.0
if a[:1] == ["-t"]:
    limit, a = float(a[1]), a[2:]
sep = a.index("--")
pairs, cmd = a[:sep], a[sep + 1:]
pairs = [(re.compile(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs), 2)]
master, slave = os.openpty()
rfd, wfd = os.pipe()
p = subprocess.Popen(cmd, stdin=rfd, stdout=slave, stderr=slave,
                     start_new_session=True)
os.close(slave)
os.close(rfd)
def bye(sig, frame):
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except OSError:
        pass
    p.wait()
    sys.exit(128 + sig)
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(s, bye)
out = open(log, "ab", buffering=0)
text, pos, i, rc = "", 0, 0, None
deadline = time.monotonic() + limit
if not pairs:
    os.close(wfd); wfd = None
while True:
    while i < len(pairs):
        m = pairs[i][0].search(text, pos)
        if not m:
            break
        pos = m.end()
        try:
            os.write(wfd, (pairs[i][1] + "\n").encode())
        except OSError:
            pass
        i += 1
        if i == len(pairs):
            os.close(wfd); wfd = None
    left = deadline - time.monotonic()
    if left <= 0:
        os.killpg(p.pid, signal.SIGKILL)
        rc = 124
        break
    r, _, _ = select.select([master], [], [], min(left, 0.2))
    if r:
        try:
            data = os.read(master, 4096)
        except OSError:
            data = b""
        if not data:
            break
        out.write(data)
        text += data.decode(errors="replace")
status = p.wait()
if rc is None:
    rc = status if status >= 0 else 128 - status
if wfd is not None:
    os.close(wfd)
if rc != 124 and i < len(pairs):
    sys.stderr.write("pam_converse: no prompt /%s/ (answered %d of %d); "
                     "the output was:\n%s\n" % (pairs[i][0].pattern, i,
                     len(pairs), text))
    rc = 125
sys.exit(rc)
'
