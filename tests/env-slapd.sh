# tests/env-slapd.sh -- a real OpenLDAP slapd for tests, with its own
# configuration, database and listeners in a scratch directory.  Sourced,
# not run (POSIX sh; works after tests/lib.sh or on its own).  Installs
# nothing: tools/deps has slapd, ldap-utils and openssl.
#
#   . "$srcdir/tests/env-slapd.sh"
#   trap 'slapd_stop; cleanup' EXIT; trap 'exit 130' HUP INT TERM
#   slapd_start "$T/slapd"          # ldap://, ldaps://, ldapi:// listeners
#   slapd_add_users 10              # uid=user0001 .. user0010
#   ldapwhoami -x -H "$SLAPD_URI" -D "$(slapd_user_dn user0001)" \
#       -y "$SLAPD_DIR/user0001.pw" -e ppolicy
#   slapd_stop
#
# The directory: dc=example,dc=test with ou=people, ou=groups and
# ou=policies; cn=default,ou=policies is the default password policy
# (pwdLockout, pwdMustChange, pwdAllowUserChange).  rootdn is
# cn=admin,dc=example,dc=test, its password in $SLAPD_ADMIN_PWFILE (0600;
# never on a command line).  SASL EXTERNAL over the ldapi socket maps the
# calling uid/gid to the rootdn, as Debian's own cn=config does for root.
# Users' cleartext passwords are hashed by ppolicy_hash_cleartext, and
# "lastbind on" keeps pwdLastSuccess.
#
# Facts (slapd 2.5.13, Debian 12):
# - pwdAccountLockedTime 000001010000Z locks for good; a bind with the
#   ppolicy control is then refused and ldapwhoami -e ppolicy prints
#   "Account locked".  With pwdReset TRUE the bind succeeds but
#   everything else is refused until the password changes ("Password must
#   be changed").
# - Ports are probed below 32768: ports in the ephemeral range clash with
#   client sockets in TIME_WAIT.  A port taken between the probe and
#   slapd's bind is retried with another.
# - Unix socket paths are limited to 107 bytes: the ldapi socket moves to
#   a short directory under /tmp when DIR is too deep.
#
# Variables set: SLAPD_DIR, SLAPD_PORT, SLAPD_TLS_PORT, SLAPD_URI
# (ldap://127.0.0.1:PORT), SLAPD_LDAPS_URI, SLAPD_LDAPI_URI, SLAPD_SOCK,
# SLAPD_BASE, SLAPD_PEOPLE, SLAPD_ADMIN_DN, SLAPD_ADMIN_PWFILE,
# SLAPD_CACERT, SLAPD_PID.  Variables read: SLAPD_TIMEOUT (seconds to
# wait for a start or stop, default 30), SLAPD_TLS (0 to skip TLS).

: "${SLAPD_TIMEOUT:=30}"
: "${SLAPD_TLS:=1}"
SLAPD_DIR=
SLAPD_PID=
SLAPD_BASE=dc=example,dc=test
SLAPD_PEOPLE=ou=people,$SLAPD_BASE
SLAPD_ADMIN_DN=cn=admin,$SLAPD_BASE
_sl_sockdir=

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

_sl_log() { echo "# slapd: $*" >&2; }

# _sl_find_slapd: slapd is in /usr/sbin, often not on a user's PATH.
_sl_find_slapd() {
	for _sl_p in "$(command -v slapd 2>/dev/null)" /usr/sbin/slapd \
	    /usr/libexec/slapd; do
		if [ -n "$_sl_p" ] && [ -x "$_sl_p" ]; then
			echo "$_sl_p"
			return 0
		fi
	done
	return 1
}

# slapd_need: skip (77) or fail in CI (99) unless everything is here.
slapd_need() {
	need ldapadd ldapmodify ldapsearch ldapwhoami ldappasswd ss
	[ "$SLAPD_TLS" = 0 ] || need openssl
	if ! _sl_find_slapd >/dev/null ||
	    { ! command -v slapadd >/dev/null && ! [ -x /usr/sbin/slapadd ]; }
	then
		if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
			echo "FATAL: ${TEST_NAME:-env-slapd} needs slapd" >&2
			exit 99
		fi
		echo "SKIP: ${TEST_NAME:-env-slapd} needs slapd" >&2
		exit 77
	fi
	for _sl_f in /usr/lib/ldap/back_mdb.so /usr/lib/ldap/ppolicy.so \
	    /etc/ldap/schema/core.schema /etc/ldap/schema/nis.schema; do
		if ! [ -e "$_sl_f" ]; then
			echo "FATAL: $_sl_f not found (slapd incomplete?)" >&2
			exit 99
		fi
	done
}

