# tests/package.sh -- the Debian package, for real: built from a copy of
# the source tree with dpkg-buildpackage, checked by lintian (an error
# fails), installed into this machine's root with apt-get, then used the
# way an administrator would: the files where they belong (conffiles, the
# systemd units naming /usr/sbin/daicho, the manual pages in English and
# Japanese), no ledger made by the package, "daicho init" and an
# emergency lockout on a demo city's unix root (paths overridden, nothing
# of this machine's own accounts touched), then remove and purge, which
# must keep /var/lib/daicho and say why.
#
# It needs root, dpkg-buildpackage, lintian and apt-get (tools/deps
# installs them; apt needs the network for dependencies missing here).
# Without them it skips, which CI counts as a failure.  It leaves the
# machine as it found it: the package is purged, the packages apt
# brought in for it are removed and the /var/lib/daicho it made is
# deleted, on failure too.  It refuses to run where daicho is installed
# already or /var/lib/daicho exists: that is somebody's ledger.
#
# The package build is most of its time (about two and a half minutes on
# two cores with DEB_BUILD_OPTIONS="nocheck parallel=2"; the unit tests
# run in the suite already).
. "$srcdir/tests/lib.sh"
need dpkg-buildpackage lintian apt-get dpkg-query man

skip() {
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME: $*" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME: $*" >&2
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root (it installs the package)"

# One package test at a time on this machine (dpkg has one database).
exec 8>/tmp/daicho-package.lock
flock -w 1800 8 || { echo "FATAL: package lock" >&2; exit 99; }

installed() {
	[ "$(dpkg-query -W -f '${Status}' daicho 2>/dev/null)" = \
	    "install ok installed" ]
}
installed && skip "daicho is installed on this machine already"
dpkg-query -W -f '${Status}\n' daicho 2>/dev/null | grep -q 'config-files' &&
    skip "daicho's configuration files are on this machine (purge it first)"
[ -e /var/lib/daicho ] && skip "/var/lib/daicho exists: somebody's ledger"

export DEBIAN_FRONTEND=noninteractive
APT="apt-get -y -q -o DPkg::Lock::Timeout=600"
dpkg-query -W -f '${Package}\n' | sort >"$T/before.list"
MADE_VARLIB=0

restore() {
	rc=$?
	set +e
	if dpkg-query -W -f '${Status}' daicho 2>/dev/null | grep -q .; then
		$APT purge daicho >>"$T/restore.log" 2>&1 ||
		    dpkg --purge daicho >>"$T/restore.log" 2>&1
	fi
	dpkg-query -W -f '${Package}\n' | sort >"$T/after.list"
	extra=$(comm -13 "$T/before.list" "$T/after.list" | tr '\n' ' ')
	# shellcheck disable=SC2086
	[ -n "$extra" ] && $APT purge $extra >>"$T/restore.log" 2>&1
	[ "$MADE_VARLIB" = 1 ] && rm -rf /var/lib/daicho
	cleanup
	exit "$rc"
}
trap restore EXIT
trap 'exit 1' INT TERM HUP

# A copy of the source tree: what git tracks (as it is in the working
# tree), or, in a tarball without .git (distcheck), everything but the
# build directories.
mkdir -p "$T/src/daicho"
if git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$srcdir" && git ls-files -z | xargs -0 cp --parents -t "$T/src/daicho")
else
	tar -C "$srcdir" --exclude=./_build --exclude=./_inst \
	    --exclude=./build --exclude=./build-asan -cf - . |
	    tar -C "$T/src/daicho" -xf -
fi
[ -f "$T/src/daicho/debian/control" ] && ok "a copy of the source tree" ||
    fail "the copy has no debian/control"

cd "$T/src/daicho"
dpkg-checkbuilddeps >"$T/builddeps.log" 2>&1 ||
    skip "build dependencies missing (tools/deps): $(cat "$T/builddeps.log")"
start=$(date +%s)
if DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b \
    >"$T/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - start )) s)"
else
	tail -n 40 "$T/build.log" >&2
	fail "dpkg-buildpackage failed"
	finish
fi
cd "$T/src"
deb=$(ls daicho_*_*.deb | grep -v dbgsym)
[ -f "$deb" ] && ok "built $deb" || { fail "no .deb"; finish; }

# lintian: an error fails; warnings are shown.
lintian --pedantic -I daicho_*.changes >"$T/lintian.log" 2>&1 || true
grep -v 'running with root privileges' "$T/lintian.log" | sed 's/^/# /'
if grep -q '^E: ' "$T/lintian.log"; then
	fail "lintian reports errors: $(grep '^E: ' "$T/lintian.log")"
else
	ok "lintian: no error ($(grep -c '^W: ' "$T/lintian.log") warnings)"
fi

# Install it, with apt for its dependencies.
if $APT install "./$deb" >"$T/install.log" 2>&1 && installed; then
	ok "apt-get install ./$deb"
else
	tail -n 20 "$T/install.log" >&2
	fail "apt-get install"
	finish
fi

expect_rc 0 "/usr/sbin/daicho --version" /usr/sbin/daicho --version
conffiles=$(dpkg-query -W -f '${Conffiles}\n' daicho)
for f in /etc/pam.d/daicho /etc/pam.d/daicho-fingerprint \
    /etc/pam.d/daicho-fingerprint-and-password /etc/daicho/daicho.conf; do
	printf '%s\n' "$conffiles" | grep -q "^ $f " &&
	    ok "$f is a conffile" || fail "$f is not a conffile: $conffiles"
done
grep -Ev '^(#|$)' /etc/daicho/daicho.conf >/dev/null &&
    fail "/etc/daicho/daicho.conf sets something" ||
    ok "/etc/daicho/daicho.conf is a commented example"
for u in daicho-rotate daicho-outbox daicho-sweep; do
	grep -q '^ExecStart=/usr/sbin/daicho ' /lib/systemd/system/$u.service &&
	    [ -f /lib/systemd/system/$u.timer ] &&
	    ok "$u.service runs /usr/sbin/daicho, with its timer" ||
	    fail "$u: $(grep ExecStart /lib/systemd/system/$u.service)"
done
[ ! -e /var/lib/daicho ] && ok "the package made no ledger" ||
    fail "/var/lib/daicho exists after install"
# The translations and the bash completion, once the tree has them
# (po/ja.po, etc/bash-completion/daicho): make install puts them there.
if [ -f "$srcdir/po/ja.po" ]; then
	[ -f /usr/share/locale/ja/LC_MESSAGES/daicho.mo ] &&
	    ok "the Japanese catalogue is installed" ||
	    fail "no /usr/share/locale/ja/LC_MESSAGES/daicho.mo"
fi
if [ -f "$srcdir/etc/bash-completion/daicho" ]; then
	[ -f /usr/share/bash-completion/completions/daicho ] &&
	    ok "the bash completion is installed" ||
	    fail "no /usr/share/bash-completion/completions/daicho"
fi

# The manual pages, by man's own search.
expect_rc 0 "man -w -L ja daicho" man -w -L ja daicho
expect_out "/usr/share/man/ja/man8/daicho.8" "the Japanese daicho(8)"
expect_rc 0 "man -w -L ja daicho.conf" man -w -L ja 5 daicho.conf
expect_out "/usr/share/man/ja/man5/daicho.conf.5" "the Japanese daicho.conf(5)"
expect_rc 0 "man -w daicho-targets" env LANG=C LC_ALL=C man -w 5 daicho-targets
expect_out "/usr/share/man/man5/daicho-targets.5" "the English daicho-targets(5)"
OUT=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -L ja -P cat 5 daicho.conf 2>&1)
expect_out "既定値" "man -L ja shows daicho.conf(5) in Japanese"

