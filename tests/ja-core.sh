#!/bin/sh
# tests/ja-core.sh -- core's messages in Japanese, and the ledger in
# English whatever the locale: tests/test-ja-core under LC_ALL=C, then
# under ja_JP.UTF-8 with a catalogue made here from po/ja.po and a
# locale made with localedef (package locales).  Then the real daicho on
# two demo cities with the same personnel records, one run under C and
# one under ja_JP.UTF-8: an HR plan's steps, a number's error and a
# manual system's reconciliation in each one's language, and the
# entries of the same transfer carried out the same bytes in both; and
# the console (tmux) in Japanese on the second: an HR event's detail
# and plan.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need msgfmt localedef sqlite3 flock
trap 'tmux_stop; cleanup' EXIT

PROBE=${TEST_JA_CORE:-$(dirname "$DAICHO")/tests/test-ja-core}
po=$srcdir/po/ja.po
mkdir -p "$T/mo/ja/LC_MESSAGES"
msgfmt -o "$T/mo/ja/LC_MESSAGES/daicho.mo" "$po"
ja_locale

expect_rc 0 "English under LC_ALL=C" \
    env LC_ALL=C LANG=C LANGUAGE= TMPDIR="$T" "$PROBE" "$T/mo"
expect_rc 0 "Japanese under ja_JP.UTF-8, the ledger still English" \
    env LOCPATH="$T/locale" LC_ALL=ja_JP.UTF-8 LANG=ja_JP.UTF-8 LANGUAGE= \
    TMPDIR="$T" "$PROBE" "$T/mo"

# --- the command line
pam_wrapper_lock
# ja CMD... / en CMD...: CMD with the messages in Japanese / English.
ja() {
	env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= LANGUAGE= \
	    LOCPATH="$T/locale" DAICHO_LOCALEDIR="$T/mo" "$@"
}
en() { env LANG=C LC_ALL= LC_MESSAGES=C LANGUAGE= "$@"; }
# as LOC ANSWERS CMD...: daicho on $D under pam_wrapper, PAM's answers
# (printf format) on descriptor 3.  The real clock, not libfaketime's:
# with LOCPATH set, a sanitizer build's allocator and libfaketime's
# first clock_gettime deadlock.
as() {
	_l=$1 _a=$2
	shift 2
	printf "$_a" >"$T/answers"
	"$_l" env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
	    "$@" --dir "$D" --askpass-fd 3 3<"$T/answers"
}
q() { sqlite3 "$D/daicho.db" "$1"; }