# _sl_port_free PORT: nothing listens on PORT (TCP, any address).
_sl_port_free() {
	! ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

# _sl_pick_port: a free TCP port in 20000..32767 (below the ephemeral
# range); avoids $SLAPD_PORT so that two picks differ.
_sl_pick_port() {
	_sl_n=0
	while [ "$_sl_n" -lt 200 ]; do
		# od reads 2 random bytes: no $RANDOM in POSIX sh.
		_sl_r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		_sl_cand=$((20000 + _sl_r % 12768))
		if [ "$_sl_cand" != "${SLAPD_PORT:-}" ] &&
		    _sl_port_free "$_sl_cand"; then
			echo "$_sl_cand"
			return 0
		fi
		_sl_n=$((_sl_n + 1))
	done
	return 1
}

# _sl_urlencode PATH: percent-encode a socket path for an ldapi:// URL
# (our paths hold no characters beyond these).
_sl_urlencode() {
	printf '%s' "$1" | sed 's/%/%25/g; s,/,%2F,g; s/ /%20/g; s/,/%2C/g'
}

# _sl_conf: write $SLAPD_DIR/slapd.conf.
_sl_conf() {
	_sl_uid=$(id -u)
	_sl_gid=$(id -g)
	{
		cat <<EOF
# Written by tests/env-slapd.sh: a throw-away test server.
include		/etc/ldap/schema/core.schema
include		/etc/ldap/schema/cosine.schema
include		/etc/ldap/schema/inetorgperson.schema
include		/etc/ldap/schema/nis.schema

modulepath	/usr/lib/ldap
moduleload	back_mdb
moduleload	ppolicy

pidfile		$SLAPD_DIR/slapd.pid
argsfile	$SLAPD_DIR/slapd.args
loglevel	none

# SASL EXTERNAL over ldapi: the caller's uid and gid as the rootdn.
authz-regexp	"gidNumber=$_sl_gid\\\\+uidNumber=$_sl_uid,cn=peercred,cn=external,cn=auth"
		"$SLAPD_ADMIN_DN"
EOF
		if [ "$SLAPD_TLS" != 0 ]; then
			cat <<EOF
TLSCertificateFile	$SLAPD_DIR/tls/cert.pem
TLSCertificateKeyFile	$SLAPD_DIR/tls/key.pem
EOF
		fi
		cat <<EOF

database	mdb
maxsize		268435456
suffix		"$SLAPD_BASE"
rootdn		"$SLAPD_ADMIN_DN"
rootpw		$(cat "$SLAPD_ADMIN_PWFILE")
directory	$SLAPD_DIR/db
lastbind	on
index		objectClass eq
index		uid eq
index		uidNumber eq

access to attrs=userPassword
	by self write
	by anonymous auth
	by * none
access to *
	by self read
	by users read
	by * none

overlay		ppolicy
ppolicy_default	"cn=default,ou=policies,$SLAPD_BASE"
ppolicy_use_lockout
ppolicy_hash_cleartext
EOF
	} >"$SLAPD_DIR/slapd.conf"
	chmod 600 "$SLAPD_DIR/slapd.conf"
}

_sl_init_ldif() {
	cat <<EOF
dn: $SLAPD_BASE
objectClass: top
objectClass: dcObject
objectClass: organization
o: example
dc: example

dn: ou=people,$SLAPD_BASE
objectClass: organizationalUnit
ou: people

dn: ou=groups,$SLAPD_BASE
objectClass: organizationalUnit
ou: groups

dn: ou=policies,$SLAPD_BASE
objectClass: organizationalUnit
ou: policies

dn: cn=default,ou=policies,$SLAPD_BASE
objectClass: top
objectClass: device
objectClass: pwdPolicy
cn: default
pwdAttribute: userPassword
pwdLockout: TRUE
pwdMaxFailure: 5
pwdLockoutDuration: 0
pwdMustChange: TRUE
pwdAllowUserChange: TRUE
pwdSafeModify: FALSE
pwdInHistory: 0

dn: cn=users,ou=groups,$SLAPD_BASE
objectClass: posixGroup
cn: users
gidNumber: 100
EOF
}

# _sl_tls: a self-signed certificate for 127.0.0.1 and localhost.
_sl_tls() {
	mkdir -p "$SLAPD_DIR/tls"
	if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -days 2 -subj "/CN=127.0.0.1" \
	    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	    -keyout "$SLAPD_DIR/tls/key.pem" -out "$SLAPD_DIR/tls/cert.pem" \
	    >"$SLAPD_DIR/tls/openssl.log" 2>&1; then
		cat "$SLAPD_DIR/tls/openssl.log" >&2
		echo "FATAL: openssl could not make a test certificate" >&2
		exit 99
	fi
	chmod 600 "$SLAPD_DIR/tls/key.pem"
	SLAPD_CACERT=$SLAPD_DIR/tls/cert.pem
}

# _sl_ready: the server answers an anonymous root DSE search.
_sl_ready() {
	ldapsearch -x -LLL -o nettimeout=2 -H "$SLAPD_URI" -b '' -s base \
	    namingContexts >/dev/null 2>&1
}

# slapd_start DIR [PORT]: configure, load and start a server.  Without
# PORT a free one is picked (and re-picked if slapd cannot bind it).
slapd_start() {
	slapd_need
	SLAPD_DIR=$1
	_sl_want_port=${2:-}
	_sl_slapd=$(_sl_find_slapd)
	_sl_slapadd=$(command -v slapadd 2>/dev/null || echo /usr/sbin/slapadd)
	mkdir -p "$SLAPD_DIR/db"
	chmod 700 "$SLAPD_DIR"
	SLAPD_ADMIN_PWFILE=$SLAPD_DIR/admin.pw
	(umask 077 && od -An -N12 -tx1 /dev/urandom | tr -d ' \n' \
	    >"$SLAPD_ADMIN_PWFILE")
	SLAPD_CACERT=
	[ "$SLAPD_TLS" = 0 ] || _sl_tls

	SLAPD_SOCK=$SLAPD_DIR/ldapi
	if [ "${#SLAPD_SOCK}" -gt 100 ]; then
		_sl_sockdir=$(mktemp -d /tmp/slapd-sock.XXXXXX)
		SLAPD_SOCK=$_sl_sockdir/ldapi
	fi
	SLAPD_LDAPI_URI="ldapi://$(_sl_urlencode "$SLAPD_SOCK")"

	_sl_conf
	if ! _sl_init_ldif | "$_sl_slapadd" -q -f "$SLAPD_DIR/slapd.conf" \
	    >"$SLAPD_DIR/slapadd.log" 2>&1; then
		cat "$SLAPD_DIR/slapadd.log" >&2
		echo "FATAL: slapadd failed" >&2
		exit 99
	fi

	_sl_try=0
	while :; do
		_sl_try=$((_sl_try + 1))
		SLAPD_PORT=
		SLAPD_PORT=${_sl_want_port:-$(_sl_pick_port)} ||
		    { echo "FATAL: no free port" >&2; exit 99; }
		SLAPD_URI=ldap://127.0.0.1:$SLAPD_PORT
		_sl_urls="$SLAPD_URI/ $SLAPD_LDAPI_URI"
		SLAPD_TLS_PORT=
		SLAPD_LDAPS_URI=
		if [ "$SLAPD_TLS" != 0 ]; then
			SLAPD_TLS_PORT=$(_sl_pick_port) ||
			    { echo "FATAL: no free port" >&2; exit 99; }
			SLAPD_LDAPS_URI=ldaps://127.0.0.1:$SLAPD_TLS_PORT
			_sl_urls="$_sl_urls $SLAPD_LDAPS_URI/"
		fi
		rm -f "$SLAPD_SOCK" "$SLAPD_DIR/slapd.pid"
		# slapd forks into the background once its listeners are
		# bound; a failure to bind shows as a non-zero exit here.
		if "$_sl_slapd" -f "$SLAPD_DIR/slapd.conf" -h "$_sl_urls" \
		    >"$SLAPD_DIR/slapd.log" 2>&1; then
			break
		fi
		if [ -n "$_sl_want_port" ] || [ "$_sl_try" -ge 5 ]; then
			cat "$SLAPD_DIR/slapd.log" >&2
			echo "FATAL: slapd did not start (ports $SLAPD_PORT" \
			    "$SLAPD_TLS_PORT)" >&2
			exit 99
		fi
		_sl_log "slapd could not start on $SLAPD_PORT; trying another port"
	done

	_sl_n=0
	while ! [ -s "$SLAPD_DIR/slapd.pid" ] || ! _sl_ready; do
		_sl_n=$((_sl_n + 1))
		if [ "$_sl_n" -gt $((SLAPD_TIMEOUT * 10)) ]; then
			cat "$SLAPD_DIR/slapd.log" >&2
			echo "FATAL: slapd did not answer in ${SLAPD_TIMEOUT}s" >&2
			exit 99
		fi
		sleep 0.1
	done
	SLAPD_PID=$(cat "$SLAPD_DIR/slapd.pid")
	export SLAPD_DIR SLAPD_PORT SLAPD_TLS_PORT SLAPD_URI SLAPD_LDAPS_URI \
	    SLAPD_LDAPI_URI SLAPD_SOCK SLAPD_BASE SLAPD_PEOPLE SLAPD_ADMIN_DN \
	    SLAPD_ADMIN_PWFILE SLAPD_CACERT SLAPD_PID
	_sl_log "pid $SLAPD_PID on $_sl_urls"
}

# slapd_user_dn LOGIN: the DN slapd_add_users gives LOGIN.
slapd_user_dn() {
	echo "uid=$1,$SLAPD_PEOPLE"
}

# slapd_add_users N [FIRST]: add inetOrgPerson + posixAccount users
# userFIRST .. user(FIRST+N-1) (four digits, FIRST defaults to 1) in one
# ldapadd connection.  Each one's password is in $SLAPD_DIR/LOGIN.pw.
slapd_add_users() {
	_sl_count=$1
	_sl_first=${2:-1}
	_sl_ldif=$SLAPD_DIR/users.$_sl_first.ldif
	(umask 077 && awk -v n="$_sl_count" -v f="$_sl_first" \
	    -v people="$SLAPD_PEOPLE" -v dir="$SLAPD_DIR" 'BEGIN {
		for (i = f; i < f + n; i++) {
			login = sprintf("user%04d", i)
			pw = sprintf("Pass-%04d-%s", i, "xyzzy")
			printf "%s", pw > (dir "/" login ".pw")
			close(dir "/" login ".pw")
			printf "dn: uid=%s,%s\n", login, people
			printf "objectClass: inetOrgPerson\n"
			printf "objectClass: posixAccount\n"
			printf "uid: %s\ncn: User %04d\nsn: %04d\n", login, i, i
			printf "uidNumber: %d\ngidNumber: 100\n", 10000 + i
			printf "homeDirectory: /home/%s\n", login
			printf "userPassword: %s\n\n", pw
		} }' >"$_sl_ldif")
	if ! ldapadd -x -H "$SLAPD_URI" -D "$SLAPD_ADMIN_DN" \
	    -y "$SLAPD_ADMIN_PWFILE" -f "$_sl_ldif" >"$_sl_ldif.log" 2>&1; then
		cat "$_sl_ldif.log" >&2
		echo "FATAL: ldapadd of $_sl_count users failed" >&2
		exit 99
	fi
	rm -f "$_sl_ldif" "$_sl_ldif.log"
}

# slapd_admin CMD ARGS...: run an ldap-utils command bound as the rootdn
# over the plain listener (-x -H -D -y added before ARGS).
slapd_admin() {
	_sl_cmd=$1
	shift
	"$_sl_cmd" -x -H "$SLAPD_URI" -D "$SLAPD_ADMIN_DN" \
	    -y "$SLAPD_ADMIN_PWFILE" "$@"
}

# slapd_stop: stop the server by its pid (TERM, then KILL after the
# timeout); harmless when none runs.  Keeps SLAPD_DIR for inspection.
slapd_stop() {
	if [ -n "$SLAPD_PID" ] && kill -0 "$SLAPD_PID" 2>/dev/null; then
		kill "$SLAPD_PID" 2>/dev/null || true
		_sl_n=0
		while kill -0 "$SLAPD_PID" 2>/dev/null; do
			_sl_n=$((_sl_n + 1))
			if [ "$_sl_n" -gt $((SLAPD_TIMEOUT * 10)) ]; then
				_sl_log "pid $SLAPD_PID ignored TERM; killing"
				kill -9 "$SLAPD_PID" 2>/dev/null || true
				break
			fi
			sleep 0.1
		done
	fi
	SLAPD_PID=
	if [ -n "$_sl_sockdir" ]; then
		rm -rf "$_sl_sockdir"
		_sl_sockdir=
	fi
}
