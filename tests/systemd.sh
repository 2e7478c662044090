# tests/systemd.sh -- the systemd units in etc/systemd: systemd-analyze
# verify accepts them without a warning, their hardening is there
# (ProtectSystem=strict with ReadWritePaths=, the capabilities each needs,
# an exposure score kept low), and the outbox's file-system policy lets it
# do its work: a unix system's files rewritten in place, a home made.
#
# There is no systemd as init here, so systemd-run cannot start the
# service.  The sandbox's file-system and privilege parts are rebuilt by
# hand instead: a mount namespace where the tree is read-only but for
# the unit's ReadWritePaths=, its capability bounding set, no new
# privileges and its umask (unshare, setpriv).  The system call filter,
# address families and the other namespaces are checked only by
# systemd-analyze.
. "$srcdir/tests/lib.sh"
need systemd-analyze unshare setpriv flock sqlite3
pam_wrapper_lock

U=$srcdir/etc/systemd

# The units for verify: ExecStart names the daicho just built, since
# verify insists the program exists; nothing else changes.
mkdir -p "$T/units"
for f in "$U"/*.service "$U"/*.timer; do
	sed "s|^ExecStart=/usr/local/sbin/daicho |ExecStart=$DAICHO |" "$f" \
	    >"$T/units/${f##*/}"
done