# daicho init with its path overridden, and the real first run at the
# default path (which the purge below must keep).
expect_rc 0 "daicho init --dir (a scratch ledger)" \
    /usr/sbin/daicho init --dir "$T/ledger"
expect_out "Root verifier key" "init prints the root verifier key"
expect_rc 0 "verify the new ledger" /usr/sbin/daicho verify --dir "$T/ledger"
MADE_VARLIB=1
expect_rc 0 "daicho init at /var/lib/daicho" /usr/sbin/daicho init
[ -f /var/lib/daicho/daicho.db ] && ok "/var/lib/daicho/daicho.db" ||
    fail "init made no /var/lib/daicho/daicho.db"

# The installed daicho on a demo city (its own PAM files under
# pam_wrapper, its own unix root): an emergency lockout of everything by
# one admin, carried out on the city's shadow file.
D=$T/demo
/usr/sbin/daicho --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/unix-root/etc/shadow" ] && ok "the demo city with its unix root" ||
    fail "no demo city in $D"
printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\n' \
    >"$T/cli.conf"
chmod 600 "$T/cli.conf"
locked() { grep -c '^[^:]*:!' "$D/unix-root/etc/shadow" || true; }
before=$(locked)
printf 'demo\n' >"$T/answers"
expect_rc 0 "lockout --scope all by one admin" \
    env LD_PRELOAD=libpam_wrapper.so PAM_WRAPPER=1 \
    PAM_WRAPPER_SERVICE_DIR="$D/pam" /usr/sbin/daicho --config "$T/cli.conf" \
    lockout --scope all --yes --reason 'package test' --user demo-admin \
    --dir "$D" --askpass-fd 3 3<"$T/answers"
after=$(locked)
[ "$after" -gt "$before" ] &&
    ok "the demo's shadow file has $after locked accounts (was $before)" ||
    fail "locked accounts in the demo's shadow: $before -> $after"
expect_rc 0 "the demo's ledger verifies" /usr/sbin/daicho verify --dir "$D"

# Remove: the program goes, the configuration and the ledger stay.
expect_rc 0 "apt-get remove daicho" $APT remove daicho
[ ! -e /usr/sbin/daicho ] && ok "/usr/sbin/daicho removed" ||
    fail "/usr/sbin/daicho still there"
[ -f /etc/daicho/daicho.conf ] && [ -f /etc/pam.d/daicho ] &&
    ok "remove keeps the conffiles" || fail "remove took the conffiles"
[ -f /var/lib/daicho/daicho.db ] && ok "remove keeps /var/lib/daicho" ||
    fail "remove took /var/lib/daicho"

# Purge: the configuration goes, the ledger stays, and it says so.
expect_rc 0 "apt-get purge daicho" $APT purge daicho
expect_out "/var/lib/daicho is kept: .*five years" \
    "purge says why it keeps the ledger"
[ ! -e /etc/daicho/daicho.conf ] && [ ! -e /etc/pam.d/daicho ] &&
    ok "purge removes the conffiles" || fail "purge left the conffiles"
[ -f /var/lib/daicho/daicho.db ] && [ -f /var/lib/daicho/root.pub ] &&
    ok "purge keeps /var/lib/daicho" || fail "purge took /var/lib/daicho"
installed && fail "daicho still installed" || ok "nothing of daicho is installed"

finish
