#!/bin/sh
# tests/ja-core.sh -- core's messages in Japanese, and the ledger in
# English whatever the locale: tests/test-ja-core under LC_ALL=C, then
# under ja_JP.UTF-8 with a catalogue made here from po/ja.po and a
# locale made with localedef (package locales).
. "$srcdir/tests/lib.sh"
need msgfmt localedef

PROBE=${TEST_JA_CORE:-$(dirname "$DAICHO")/tests/test-ja-core}
po=$srcdir/po/ja.po
mkdir -p "$T/mo/ja/LC_MESSAGES" "$T/locale"
msgfmt -o "$T/mo/ja/LC_MESSAGES/daicho.mo" "$po"
if ! localedef -i ja_JP -f UTF-8 "$T/locale/ja_JP.UTF-8" >"$T/localedef.out" 2>&1; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME: localedef ja_JP failed" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME: no ja_JP locale source (package locales)" >&2
	exit 77
fi

expect_rc 0 "English under LC_ALL=C" \
    env LC_ALL=C LANG=C LANGUAGE= TMPDIR="$T" "$PROBE" "$T/mo"
expect_rc 0 "Japanese under ja_JP.UTF-8, the ledger still English" \
    env LOCPATH="$T/locale" LC_ALL=ja_JP.UTF-8 LANG=ja_JP.UTF-8 LANGUAGE= \
    TMPDIR="$T" "$PROBE" "$T/mo"
[ "$FAILED" -eq 0 ] || exit 1
