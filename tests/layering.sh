#!/bin/sh
# tests/layering.sh -- the dependency rules of docs/architecture.md
# ("Layout and dependencies"), checked on the sources and on the objects
# the build made.  A rule broken anywhere fails the test, naming the file.
#
#   (a) Our headers: each folder includes only the public headers of the
#       folders it may depend on, and a private "-int.h" header only from
#       its own folder.
#   (b) Libraries' headers: curses only under tui/ (and not in tui.h, the
#       public face), PAM only under auth/ (not in auth.h), SQLite and
#       OpenSSL's libcrypto (its SHA-256) only under store/ (not in
#       store.h), the LDAP client only under targets/.
#   (c) Text: no SQL outside store/ and core/; no PAM file, module or
#       pam_wrapper path outside auth/; store's statement API (prepare,
#       step, bind, columns, exec, transactions) only in store/ and core/.
#   (d) Objects: the symbols each object of libdaicho.a and daicho takes
#       from libncursesw/libtinfo, libpam, libsqlite3, libldap and
#       libcrypto come only
#       from the folders allowed above, so a macro or a header included
#       by another cannot hide a call.
#
# Before the real tree, the checker runs on a small tree made here with one
# breach of each rule, and must find every one: a checker that finds
# nothing proves nothing.
#
# Comments are removed with the compiler's own preprocessor (-fpreprocessed)
# so that a comment mentioning curses is not a breach.
# tests/, bench/ and fuzz/ are outside the rules: they test and measure
# the folders from inside.
. "$srcdir/tests/lib.sh"
need gcc nm ldd

DIRS="common store targets core auth tui help cli"

# ours DIR: the public headers of ours that DIR may include.
ours() {
	case $1 in
	common)		echo "common.h" ;;
	store)		echo "common.h store.h" ;;
	targets)	echo "common.h targets.h" ;;
	core)		echo "common.h store.h targets.h core.h" ;;
	auth)		echo "common.h auth.h" ;;
	tui)		echo "common.h store.h core.h auth.h help.h tui.h" ;;
	help)		echo "common.h core.h tui.h help.h" ;;
	cli)		echo "common.h store.h core.h auth.h tui.h help.h cli.h" ;;
	esac
}

# libhdr_ok DIR FILE HEADER: whether FILE (in DIR) may include the
# library header HEADER.
libhdr_ok() {
	case $3 in
	curses.h|ncurses.h|ncursesw/*|term.h|panel.h|menu.h|form.h)
		[ "$1" = tui ] && [ "$2" != tui.h ] ;;
	security/*)
		[ "$1" = auth ] && [ "$2" != auth.h ] ;;
	sqlite3.h|openssl/*)
		[ "$1" = store ] && [ "$2" != store.h ] ;;
	ldap.h|lber.h)
		[ "$1" = targets ] && [ "$2" != targets.h ] ;;
	*)	return 0 ;;
	esac
}

# strip FILE: FILE without comments (directives kept).
strip() {
	gcc -fpreprocessed -dD -E -P "$1" 2>/dev/null
}

# breach FILE WHAT: one line for the first of FILE's matches on stdin,
# quoted, and how many there are.
breach() {
	n=0
	first=
	while IFS= read -r m; do
		n=$((n + 1))
		[ -n "$first" ] || first=$m
	done
	[ "$n" -eq 0 ] && return 0
	printf '%s: %s: "%.60s"' "$1" "$2" "$first"
	[ "$n" -gt 1 ] && printf ' and %d more' $((n - 1))
	printf '\n'
}

# check_sources ROOT: print one line per breach in ROOT's folders.
check_sources() {
	root=$1
	for dir in $DIRS; do
		[ -d "$root/$dir" ] || continue
		allowed=$(ours "$dir")
		for f in "$root/$dir"/*.c "$root/$dir"/*.h; do
			[ -f "$f" ] || continue
			base=${f##*/}
			src=$(strip "$f")
			# (a) our headers
			printf '%s\n' "$src" |
			    sed -n 's/^#include[[:space:]]*"\([^"]*\)".*/\1/p' |
			    while read -r h; do
				[ "$h" = config.h ] && continue
				case " $allowed " in *" $h "*) continue ;; esac
				case $h in
				*-int.h)
					[ -f "$root/$dir/$h" ] && continue
					echo "$dir/$base: includes $h, private to another folder" ;;
				*)	echo "$dir/$base: includes $h, which $dir/ may not use" ;;
				esac
			done
			# (b) libraries' headers
			printf '%s\n' "$src" |
			    sed -n 's/^#include[[:space:]]*<\([^>]*\)>.*/\1/p' |
			    while read -r h; do
				libhdr_ok "$dir" "$base" "$h" ||
				    echo "$dir/$base: includes <$h>, which belongs to another folder"
			done
			# (c) text
			case $dir in
			store|core) ;;
			*)
				printf '%s\n' "$src" | grep -oE \
				    '"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|REPLACE|VACUUM|ATTACH)[[:space:](]' |
				    breach "$dir/$base" "SQL text"
				printf '%s\n' "$src" | grep -oE \
				    '\<(store_(prepare|finalize|bind_[a-z]+|step|reset|col_[a-z]+|exec|begin|commit|rollback)|sqlite3_[a-z_0-9]+)[[:space:]]*\(' |
				    breach "$dir/$base" "runs SQL through the statement API"
				;;
			esac
			case $dir in
			store) ;;
			*)
				printf '%s\n' "$src" | grep -oE '\<sqlite3_[a-z_0-9]+\>' |
				    breach "$dir/$base" "uses SQLite itself"
				;;
			esac
			case $dir in
			auth) ;;
			*)
				printf '%s\n' "$src" | grep -oE \
				    '(pam\.d|pam_wrapper|PAM_WRAPPER|/security/|pam_[a-z_]+\.so|\<pam_[a-z_]+[[:space:]]*\()' |
				    breach "$dir/$base" "PAM outside auth/"
				;;
			esac
		done
	done
}

