# tests/cli-ja.sh -- the command line in Japanese: on the demo city under
# pam_wrapper, the same commands under LANG=ja_JP.UTF-8 (a locale made
# here with localedef, found through LOCPATH, and the catalogue the build
# made) and under LANG=C:
# - daicho status, priv list, exception list, an action's confirmation
#   ("ACTION: done", "ACTION: entry N"), a request's, and verify-report's
#   failures speak Japanese under ja_JP.UTF-8 and English under C;
# - labelled lines stay aligned by display width (a kanji is two
#   columns);
# - what scripts read (status --format tsv, priv list and exception list
#   --format tsv, privileged --format csv and tsv, findings tsv and json,
#   analysis --csv, exception register --csv, events tsv, keys, log) is
#   byte for byte the same under both.
. "$srcdir/tests/lib.sh"
need flock localedef python3
[ -n "$FAKETIME_LIB" ] || need faketime-library
pam_wrapper_lock

: "${DAICHO_LOCALEDIR:?DAICHO_LOCALEDIR must name the built catalogue (make check sets it)}"
[ -f "$DAICHO_LOCALEDIR/ja/LC_MESSAGES/daicho.mo" ] ||
    fail "no catalogue in $DAICHO_LOCALEDIR"
export DAICHO_LOCALEDIR

ja_locale
LOCPATH=$T/locale
export LOCPATH

# use LOCALE: what follows runs with LANG=LOCALE and nothing else set, as
# a person's shell would have it (lib.sh set LC_MESSAGES=C).
use() {
	unset LC_ALL LC_MESSAGES LC_CTYPE LANGUAGE
	LANG=$1
	export LANG
}

# The policy's zone is Asia/Tokyo; the frozen times are UTC.
TZ=UTC
export TZ
CLOCK='2027-01-05 01:00:00'		# a Tuesday, 10:00 in Tokyo
use C
demo_cli "$T/demo"
for n in 1 2; do
	expect_rc 0 "privileged ID root-ops$n" pw 'demo\n' act id.create \
	    system=linux-honcho login=root-ops$n kind=privileged \
	    owner=E000000$((n + 1)) end_date=2027-12-31 'rights=sudo ALL' \
	    purpose=パッチ適用 manager=E0000003 name=特権$n --user demo-admin
done

# --- an action's confirmation
use ja_JP.UTF-8
expect_rc 0 "id.lock under ja_JP.UTF-8" pw 'demo\n' act id.lock \
    system=linux-honcho login=e0000004 --user demo-admin
expect_out '(^|: )id\.lock: 完了しました$' "its confirmation is Japanese"
use C
expect_rc 0 "id.lock under C" pw 'demo\n' act id.lock \
    system=linux-honcho login=e0000005 --user demo-admin
expect_out '(^|: )id\.lock: done$' "its confirmation is English"

# "ACTION: entry N": the action name and the number stay, the words not.
use ja_JP.UTF-8
expect_rc 0 "review done under ja_JP.UTF-8" pw 'demo\n' review done \
    --from 2026-12-01 --to 2026-12-31 --comment 点検済み --user demo-admin
expect_out '(^|: )review\.done: 記録 [0-9]+、' "review.done's line is Japanese"
use C
expect_rc 0 "review done under C" pw 'demo\n' review done \
    --from 2026-11-01 --to 2026-11-30 --comment checked --user demo-admin
expect_out '(^|: )review\.done: entry [0-9]+, ' "review.done's line is English"

# --- a request, and the lists
use ja_JP.UTF-8
expect_rc 0 "priv request under ja_JP.UTF-8" pw 'demo\n' priv request \
    linux-honcho root-ops1 60 --reason 保守 --user demo-admin
expect_out '(^|: )priv\.request: 申請 [0-9]+ は承認者の判断を待っています' \
    "the request's line is Japanese"