# verify_units DIR: systemd-analyze verify, where any output (systemd
# prints unknown or unparsable settings as warnings and exits 0) fails.
verify_units() {
	set +e
	VOUT=$(cd "$1" && systemd-analyze verify --man=no ./*.service \
	    ./*.timer 2>&1)
	vrc=$?
	set -e
	[ "$vrc" -eq 0 ] && [ -z "$VOUT" ]
}

if verify_units "$T/units"; then
	ok "systemd-analyze verify accepts every unit, without a warning"
else
	fail "systemd-analyze verify (exit $vrc): $VOUT"
fi
# The check itself catches a misspelt setting.
mkdir -p "$T/bad"
cp "$T/units"/* "$T/bad/"
printf 'ProtectSystm=strict\n' >>"$T/bad/daicho-rotate.service"
verify_units "$T/bad" && fail "a misspelt setting passed verify" ||
    ok "a misspelt setting fails the check"

# setting UNIT KEY: the values of KEY in UNIT, one a line.
setting() {
	sed -n "s/^$2=//p" "$U/$1"
}
has() {
	setting "$1" "$2" | tr ' ' '\n' | grep -qxF -- "$3"
}
for u in daicho-outbox.service daicho-rotate.service daicho-sweep.service; do
	[ "$(setting $u ProtectSystem)" = strict ] &&
	    ok "$u: ProtectSystem=strict" || fail "$u: not ProtectSystem=strict"
	for k in NoNewPrivileges PrivateTmp PrivateDevices \
	    ProtectKernelTunables ProtectKernelModules ProtectKernelLogs \
	    ProtectControlGroups RestrictNamespaces RestrictRealtime \
	    RestrictSUIDSGID LockPersonality MemoryDenyWriteExecute; do
		[ "$(setting $u $k)" = yes ] || fail "$u: $k is not yes"
	done
	ok "$u: the common sandboxing"
	[ "$(setting $u UMask)" = 0077 ] && ok "$u: UMask=0077" ||
	    fail "$u: UMask"
	[ "$(setting $u SystemCallArchitectures)" = native ] &&
	    ok "$u: native system calls only" ||
	    fail "$u: SystemCallArchitectures"
	# The binary where "make install" puts it (prefix /usr/local, sbin),
	# and the directory it is given is the one it may write.
	exe=$(setting $u ExecStart)
	case $exe in
	"/usr/local/sbin/daicho "*" --dir /var/lib/daicho")
		ok "$u: runs the installed /usr/local/sbin/daicho on /var/lib/daicho" ;;
	*)	fail "$u: ExecStart=$exe" ;;
	esac
	has $u ReadWritePaths /var/lib/daicho &&
	    ok "$u: may write its data directory" ||
	    fail "$u: ReadWritePaths lacks /var/lib/daicho"
	grep -q '^CapabilityBoundingSet=' "$U/$u" &&
	    ok "$u: a capability bounding set" ||
	    fail "$u: no CapabilityBoundingSet"
done
O=daicho-outbox.service
has $O ReadWritePaths /etc && ok "outbox: may write /etc (a unix system at /)" ||
    fail "outbox: ReadWritePaths lacks /etc"
has $O ReadWritePaths -/home && ok "outbox: may make homes in /home" ||
    fail "outbox: ReadWritePaths lacks -/home"
for c in CAP_CHOWN CAP_FOWNER CAP_DAC_OVERRIDE CAP_KILL CAP_SETUID; do
	has $O CapabilityBoundingSet $c || fail "outbox: $c is missing"
done
[ "$(setting $O CapabilityBoundingSet | wc -w)" -eq 5 ] &&
    ok "outbox: exactly chown, fowner, dac_override, kill and setuid" ||
    fail "outbox: CapabilityBoundingSet=$(setting $O CapabilityBoundingSet)"
for a in AF_UNIX AF_INET AF_INET6; do
	has $O RestrictAddressFamilies $a || fail "outbox: no $a (ldap, loginctl)"
done
ok "outbox: unix sockets (loginctl, ldapi) and the network (ldap)"
grep -q '^ProtectHome=' "$U/$O" &&
    fail "outbox: ProtectHome= would stop homes being made" ||
    ok "outbox: no ProtectHome=, which would win over ReadWritePaths=/home"
grep -q '^ProtectProc=invisible' "$U/$O" &&
    fail "outbox: ProtectProc=invisible hides the processes a lockout ends" ||
    ok "outbox: /proc shows the processes a lockout may end"
# The sweep drives the outbox: exactly the outbox's sandbox.
sandbox() { grep -v -e '^#' -e '^Description=' -e '^ExecStart=' "$U/$1"; }
if [ "$(sandbox daicho-sweep.service)" = "$(sandbox $O)" ]; then
	ok "sweep: the outbox's sandbox, setting for setting"
else
	fail "sweep: its sandbox differs from the outbox's:
$(sandbox $O | diff - "$U/daicho-sweep.service" 2>&1)"
fi
R2=daicho-rotate.service
[ "$(setting $R2 ReadWritePaths)" = /var/lib/daicho ] &&
    ok "rotate: writes only /var/lib/daicho" ||
    fail "rotate: ReadWritePaths=$(setting $R2 ReadWritePaths)"
[ "$(setting $R2 CapabilityBoundingSet)" = "" ] &&
    [ "$(setting $R2 PrivateNetwork)" = yes ] &&
    ok "rotate: no capabilities, no network" ||
    fail "rotate: capabilities or network"

# The exposure systemd-analyze security gives (0 safe .. 10 unsafe, its
# threshold in tenths); the units as they stood before scored 9.1 and 9.0.
for x in "$O 35" "$R2 15" "daicho-sweep.service 35"; do
	set -- $x
	if (cd "$T/units" && systemd-analyze security --offline=yes --man=no \
	    --threshold="$2" "./$1" >"$T/sec" 2>&1); then
		ok "$1: exposure $(sed -n 's/.*exposure level for [^:]*: //p' \
		    "$T/sec") (at most $2 tenths)"
	else
		fail "$1: $(tail -1 "$T/sec")"
	fi
done

# The outbox's sandbox, by hand.  A unix system rooted at $R stands for
# this machine: the unit's /etc and /home are $R/etc and $R/home there,
# /var/lib/daicho is the demo's directory.  An ID's create is left
# pending (its shadow file broken for a moment), then "outbox run" is
# tried as ProtectSystem=full had it (all of /etc read-only), then as
# the unit has it now.
need pwck
demo_cli "$T/demo"
R=$T/root
mkdir -p "$R/etc" "$R/home" "$R/bin" "$R/root"
cp /etc/login.defs "$R/etc/"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$R/etc/shadow"
printf 'root:x:0:\nusers:x:100:\n' >"$R/etc/group"
printf 'root:*::\nusers:*::\n' >"$R/etc/gshadow"
chmod 644 "$R/etc/passwd" "$R/etc/group"
chmod 640 "$R/etc/shadow" "$R/etc/gshadow"
: >"$R/bin/sh"
: >"$R/bin/bash"
chmod 755 "$R/bin/sh" "$R/bin/bash"
expect_rc 0 "a unix system" pw 'demo\ndemo\n' act system.add name=host \
    type=unix title=host conf=2 integ=2 avail=1 "config=root=$R" \
    --user demo-admin --approver demo-approver
cp "$R/etc/shadow" "$T/shadow.good"
printf 'broken\n' >>"$R/etc/shadow"
expect_rc 1 "id.create, its target unreachable for now" \
    pw 'demo\n' act id.create system=host login=sato kind=personal \
    owner=E0000001 --user demo-admin
cp "$T/shadow.good" "$R/etc/shadow"
state() {
	sqlite3 "$D/daicho.db" "SELECT state FROM outbox WHERE system = \
	    'host' AND login = 'sato' AND op = 'create'"
}
[ "$(state)" = pending ] && ok "the create is pending" ||
    fail "outbox row: $(state)"

caps=$(setting $O CapabilityBoundingSet | tr 'A-Z' 'a-z' |
    sed 's/cap_/+/g; s/ /,/g')
# sandboxed RW...: daicho outbox run with the tree under $T read-only but
# for RW, and the unit's capabilities, no-new-privileges and umask.
sandboxed() {
	# shellcheck disable=SC2016
	unshare -m --propagation private sh -ec '
		t=$1; d=$2; caps=$3; shift 3
		mount --bind "$t" "$t"
		mount -o remount,bind,ro "$t"
		for p in "$@"; do
			mount --bind "$p" "$p"
			mount -o remount,bind,rw "$p"
		done
		umask 077
		exec setpriv --no-new-privs --bounding-set "-all${caps:+,$caps}" \
		    "$DAICHO" outbox run --dir "$d"
	' sandbox "$T" "$D" "$caps" "$@"
}
before=$(cat "$R"/etc/passwd "$R"/etc/shadow "$R"/etc/group "$R"/etc/gshadow |
    sha256sum)
expect_rc 1 "as ProtectSystem=full had it, the retry fails" \
    sandboxed "$D"
[ "$(state)" = pending ] && ok "the create is still pending" ||
    fail "outbox row: $(state)"
sqlite3 "$D/daicho.db" "SELECT last_error FROM outbox WHERE login = 'sato'" |
    grep -q "Read-only file system" && ok "its error says why" ||
    fail "last_error: $(sqlite3 "$D/daicho.db" "SELECT last_error FROM \
    outbox WHERE login = 'sato'")"
[ "$(cat "$R"/etc/passwd "$R"/etc/shadow "$R"/etc/group "$R"/etc/gshadow |
    sha256sum)" = "$before" ] && ok "and the system's files are untouched" ||
    fail "the files changed"

# The unit's ReadWritePaths, mapped onto this test's tree.
set --
for p in $(setting $O ReadWritePaths); do
	case ${p#-} in
	/etc)		set -- "$@" "$R/etc" ;;
	/home)		set -- "$@" "$R/home" ;;
	/var/lib/daicho) set -- "$@" "$D" ;;
	*)		[ "${p#-}" != "$p" ] ||
			    fail "outbox: $p has no place in this test" ;;
	esac
done
expect_rc 0 "in the unit's sandbox, the retry is applied" sandboxed "$@"
[ "$(state)" = applied ] && ok "the create is applied" ||
    fail "outbox row: $(state)"
grep -q '^sato:' "$R/etc/passwd" && ok "sato is in passwd" ||
    fail "no sato in passwd"
[ -d "$R/home/sato" ] && ok "with a home" || fail "no home made"
[ "$(stat -c %a "$R/etc/shadow")" = 640 ] &&
    ok "shadow keeps its mode under UMask=0077" ||
    fail "shadow is $(stat -c %a "$R/etc/shadow")"
pwck -r -R "$R" >/dev/null 2>&1 && ok "pwck accepts the files" ||
    fail "pwck: $(pwck -r -R "$R" 2>&1)"
expect_rc 0 "the ledger verifies and replays" \
    "$DAICHO" verify --dir "$D" --replay
finish
