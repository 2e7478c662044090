# tests/po.sh -- every message a person reads has its Japanese: the
# template is made again from the sources (po/POTFILES), and each of its
# messages must have a translation in po/ja.po that is not fuzzy; msgfmt
# --check must pass.  A failure names the message.  Also: every source
# file with a marked string is in po/POTFILES, or its messages would be
# missed by the template and by this test alike.
. "$srcdir/tests/lib.sh"

: "${XGETTEXT:=xgettext}" "${MSGFMT:=msgfmt}"
need "$XGETTEXT" "$MSGFMT" msgattrib msgmerge

po=$srcdir/po/ja.po
[ -f "$po" ] || { fail "no po/ja.po"; finish; }

# Every .c with _(, N_( or ngettext( is listed.
missing=
for f in $(cd "$srcdir" && grep -lE '(^|[^A-Za-z0-9_])(N?_|ngettext)\(' \
    cli/*.c tui/*.c help/*.c common/*.c core/*.c store/*.c targets/*.c \
    auth/*.c 2>/dev/null); do
	grep -qx "$f" "$srcdir/po/POTFILES" || missing="$missing $f"
done
if [ -z "$missing" ]; then
	ok "every file with a marked string is in po/POTFILES"
else
	fail "marked strings in files missing from po/POTFILES:$missing"
fi

"$XGETTEXT" --from-code=UTF-8 -k_ -kN_ -kngettext:1,2 \
    --add-comments=TRANSLATORS: -D "$srcdir" -f "$srcdir/po/POTFILES" \
    -o "$T/daicho.pot" 2>"$T/xgettext.err" ||
    fail "xgettext: $(cat "$T/xgettext.err")"
n=$(grep -c '^msgid ' "$T/daicho.pot" || true)
ok "the template has $((n - 1)) messages"

# ja.po merged with the template, without guessing (no fuzzy matching):
# a message the template has and ja.po lacks comes out untranslated.
msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$T/merged.po" "$po" \
    "$T/daicho.pot" 2>"$T/msgmerge.err" ||
    fail "msgmerge: $(cat "$T/msgmerge.err")"

# entries KIND: the msgids (and where they are used) msgattrib --KIND
# finds in the merged catalogue, the header left out.
entries() {
	msgattrib --"$1" --no-obsolete --no-wrap "$T/merged.po" 2>/dev/null |
	    awk '/^msgid ""$/ && !seen { seen = 1; skip = 1; next }
		skip && /^$/ { skip = 0; next }
		!skip && /^(#:|msgid|msgid_plural|")/'
}
entries untranslated >"$T/untranslated"
if [ -s "$T/untranslated" ]; then
	fail "messages without their Japanese in po/ja.po ($(grep -c '^msgid ' \
	    "$T/untranslated")):
$(head -80 "$T/untranslated" | sed 's/\\/\\\\/g')"
else
	ok "every message of the template has its Japanese"
fi
entries only-fuzzy >"$T/fuzzy"
if [ -s "$T/fuzzy" ]; then
	fail "fuzzy translations in po/ja.po:
$(head -80 "$T/fuzzy" | sed 's/\\/\\\\/g')"
else
	ok "no fuzzy translation"
fi

if "$MSGFMT" --check --statistics -o "$T/daicho.mo" "$po" \
    >"$T/msgfmt.out" 2>&1; then
	if grep -Eq 'untranslated|fuzzy' "$T/msgfmt.out"; then
		fail "msgfmt --statistics: $(cat "$T/msgfmt.out")"
	else
		ok "msgfmt --check: $(cat "$T/msgfmt.out")"
	fi
else
	fail "msgfmt --check: $(cat "$T/msgfmt.out")"
fi
finish
