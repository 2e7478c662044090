# tests/console-locale.sh -- the console in a terminal whose encoding is
# not UTF-8 (LANG=C, or a UTF-8 locale the machine lacks): it does not
# start and draw ??? names and qqqq borders, but says what to set.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
trap 'tmux_stop; cleanup' EXIT

"$DAICHO" --demo "$T/demo" </dev/null >/dev/null 2>&1 || true
[ -e "$T/demo/daicho.db" ] && ok "a demo city" || fail "no demo city"

# The shell keeps the pane alive (and its text on the screen) after daicho.
tmux_start 200 24 sh -c 'env LC_ALL= LC_CTYPE= LANG=C "$0" --demo "$1"; sleep 60' \
    "$DAICHO" "$T/demo"
expect_screen "encoding is ANSI_X3.4-1968, not UTF-8: set LANG=C.UTF-8 or ja_JP.UTF-8" \
    "LANG=C: it names the encoding and what to set"
expect_screen "now LANG=C" "and the setting in force"
expect_no_screen "qqqq|\?\?\?|DEMO CITY" "nothing of the console is drawn"
tmux_stop

tmux_start 200 24 sh -c 'env LC_ALL=xx_XX.UTF-8 "$0" --demo "$1"; sleep 60' \
    "$DAICHO" "$T/demo"
expect_screen "LC_ALL=xx_XX.UTF-8 names a locale this machine does not have" \
    "a missing UTF-8 locale is named as missing"
expect_no_screen "qqqq|\?\?\?|DEMO CITY" "and nothing is drawn"
tmux_stop

# In UTF-8 it starts as ever: the login screen and its Japanese banner.
tmux_start 80 24 "$DAICHO" --demo "$T/demo"
expect_screen "許可された職員以外" "in C.UTF-8 the console starts, Japanese shown"
tmux_stop
finish
