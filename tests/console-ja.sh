# tests/console-ja.sh -- the console in Japanese at 80x24: under
# LANG=ja_JP.UTF-8 (a locale this test makes with localedef, found through
# LOCPATH) and the catalogue the build made (DAICHO_LOCALEDIR), every
# screen, the help, a form and a dialog show Japanese and fit the
# terminal by display width: no line wider than the window, no U+FFFD,
# the header on the first line and the key bar above the status line (a
# line drawn past the edge wraps and scrolls them away).  Again after a resize to
# 100x30 and back.  Under C.UTF-8 the same console stays English.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock useradd python3 localedef
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

: "${DAICHO_LOCALEDIR:?DAICHO_LOCALEDIR must name the built catalogue (make check sets it)}"
[ -f "$DAICHO_LOCALEDIR/ja/LC_MESSAGES/daicho.mo" ] ||
    fail "no catalogue in $DAICHO_LOCALEDIR"

# The locale, made here: the machine need not have ja_JP.UTF-8.
ja_locale
ok "a ja_JP.UTF-8 locale made with localedef"

# The command line under ja_JP.UTF-8: its usage and errors in Japanese,
# the usage wrapped within 80 columns by display width.
ja() {
	env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= LOCPATH="$T/locale" \
	    DAICHO_LOCALEDIR="$DAICHO_LOCALEDIR" "$DAICHO" "$@"
}
ja --help >"$T/help.txt" 2>&1 || true
grep -q '^使い方: daicho' "$T/help.txt" &&
    grep -q '台帳を検証' "$T/help.txt" &&
    ok "daicho --help is in Japanese" ||
    fail "daicho --help: $(head -5 "$T/help.txt")"
if python3 -c '
import sys, unicodedata
for l in open(sys.argv[1], encoding="utf-8"):
    l = l.rstrip("\n")
    if sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l) > 80:
        print(l); sys.exit(1)' "$T/help.txt" >"$T/wide.txt"; then
	ok "and no line of it is wider than 80 columns"
else
	fail "daicho --help is wider than 80 columns: $(cat "$T/wide.txt")"
fi
ja no-such-command >"$T/err.txt" 2>&1 || true
grep -q 'no-such-command: 不明なコマンドです' "$T/err.txt" &&
    ok "an unknown command is named in Japanese" ||
    fail "an unknown command: $(cat "$T/err.txt")"

# DAICHO_LOCALEDIR is taken only as an absolute path to a directory not
# everyone can write: else a warning, and the messages stay as built in.
mkdir -p "$T/open/ja"
cp -R "$DAICHO_LOCALEDIR/ja/." "$T/open/ja/"
chmod 777 "$T/open"
for bad in po/locale "$T/open" "$T/nowhere"; do
	env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= LOCPATH="$T/locale" \
	    DAICHO_LOCALEDIR="$bad" "$DAICHO" no-such-command \
	    >"$T/err.txt" 2>&1 || true
	if grep -q 'DAICHO_LOCALEDIR is not an absolute path' "$T/err.txt" &&
	    ! grep -q '不明なコマンドです' "$T/err.txt"; then
		ok "DAICHO_LOCALEDIR=$bad is refused, with a warning"
	else
		fail "DAICHO_LOCALEDIR=$bad: $(cat "$T/err.txt")"
	fi
done
chmod 700 "$T/open"

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/daicho.db" ] && ok "the demo city was made" || fail "no demo city"

# fits W H DESCRIPTION: the screen now, measured by display width (East
# Asian wide and fullwidth characters take two columns, as wcwidth says
# for them): no line wider than W, no U+FFFD, H lines, the header first
# and the key bar on the line above the status line.
fits() {
	tmux_screen >"$T/screen"
	if python3 - "$1" "$2" "$T/screen" >"$T/fit.out" 2>&1 <<'PY'
import sys, unicodedata
w, h, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
bad = []
def width(s):
    n = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n
for i, l in enumerate(lines, 1):
    if "\ufffd" in l:
        bad.append("line %d has U+FFFD: %s" % (i, l))
    if width(l) > w:
        bad.append("line %d is %d columns wide: %s" % (i, width(l), l))
if len(lines) != h:
    bad.append("%d lines, not %d" % (len(lines), h))
if not lines or not lines[0].startswith(" daicho"):
    bad.append("the header is not on the first line")
if len(lines) < 2 or "F1 " not in lines[-2]:
    bad.append("the key bar is not on its line (the last but one)")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
	then
		ok "$3: fits ${1}x$2"
	else
		fail "$3: $(cat "$T/fit.out")
$(cat "$T/screen")"
	fi
}