expect_rc 0 "exception request under ja_JP.UTF-8" pw 'demo\n' exception \
    request contractor-expired id:linux-honcho:root-ops1 --start 2027-01-08 \
    --end 2027-01-10 --reason 引継ぎ --user demo-admin
expect_out '(^|: )exception\.request: 例外措置 [0-9]+ は承認者の判断を待っています' \
    "the exception's line is Japanese"
use C
expect_rc 0 "priv request under C" pw 'demo\n' priv request \
    linux-honcho root-ops2 30 --reason maintenance --user demo-admin
expect_out '(^|: )priv\.request: request [0-9]+ is waiting for an approver' \
    "the request's line is English"

use ja_JP.UTF-8
expect_rc 0 "priv list under ja_JP.UTF-8" clocked "$DAICHO" priv list \
    --dir "$D"
expect_out 'requested +linux-honcho の root-ops1、60 分、申請者 demo-admin: 保守' \
    "a request's row is Japanese, its state word as stored"
expect_rc 0 "exception list under ja_JP.UTF-8" clocked "$DAICHO" exception \
    list --dir "$D"
expect_out 'requested +contractor-expired \(範囲 id:linux-honcho:root-ops1、申請者 demo-admin\)' \
    "an exception's row is Japanese, its rule and state as stored"
expect_out '^ +2027-01-0[78] [0-9:]+ [+0-9]+ 〜 2027-01-10 ' "and its period"
use C
expect_rc 0 "priv list under C" clocked "$DAICHO" priv list --dir "$D"
expect_out 'requested +root-ops1 on linux-honcho, 60 min, by demo-admin: 保守' \
    "a request's row is English"
expect_rc 0 "exception list under C" clocked "$DAICHO" exception list \
    --dir "$D"
expect_out 'requested +contractor-expired for id:linux-honcho:root-ops1, by demo-admin' \
    "an exception's row is English"

# --- daicho status, and the columns by display width
# aligned FILE: every line's value (after the label, one word, and its
# spaces) begins in the same terminal column.
aligned() {
	python3 -c '
import re, sys, unicodedata
cols = set()
for l in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"( *\S+ +)\S", l.rstrip("\n"))
    if m:
        cols.add(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
            for c in m.group(1)))
sys.exit(len(cols) != 1)' "$1"
}
use ja_JP.UTF-8
"$DAICHO" status --dir "$D" >"$T/status.ja" 2>&1 ||
    fail "status under ja_JP.UTF-8: $(cat "$T/status.ja")"
grep -Eq '^記録数 +[0-9]+$' "$T/status.ja" &&
    grep -Eq '^操作者 +有効 3 人$' "$T/status.ja" &&
    grep -Eq '^チェックポイント +サイズ [0-9]+、署名 ' "$T/status.ja" &&
    ok "status is Japanese" || fail "status: $(cat "$T/status.ja")"
aligned "$T/status.ja" && ok "and its values line up by display width" ||
    fail "status's values do not line up: $(cat "$T/status.ja")"
"$DAICHO" privileged --dir "$D" | grep '^  ' >"$T/register.ja"
grep -Eq '^  用途 +パッチ適用$' "$T/register.ja" &&
    ok "the privileged register is Japanese" ||
    fail "privileged: $(cat "$T/register.ja")"
aligned "$T/register.ja" && ok "and its values line up by display width" ||
    fail "the register's values do not line up: $(cat "$T/register.ja")"
use C
"$DAICHO" status --dir "$D" >"$T/status.c" 2>&1 ||
    fail "status under C: $(cat "$T/status.c")"
grep -Eq '^entries +[0-9]+$' "$T/status.c" &&
    grep -Eq '^operators +3 active$' "$T/status.c" &&
    ok "status is English" || fail "status: $(cat "$T/status.c")"
# English labels have spaces ("root key"): column 13, as it always was.
awk 'substr($0, 12, 1) != " " || substr($0, 13, 1) == " " { exit 1 }' \
    "$T/status.c" && ok "and its values line up" ||
    fail "status's values do not line up: $(cat "$T/status.c")"

