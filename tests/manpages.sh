# tests/manpages.sh -- daicho.conf(5) and daicho-targets(5), in English
# and Japanese, name every key the code reads (core/config.c, the unix,
# ldap and exec targets), so the pages cannot silently fall behind; the
# example /etc/daicho/daicho.conf lists every key too and, uncommented, is
# a configuration daicho accepts; the built pages (and the Japanese
# daicho(8)) format with groff without a warning, the Japanese ones with
# break points between their characters.
. "$srcdir/tests/lib.sh"
need groff lexgrog

S=$srcdir
B=$(dirname "$DAICHO")

# The keys of a table: every quoted name at the start of an entry.
conf_keys() {
	sed -n -e 's/^[[:space:]]*{ "\([a-z_]*\)", CONFIG_.*/\1/p' \
	    -e 's/^[[:space:]]*HR_COLUMN([0-9]*, "\([a-z_]*\)").*/hr_column_\1/p' \
	    "$S/core/config.c"
}
unix_keys() {
	sed -n '/unix_conf_keys\[\] = {/,/NULL/p' "$S/targets/target-unix.c" |
	    grep -o '"[a-z_]*"' | tr -d '"'
}
ldap_keys() {
	sed -n 's/^[[:space:]]*{ "\([a-z_]*\)", CONF_.*/\1/p' \
	    "$S/targets/target-ldap.c"
}
exec_keys() {
	sed -n 's/.*strcmp(line, "\([a-z_]*\)") == 0.*/\1/p' \
	    "$S/targets/target-exec.c"
}

n=$(conf_keys | wc -l)
[ "$n" -ge 30 ] && ok "core/config.c has $n keys" ||
    fail "only $n keys found in core/config.c: the extraction is broken"
for k in $(conf_keys); do
	for page in daicho.conf.5.in daicho.conf.ja.5.in; do
		grep -Eq "^\.It Cm (.*[ ,])?$k( |$)" "$S/help/$page" ||
		    fail "$page does not describe $k"
	done
	grep -Eq "^#$k = " "$S/etc/daicho/daicho.conf" ||
	    fail "etc/daicho/daicho.conf has no commented line for $k"
done
ok "daicho.conf(5), its Japanese page and the example name every key"

for t in unix ldap exec; do
	keys=$(${t}_keys)
	[ -n "$keys" ] || fail "no $t keys found in the source"
	for k in $keys; do
		for page in daicho-targets.5.in daicho-targets.ja.5.in; do
			grep -Eq "Li $k= " "$S/help/$page" ||
			    fail "$page does not describe $t's $k="
		done
	done
	ok "daicho-targets(5) in both languages names every $t key"
done

# The example is all comments (the defaults), and uncommented it is a
# configuration daicho reads without complaint; a trailing comment,
# which the format does not have, is refused.
grep -Ev '^(#|$)' "$S/etc/daicho/daicho.conf" >/dev/null &&
    fail "the example sets something: every line should be a comment" ||
    ok "every line of the example is a comment or blank"
"$DAICHO" init --dir "$T/d" >/dev/null 2>&1 || fail "init"
sed 's/^#\([a-z_]* = \)/\1/' "$S/etc/daicho/daicho.conf" >"$T/all.conf"
chmod 600 "$T/all.conf"
expect_rc 0 "the example, uncommented, is accepted" \
    "$DAICHO" --config "$T/all.conf" findings --dir "$T/d"
printf 'login_attempts = 5   # five\n' >"$T/bad.conf"
chmod 600 "$T/bad.conf"
expect_rc 2 "a trailing comment is part of the value, and refused" \
    "$DAICHO" --config "$T/bad.conf" findings --dir "$T/d"
expect_out "bad.conf:1: login_attempts must be a number" "it names the line"

# Built pages: no groff warning at 80 columns (-ww: all of them).
for page in help/daicho.8 help/daicho.conf.5 help/daicho-targets.5 \
    help/ja/daicho.8 help/ja/daicho.conf.5 help/ja/daicho-targets.5; do
	if [ ! -s "$B/$page" ]; then
		fail "$page was not built"
		continue
	fi
	w=$(groff -k -mdoc -Tutf8 -ww "$B/$page" 2>&1 >/dev/null)
	[ -z "$w" ] && ok "$page formats without a warning" ||
	    fail "$page: groff says: $w"
	lexgrog "$B/$page" | grep -q ': "daicho[-a-z.]* - ' &&
	    ok "$page has a whatis line" || fail "$page: $(lexgrog "$B/$page")"
done

# The Japanese daicho(8): the hand-written part and the generated
# sections; break points between Japanese characters, none in requests.
grep -q '^\.Sh 名前$' "$B/help/ja/daicho.8" &&
    grep -q '^\.It Cm id\.lock$' "$B/help/ja/daicho.8" &&
    grep -q '^\.Sh コンソール$' "$B/help/ja/daicho.8" &&
    ok "ja daicho(8) has its own text and the generated sections" ||
    fail "ja daicho(8) lacks its heading or a generated section"
# The generated sections come from the ja catalogue: the console's keys
# in Japanese there, in English in daicho(8).
sed 's/\\://g' "$B/help/ja/daicho.8" | grep -q '^ログアウト (session\.logout)\.$' &&
    grep -q '^Log out (session\.logout)\.$' "$B/help/daicho.8" &&
    ok "the generated sections are translated in ja, English in daicho(8)" ||
    fail "the console's key list is not translated in ja daicho(8)"