# syms LIB...: the dynamic symbols the libraries define.
syms() {
	for l in "$@"; do
		nm -D --defined-only "$l" | awk 'NF >= 3 { print $3 }'
	done | sed 's/@.*//' | sort -u
}

# check_objects ROOT CURSES PAM SQLITE LDAP CRYPTO: print one line per object
# under ROOT that takes a symbol from a library its folder may not use.
check_objects() {
	root=$1
	for dir in $DIRS; do
		for o in "$root/$dir"/*.o; do
			[ -f "$o" ] || continue
			nm -u "$o" | awk '{ print $NF }' | sed 's/@.*//' | sort -u \
			    >"$T/undef"
			for lib in curses pam sqlite ldap crypto; do
				case $lib:$dir in
				curses:tui|pam:auth|sqlite:store|ldap:targets|crypto:store)
					continue ;;
				esac
				case $lib in
				curses)	list=$2 ;;
				pam)	list=$3 ;;
				sqlite)	list=$4 ;;
				ldap)	list=$5 ;;
				crypto)	list=$6 ;;
				esac
				bad=$(comm -12 "$T/undef" "$list" | head -n 3 |
				    tr '\n' ' ')
				[ -z "$bad" ] ||
				    echo "$dir/${o##*/}: calls $lib from $dir/: $bad"
			done
		done
	done
}

# The libraries the binary really links.
lib_of() {
	ldd "$DAICHO" | awk -v n="$1" '$1 ~ n { print $3 }'
}
CURSES_LIBS="$(lib_of '^libncursesw\.') $(lib_of '^libtinfo\.')"
PAM_LIB=$(lib_of '^libpam\.')
SQLITE_LIB=$(lib_of '^libsqlite3\.')
LDAP_LIB=$(lib_of '^libldap')
CRYPTO_LIB=$(lib_of '^libcrypto\.')
for l in $CURSES_LIBS $PAM_LIB $SQLITE_LIB $LDAP_LIB $CRYPTO_LIB; do
	[ -f "$l" ] || { fail "daicho links no library at '$l'"; finish; }
done
syms $CURSES_LIBS >"$T/curses.syms"
syms $PAM_LIB >"$T/pam.syms"
syms $SQLITE_LIB >"$T/sqlite.syms"
syms $LDAP_LIB >"$T/ldap.syms"
syms $CRYPTO_LIB >"$T/crypto.syms"
for l in curses pam sqlite ldap crypto; do
	[ -s "$T/$l.syms" ] || fail "no symbols read from the $l library"
done