# city LOC DIR: a demo city in DIR, everything done under LOC: the
# birthright (everyone on linux-honcho, 市民課 on juki), a baseline
# export, then one with a mover out of 市民課 (E0000001, to 税務課) and
# a joiner (E0900001, in a month).  Sets mover and joiner (event
# numbers).
TODAY=$(date -u +%Y-%m-%d) LATER=$(date -u -d '+30 days' +%Y-%m-%d)
city() {
	demo_cli "$2"
	for b in 'department=* system=linux-honcho kind=personal' \
	    'department=市民課 system=juki kind=personal'; do
		# shellcheck disable=SC2086
		as "$1" 'demo\ndemo\n' act birthright.add $b \
		    --user demo-admin --approver demo-approver \
		    >"$T/setup.out" 2>&1 ||
		    fail "$1: birthright.add $b: $(cat "$T/setup.out")"
	done
	{ echo '職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分'
	  q "SELECT employee_no || ',' || name_kanji || ',' || name_kana ||
	    ',' || department || ',' || position || ',正規職員,,,在職' FROM
	    person ORDER BY employee_no"; } >"$T/y0.csv"
	sed 's/^\(E0000001,[^,]*,[^,]*\),[^,]*,[^,]*,\(.*\),,,在職$/\1,税務課,主事,\2,'"$TODAY"',,在職/' \
	    "$T/y0.csv" >"$T/y1.csv"
	echo "E0900001,新人 花子,シンジン ハナコ,情報政策課,係長,正規職員,$LATER,,在職" \
	    >>"$T/y1.csv"
	as "$1" 'demo\n' import personnel "$T/y0.csv" \
	    --as-of "$TODAY" --user demo-admin >"$T/setup.out" 2>&1 ||
	    fail "$1: the baseline import: $(cat "$T/setup.out")"
	as "$1" 'demo\n' import personnel "$T/y1.csv" \
	    --as-of "$TODAY" --user demo-admin >"$T/setup.out" 2>&1 ||
	    fail "$1: the import of the transfer: $(cat "$T/setup.out")"
	mover=$(q "SELECT id FROM hr_event WHERE employee_no = 'E0000001'
	    AND kind = 'mover'")
	joiner=$(q "SELECT id FROM hr_event WHERE employee_no = 'E0900001'
	    AND kind = 'joiner'")
	[ -n "$mover" ] && [ -n "$joiner" ] ||
	    fail "$1: no mover or joiner event (${mover:-none}, ${joiner:-none})"
}

# The args of the entries from the hr.apply of event $1 on: the
# indented lines of daicho log, which are the entries' arguments.
applied_args() {
	_from=$(en "$DAICHO" log --dir "$D" | awk -v ev="event=$1" '
	    /^[0-9]/ { idx = $1; act = $3 } $1 == ev && act == "hr.apply" {
	    print idx; exit }')
	[ -n "$_from" ] || { echo "no hr.apply of event $1"; return 0; }
	en "$DAICHO" log --dir "$D" --from "$_from" | awk '/^[ \t]/'
}

city en "$T/c"
expect_rc 0 "C: the mover's plan" en "$DAICHO" events plan "$mover" --dir "$D"
expect_out "1\. id\.revoke e0000001 on juki$" "C: the step in English"
expect_rc 0 "C: the joiner's plan" en "$DAICHO" events plan "$joiner" \
    --dir "$D"
expect_out "id\.create e0900001 on linux-honcho \(personal\)$" \
    "C: id.create with its kind in English"
expect_rc 2 "C: an exception's number too small" as en \
    'demo\n' act exception.approve exception=0 comment=x \
    --user demo-approver
expect_out "exception\.approve: exception is too small" \
    "C: the number's error in English"
expect_rc 2 "C: reconcile a manual system" en "$DAICHO" reconcile juki \
    --dir "$D"
expect_out "juki is a manual system: daicho cannot list its accounts" \
    "C: why, in English"
expect_rc 0 "C: the transfer carried out" as en 'demo\n' \
    events apply "$mover" --user demo-admin
applied_args "$mover" >"$T/args.c"

city ja "$T/j"
expect_rc 0 "ja: the mover's plan" ja "$DAICHO" events plan "$mover" \
    --dir "$D"
expect_out "1\. id\.revoke e0000001（juki）$" \
    "ja: the step in Japanese, the action and names as they are"
expect_rc 0 "ja: the joiner's plan" ja "$DAICHO" events plan "$joiner" \
    --dir "$D"
expect_out "id\.create e0900001（linux-honcho）: 個人ID$" \
    "ja: id.create with its kind in Japanese"
expect_rc 2 "ja: an exception's number too small" as ja \
    'demo\n' act exception.approve exception=0 comment=x \
    --user demo-approver
expect_out "exception\.approve: 例外措置の番号が小さすぎる値です" \
    "ja: the number's error in Japanese"
expect_rc 2 "ja: a request's number that is not one" as ja \
    'demo\n' act priv.approve request=abc --user demo-approver
expect_out "priv\.approve: 申請の番号が不正な値です" \
    "ja: invalid, in Japanese"
expect_rc 2 "ja: reconcile a manual system" ja "$DAICHO" reconcile juki \
    --dir "$D"
expect_out "juki は手作業のシステムです" "ja: why, in Japanese"
expect_rc 0 "ja: the transfer carried out" as ja 'demo\n' \
    events apply "$mover" --user demo-admin
applied_args "$mover" >"$T/args.j"

# What the ledger records does not depend on the locale.
grep -q "reason=moved: only the old post had it (event $mover)" \
    "$T/args.j" && ok "ja: the revocation's reason is recorded in English" ||
    fail "ja: the recorded reason: $(cat "$T/args.j")"
if [ -s "$T/args.c" ] && cmp -s "$T/args.c" "$T/args.j"; then
	ok "the transfer's entries have the same arguments under C and ja"
else
	fail "the transfer's arguments differ: $(diff "$T/args.c" "$T/args.j")"
fi

# --- the console under ja_JP.UTF-8 on the same city, the day of the
# transfer: the joiner's event (still pending), its detail and its plan
# in Japanese.
tmux_start 80 24 env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= LANGUAGE= \
    LOCPATH="$T/locale" DAICHO_LOCALEDIR="$T/mo" "$DAICHO" --demo "$D"
tmux_wait '利用者:' 10 || fail "the console did not start: $(tmux_screen)"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'demo-admin \(管理者\)' "console: demo-admin logs in" 15
tmux_keys Enter
tmux_to_screen 人事異動
expect_screen "$LATER +採用 +未処理 +E0900001" "console: the joiner's event"
tmux_keys Enter
expect_screen '│ +情報政策課 係長 に採用' "console: its detail in Japanese"
expect_screen '1\. id\.create e0900001（linux-honcho）: 個人ID' \
    "console: its plan's step in Japanese"
tmux_keys Escape
tmux_stop
finish
