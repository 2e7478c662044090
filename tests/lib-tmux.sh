# tests/lib-tmux.sh -- drive the console as a person would: tmux runs it,
# send-keys types, capture-pane reads the screen.  Sourced after lib.sh.

need tmux
TMUX_SOCK=$T/tmux.sock
TMUX_SESSION=daicho

# tmux_start W H CMD...: run CMD in a detached W x H terminal.  The tmux
# server is a daemon that can outlive a killed test: it must not inherit
# descriptor 9, the machine-wide pam_wrapper lock (pam_wrapper_lock), or
# every later test waits for it.
tmux_start() {
	w=$1 h=$2
	shift 2
	tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -s "$TMUX_SESSION" \
	    -x "$w" -y "$h" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
	    -e TERM=xterm-256color "$@" 9>&-
	tmux -S "$TMUX_SOCK" set-option -t "$TMUX_SESSION" remain-on-exit on \
	    >/dev/null
}

# console_login DIR USER DESCRIPTION: the demo console on DIR at 80x24,
# USER logging in (the demo fingerprint, or the password prompt); checks
# that the header names USER as admin (DESCRIPTION), then Enter past the
# last-login notice.
console_login() {
	tmux_start 80 24 "$DAICHO" --demo "$1"
	tmux_wait 'User:' 10 || fail "the console did not start: $(tmux_screen)"
	tmux_type "$2"
	tmux_keys Enter
	expect_screen "$2 \\(admin\\)" "$3"
	tmux_keys Enter
}

# Stop tmux and wait (up to 5 s) for the console to finish its way out
# (a hangup logs the operator out: the ledger is written), so that the
# scratch directory can be removed after.
tmux_stop() {
	pid=$(tmux_pid 2>/dev/null || true)
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
	i=0
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# What a person sees now.
tmux_screen() {
	tmux -S "$TMUX_SOCK" capture-pane -p -t "$TMUX_SESSION"
}

# tmux_keys KEY...: type, as tmux send-keys names keys (Enter, Escape, F1).
tmux_keys() {
	tmux -S "$TMUX_SOCK" send-keys -t "$TMUX_SESSION" "$@"
}

# tmux_type TEXT: type literal text.
tmux_type() {
	tmux -S "$TMUX_SOCK" send-keys -t "$TMUX_SESSION" -l "$1"
}

tmux_resize() {
	tmux -S "$TMUX_SOCK" resize-window -t "$TMUX_SESSION" -x "$1" -y "$2"
}

# tmux_wait PATTERN [SECONDS]: until the screen matches (grep -E).
tmux_wait() {
	i=0 limit=$(( ${2:-10} * 10 ))
	while [ "$i" -lt "$limit" ]; do
		if tmux_screen | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# expect_screen PATTERN DESCRIPTION [SECONDS]: a check on what is shown.
expect_screen() {
	if tmux_wait "$1" "${3:-10}"; then
		ok "$2"
	else
		fail "$2: the screen never showed /$1/; it shows:
$(tmux_screen)"
	fi
}

# expect_no_screen PATTERN DESCRIPTION: it is not shown now.
expect_no_screen() {
	if tmux_screen | grep -Eq -- "$1"; then
		fail "$2: the screen shows /$1/:
$(tmux_screen)"
	else
		ok "$2"
	fi
}

# The pid of the program in the pane.
tmux_pid() {
	tmux -S "$TMUX_SOCK" display-message -p -t "$TMUX_SESSION" '#{pane_pid}'
}

# tmux_to_screen TITLE [KEY]: press KEY (Tab) until the tab bar (line 2)
# shows [TITLE] chosen, at most 20 times, each press waited for (the
# chosen tab changes): a test that goes to a screen does not count the
# screens before it, which other screens' arrival moves.
tmux_to_screen() {
	_i=0
	while [ "$_i" -lt 20 ]; do
		_tab=$(tmux_screen | sed -n 2p | grep -o '\[[^]]*\]' | head -1)
		[ "$_tab" = "[$1]" ] && return 0
		tmux_keys "${2:-Tab}"
		_j=0
		while [ "$_j" -lt 20 ] && [ "$(tmux_screen | sed -n 2p |
		    grep -o '\[[^]]*\]' | head -1)" = "$_tab" ]; do
			sleep 0.1
			_j=$((_j + 1))
		done
		_i=$((_i + 1))
	done
}