# --- Japanese, 80x24
tmux_start 80 24 env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= \
    LOCPATH="$T/locale" DAICHO_LOCALEDIR="$DAICHO_LOCALEDIR" \
    "$DAICHO" --demo "$D"
expect_screen '利用者:' "the login screen asks for the 利用者 in Japanese"
fits 80 24 "the login screen"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'demo-admin \(管理者\)' "demo-admin is logged in, as 管理者"
expect_screen 'ようこそ、demo-admin さん' "the last-login notice is in Japanese"
fits 80 24 "the last-login notice"
tmux_keys Enter
expect_screen '^F1 ヘルプ  F10 ログアウト  F12 緊急停止' \
    "the key bar is in Japanese"
expect_no_screen 'Log out|Help|Screens|Dashboard' "no English key label"
expect_no_screen '令和' "at 80 columns the title bar has no room for the era"

# Every screen of the tab bar, each by its Japanese title.
for title in 概要 ID台帳 システム インシデント 作業指示 職員 人事取込 \
    人事異動 パスワード 特権ID 例外措置 棚卸し ログ点検 操作者 台帳 \
    指摘事項; do
	tmux_to_screen "$title"
	expect_screen "^ daicho 台帳 — $title" "the $title screen is open"
	fits 80 24 "the $title screen"
done
tmux_to_screen ID台帳
expect_screen '種別 +状態' "the IDs list's column titles are Japanese"
# The log review: a category's title and each entry's reason are core's
# words (the demo's privileged IDs are privileged changes).
tmux_to_screen ログ点検
tmux_keys C-n C-n C-n
expect_screen '特権に関わる変更' "the log review's category in Japanese"
expect_no_screen 'privileged change|failed login|out of hours' \
    "no English category or reason on the log review"
tmux_keys Enter
tmux_keys End
expect_screen '分類: 特権に関わる変更' \
    "an entry's reason for being listed, in Japanese"
tmux_keys Enter
tmux_to_screen ID台帳

# The help (F1) on the IDs screen, a form (F5: issue an ID), a dialog.
tmux_keys F1
expect_screen 'キー:' "F1 shows the help, its keys listed in Japanese"
expect_screen '全システムの全IDです' "and the IDs screen's topic in Japanese"
fits 80 24 "the help"
tmux_keys Enter
tmux_keys F5
expect_screen 'IDの発行' "F5 opens the form to issue an ID"
expect_screen 'Tab: 次の欄   Enter: 完了   Esc: 取消' "its keys in Japanese"
fits 80 24 "the form"
tmux_keys Escape
tmux_keys F10
expect_screen 'セッションを終了しますか' "F10 asks in a dialog"
fits 80 24 "the log-out dialog"
tmux_keys n
expect_no_screen 'セッションを終了しますか' "n closes it"

# Resize: 100x30, then back to 80x24; the dashboard and the help again.
tmux_resize 100 30
tmux_to_screen 概要
expect_screen '^ daicho 台帳 — 概要  \[デモ\]  令和[0-9元]+年[0-9]+月[0-9]+日 .*demo-admin' \
    "at 100x30 the title bar has room for today in the era (令和)"
fits 100 30 "the dashboard at 100x30"
tmux_keys F1
expect_screen 'キー:' "the help at 100x30"
fits 100 30 "the help at 100x30"
tmux_resize 80 24
expect_screen 'キー:' "the help after going back to 80x24"
fits 80 24 "the help after the resize back"
tmux_keys Enter
tmux_to_screen 棚卸し
fits 80 24 "the stocktake screen after the resize back"
tmux_stop

# --- English under C.UTF-8 (LANG=C itself is not UTF-8, and the console
# refuses it: tests/console-locale.sh), the same catalogue at hand.
tmux_start 80 24 env DAICHO_LOCALEDIR="$DAICHO_LOCALEDIR" "$DAICHO" \
    --demo "$D"
expect_screen 'User:' "under C.UTF-8 the login asks for the User"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'demo-admin \(admin\)' "demo-admin is logged in"
tmux_keys Enter
expect_screen '^F1 Help  F10 Log out  F12 LOCKOUT' "the key bar is English"
expect_no_screen 'ヘルプ|ログアウト|概要' "no Japanese label"
fits 80 24 "the English dashboard"
finish