# --- verify-report's failures (shown, never recorded)
mkdir "$T/empty" "$T/odd" "$T/odd/report.txt"
use ja_JP.UTF-8
expect_rc 1 "verify-report of an empty directory, ja_JP.UTF-8" \
    "$DAICHO" verify-report "$T/empty" --root-key x
expect_out '^  問題: report\.txt: ありません$' "the missing file, in Japanese"
expect_rc 1 "verify-report, a directory for a file, ja_JP.UTF-8" \
    "$DAICHO" verify-report "$T/odd" --root-key x
expect_out 'report\.txt: [0-9]+ バイト以下のファイルではありません' \
    "not a file, in Japanese"
use C
expect_rc 1 "verify-report of an empty directory, C" \
    "$DAICHO" verify-report "$T/empty" --root-key x
expect_out '^  problem: report\.txt: missing$' "the missing file, in English"
expect_rc 1 "verify-report, a directory for a file, C" \
    "$DAICHO" verify-report "$T/odd" --root-key x
expect_out 'report\.txt: not a file of at most [0-9]+ bytes' \
    "not a file, in English"

# --- a number refused: the option stays, the sentence is translated
use ja_JP.UTF-8
expect_rc 2 "log --limit abc, ja_JP.UTF-8" "$DAICHO" log --limit abc --dir "$D"
expect_out '^daicho: --limit "abc" は不正です$' "the refusal is Japanese"
use C
expect_rc 2 "log --limit abc, C" "$DAICHO" log --limit abc --dir "$D"
expect_out '^daicho: --limit "abc" is invalid$' "the refusal is English"

# --- the machine forms: the same bytes in either locale
same() {
	what=$1
	shift
	use C
	clocked "$DAICHO" "$@" --dir "$D" >"$T/m.c" 2>"$T/m.c.err" || :
	use ja_JP.UTF-8
	clocked "$DAICHO" "$@" --dir "$D" >"$T/m.ja" 2>"$T/m.ja.err" || :
	if [ ! -s "$T/m.c" ]; then
		fail "$what: no output under C: $(cat "$T/m.c.err")"
	elif cmp -s "$T/m.c" "$T/m.ja"; then
		ok "$what: the same bytes under C and ja_JP.UTF-8"
	else
		fail "$what differs by locale: $(diff "$T/m.c" "$T/m.ja" |
		    head -10)"
	fi
}
# The analysis: why each entry is listed is core's English in the CSV,
# Japanese in the text for people.
use ja_JP.UTF-8
expect_rc 0 "analysis under ja_JP.UTF-8" clocked "$DAICHO" analysis \
    --from 2026-12-01 --to 2027-01-31 --dir "$D"
expect_out '^ +特権に関わる変更' "a hit's reason is Japanese"
use C
expect_rc 0 "analysis under C" clocked "$DAICHO" analysis \
    --from 2026-12-01 --to 2027-01-31 --dir "$D"
expect_out '^ +privileged change' "a hit's reason is English"

same "status --format tsv" status --format tsv
grep -q "$(printf '^entries\t[0-9]')" "$T/m.ja" &&
    grep -q "$(printf '^operators_active\t3$')" "$T/m.ja" &&
    ok "status --format tsv has its fixed keys" ||
    fail "status --format tsv: $(cat "$T/m.ja")"
same "priv list --format tsv" priv list --format tsv
same "exception list --format tsv" exception list --format tsv
same "privileged --format csv" privileged --format csv
same "privileged --format tsv" privileged --format tsv
same "findings --format tsv" findings --format tsv
same "findings --format json" findings --format json
same "analysis --csv" analysis --csv --from 2026-12-01 --to 2027-01-31
same "exception register --csv" exception register --csv
same "events --format tsv" events list --format tsv
same "keys" keys
same "log" log -n 20
finish