# --- The checker, on a tree with one breach of each kind.
F=$T/fake
for d in $DIRS; do mkdir -p "$F/$d"; done
cat >"$F/core/a.c" <<'EOF'
/* curses, PAM and SQLite are named in this comment: no breach. */
#include "config.h"
#include "core.h"
#include "core-int.h"
#include "tui.h"
EOF
: >"$F/core/core-int.h"
cat >"$F/tui/tui.h" <<'EOF'
#include <curses.h>
EOF
cat >"$F/tui/b.c" <<'EOF'
#include <curses.h>
#include "store-int.h"
static int f(void) { return store_prepare(0, "x", 0) != 0; }
EOF
cat >"$F/cli/c.c" <<'EOF'
static const char *q = "SELECT name FROM operator";
static const char *p = "/etc/pam.d/daicho";
EOF
cat >"$F/auth/auth.h" <<'EOF'
#include <security/pam_appl.h>
EOF
cat >"$F/targets/d.c" <<'EOF'
#include <sqlite3.h>
#include <openssl/evp.h>
static void g(void) { pam_end(0, 0); }
EOF
check_sources "$F" >"$T/fake.out"
for want in 'core/a.c: includes tui.h' 'tui/tui.h: includes <curses.h>' \
    'tui/b.c: includes store-int.h' 'tui/b.c: runs SQL' 'cli/c.c: SQL text' \
    'cli/c.c: PAM outside auth/' 'auth/auth.h: includes <security/pam_appl.h>' \
    'targets/d.c: includes <sqlite3.h>' 'targets/d.c: PAM outside auth/' \
    'targets/d.c: includes <openssl/evp.h>'; do
	grep -qF "$want" "$T/fake.out" &&
	    ok "the checker finds a planted breach: $want" ||
	    fail "the checker missed '$want' in: $(cat "$T/fake.out")"
done
grep -q 'core/a.c: includes core-int.h\|tui/b.c: includes <curses.h>\|core/a.c:.*comment' \
    "$T/fake.out" &&
    fail "the checker flags what is allowed: $(cat "$T/fake.out")" ||
    ok "the checker passes a folder's own private header, curses in tui/ and words in comments"

printf 'int initscr(void); int f(void) { return initscr(); }\n' >"$T/x.c"
gcc -c -o "$F/core/x.o" "$T/x.c"
printf 'int sqlite3_open(void); int f(void) { return sqlite3_open(); }\n' >"$T/y.c"
gcc -c -o "$F/tui/y.o" "$T/y.c"
printf 'int EVP_sha256(void); int f(void) { return EVP_sha256(); }\n' >"$T/z.c"
gcc -c -o "$F/cli/z.o" "$T/z.c"
check_objects "$F" "$T/curses.syms" "$T/pam.syms" "$T/sqlite.syms" \
    "$T/ldap.syms" "$T/crypto.syms" >"$T/fakeobj.out"
grep -q 'core/x.o: calls curses' "$T/fakeobj.out" &&
    grep -q 'tui/y.o: calls sqlite' "$T/fakeobj.out" &&
    grep -q 'cli/z.o: calls crypto' "$T/fakeobj.out" &&
    ok "the object check finds curses called from core/, SQLite from tui/ and libcrypto from cli/" ||
    fail "the object check missed a planted call: $(cat "$T/fakeobj.out")"

# --- The real tree.
check_sources "$srcdir" >"$T/src.out"
if [ -s "$T/src.out" ]; then
	fail "the sources break the layering: $(cat "$T/src.out")"
else
	ok "the sources keep the layering ($(ls "$srcdir"/common/*.[ch] \
	    "$srcdir"/store/*.[ch] "$srcdir"/targets/*.[ch] \
	    "$srcdir"/core/*.[ch] "$srcdir"/auth/*.[ch] "$srcdir"/tui/*.[ch] \
	    "$srcdir"/help/*.[ch] "$srcdir"/cli/*.[ch] | wc -l) files)"
fi
n=$(ls common/*.o store/*.o core/*.o tui/*.o auth/*.o targets/*.o cli/*.o \
    2>/dev/null | wc -l)
[ "$n" -gt 20 ] && ok "the build's objects are here ($n)" ||
    fail "only $n of the build's objects found in $(pwd)"
check_objects . "$T/curses.syms" "$T/pam.syms" "$T/sqlite.syms" \
    "$T/ldap.syms" "$T/crypto.syms" >"$T/obj.out"
if [ -s "$T/obj.out" ]; then
	fail "the objects break the layering: $(cat "$T/obj.out")"
else
	ok "every object takes curses, PAM, SQLite, LDAP and libcrypto only where allowed"
fi
finish