# The policy keys' and the findings rules' own texts (core/policy.c,
# core/findings.c) come from the catalogue too: Japanese in the Japanese
# page, English in daicho(8).
# gen_lines PAGE SECTION N: the Nth text line after each ".It Cm" of the
# section, its break points and joins taken out.
gen_lines() {
	sed 's/\\://g; s/\\c$//' "$1" | awk -v sh=".Sh $2" -v n="$3" '
		/^\.Sh / { in_sh = ($0 == sh); next }
		in_sh && /^\.It Cm / { left = n; next }
		in_sh && left > 0 && !/^\./ && --left == 0 { print }'
}
# ascii FILE: the lines with nothing but printable ASCII
ascii() {
	LC_ALL=C grep -v '[^ -~]' "$1"
}
nkeys=$(grep -c '^[[:space:]]*{ "[a-z_]*", CORE_POLICY_' "$S/core/policy.c")
gen_lines "$B/help/ja/daicho.8" ポリシー 1 >"$T/ja-policy"
gen_lines "$B/help/daicho.8" POLICY 1 >"$T/en-policy"
if [ "$nkeys" -ge 10 ] && [ "$(wc -l <"$T/ja-policy")" -eq "$nkeys" ] &&
    [ -z "$(ascii "$T/ja-policy")" ] &&
    [ "$(ascii "$T/en-policy" | wc -l)" -eq "$nkeys" ]; then
	ok "the $nkeys policy keys' texts: Japanese in ja, English in daicho(8)"
else
	fail "the policy keys' texts ($nkeys keys) are not translated in ja daicho(8):
$(ascii "$T/ja-policy" | head -5)"
fi
nrules=$(sed -n 's/^#define CORE_FINDINGS_NRULES[[:space:]]*//p' \
    "$S/core/core.h")
for n in 1 2; do
	gen_lines "$B/help/ja/daicho.8" 指摘事項 $n >"$T/ja-rules$n"
	gen_lines "$B/help/daicho.8" FINDINGS $n >"$T/en-rules$n"
done
# The first line names the rule's clause (Japanese in both): it starts
# with the translated "Severity"; the second, the rule, is all English.
if [ "$(wc -l <"$T/ja-rules2")" -eq "$nrules" ] &&
    [ -z "$(ascii "$T/ja-rules2")" ] &&
    [ -z "$(LC_ALL=C grep '^[ -~]' "$T/ja-rules1")" ] &&
    [ "$(ascii "$T/en-rules2" | wc -l)" -eq "$nrules" ] &&
    [ "$(grep -c '^Severity ' "$T/en-rules1")" -eq "$nrules" ]; then
	ok "the $nrules findings rules' texts: Japanese in ja, English in daicho(8)"
else
	fail "the findings rules' texts are not translated in ja daicho(8):
$(head -2 "$T/ja-rules1"; ascii "$T/ja-rules2" | head -3)"
fi
grep -q '改\\:ざ\\:ん\\:を' "$B/help/ja/daicho.8" &&
    ok "mkman -j puts break points between Japanese characters" ||
    fail "no break point in the Japanese text"
# A request line may carry a break point the page's author wrote (a long
# literal, as in English), never one mkman put there.
grep '^\..*\\:' "$B/help/ja/daicho.8" >"$T/req-breaks" || true
n=0
while IFS= read -r line; do
	grep -qxF -e "$line" "$S/help/daicho.ja.8.in" && continue
	fail "a break point inside a request line: $line"
	n=$((n + 1))
done <"$T/req-breaks"
[ "$n" -eq 0 ] && ok "request lines are left as they are"
grep -q '\\:、' "$B/help/ja/daicho.8" &&
    fail "a break point before 、 (a line may not start with it)" ||
    ok "no break before closing punctuation"
# The Japanese daicho(8) is a translation, not a summary: its tagged
# items are the English page's, line for line and in order, from the
# description (the console's keys) to the end of the commands.  (The
# later sections' items are table rows and words, translated.)
sed -n '/^\.Sh DESCRIPTION$/,/^\.Sh PERSONNEL RECORDS$/p' \
    "$S/help/daicho.8.in" | grep '^\.It ' >"$T/it-en" || true
sed -n '/^\.Sh 説明$/,/^\.Sh 人事記録$/p' "$S/help/daicho.ja.8.in" |
    grep '^\.It ' >"$T/it-ja" || true
n=$(wc -l <"$T/it-en")
[ "$n" -ge 70 ] || fail "only $n items found in daicho(8): the extraction is broken"
diff -u "$T/it-en" "$T/it-ja" >"$T/it-diff" &&
    ok "ja daicho(8) has the English page's $n items, in order" ||
    fail "ja daicho(8)'s items differ from the English page's: $(cat "$T/it-diff")"
grep -q 'この日本語版は要約' "$S/help/daicho.ja.8.in" &&
    fail "ja daicho(8) still calls itself a summary" ||
    ok "ja daicho(8) does not call itself a summary"
# Every cross-reference names a section or subsection of the built page.
for page in help/daicho.8 help/ja/daicho.8; do
	sed -n '/^\.Sx /{s/^\.Sx //;:a;s/ [.,:;()]$//;ta;p;}' "$B/$page" |
	    sort -u |
	    while IFS= read -r sx; do
		grep -qxF -e ".Sh $sx" -e ".Ss $sx" "$B/$page" || echo "$sx"
	    done >"$T/sx-missing"
	[ -s "$T/sx-missing" ] &&
	    fail "$page: .Sx names no section: $(cat "$T/sx-missing")" ||
	    ok "$page: every .Sx names a section"
done
# Without break points the long Japanese lines overflow: the check above
# is what keeps groff quiet.
sed 's/\\://g; s/\\c$//' "$B/help/ja/daicho.8" >"$T/nobreak.8"
groff -k -mdoc -Tutf8 -ww "$T/nobreak.8" 2>&1 >/dev/null |
    grep -q "can't break line" &&
    ok "(without them groff could not break the lines)" ||
    fail "the Japanese page would format without break points too"

finish
