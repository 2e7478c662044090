# tests/concurrency.sh -- several writers on one data directory at once,
# as the shipped timers (rotate and outbox run, both on the hour), the
# command line and the console make them.
#
#   (a) rounds of "daicho rotate" racing "daicho outbox run", "daicho act"
#       and a second rotate, while the console (in tmux) logs in and out
#       (a logout rotates the key too).  After each round every command
#       succeeded, the key file is a whole key, no key.new is left, and
#       the ledger verifies and replays.
#   (b) three processes, each running twelve "act person.add" in a row:
#       none is refused, 36 people are added, the ledger verifies.
#   (c) the directory's lock file (DIR/lock), tampered with: every command
#       refuses it by name, and the ledger, the key and the systems' files
#       are exactly as they were; a lock held too long is named too.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3 sha256sum od faketime pkill
pam_wrapper_lock
trap 'touch "$T/stop"; wait; tmux_stop; cleanup' EXIT

ROUNDS=${CONCURRENCY_ROUNDS:-30}

demo_cli "$T/demo"
[ -f "$D/key" ] && ok "a demo city to write to" || { fail "no demo"; finish; }

# act_as TAG ARGS...: "daicho act" as demo-admin under pam_wrapper, with
# its own answers file (the workers run at once).
act_as() {
	ans=$T/answers.$1
	shift
	printf 'demo\n' >"$ans"
	env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
	    act "$@" --user demo-admin --dir "$D" --askpass-fd 3 \
	    3<"$ans"
}

# person TAG NO: add person NO.
person() {
	act_as "$1" person.add "employee_no=$2" name_kanji=並行 \
	    name_kana=ヘイコウ department=総務課 position=主事 \
	    employment=regular start_date=2024-04-01
}

# key_whole [FILE]: the key file (or FILE, a copy of it) is a key file,
# not zeros or a torn write.
key_whole() {
	_k=${1:-$D/key}
	[ -f "$_k" ] && head -n 1 "$_k" | grep -qx 'daicho-key v1' &&
	    grep -q '^secret ' "$_k"
}

# key_look: copy the key file, and note whether key.new exists, while
# holding the directory's lock shared.  The console goes on logging in and
# out between rounds, and a rotation in progress (under the lock) has a
# key.new for a moment; one left behind outlives the lock.
key_look() {
	rm -f "$T/key.seen" "$T/keynew.seen"
	flock -s "$D/lock" sh -c 'cp "$1/key" "$2/key.seen" &&
	    if [ -e "$1/key.new" ]; then : >"$2/keynew.seen"; fi' sh "$D" "$T"
}

# --- (a) rounds of writers at once, the console among them.
tmux_start 100 30 "$DAICHO" --demo "$D"
tmux_wait 'User:' 15 || fail "the console did not start: $(tmux_screen)"

# The console's writer: log in (fingerprint), log out (a rotation), again.
console_loop() {
	n=0
	while [ ! -e "$T/stop" ]; do
		tmux_type demo-admin
		tmux_keys Enter
		if ! tmux_wait 'demo-admin \(admin\)' 20; then
			{ echo "login $n:"; tmux_screen; } >>"$T/console.err"
			return
		fi
		tmux_keys Enter
		sleep 0.2
		tmux_keys F10
		sleep 0.3
		tmux_keys y
		if ! tmux_wait '^ *User:' 20; then
			{ echo "logout $n:"; tmux_screen; } >>"$T/console.err"
			return
		fi
		if tmux_screen | grep -q 'Could not'; then
			{ echo "cycle $n:"; tmux_screen; } >>"$T/console.err"
		fi
		n=$((n + 1))
		echo "$n" >"$T/console.n"
	done
}
console_loop &
cpid=$!

# run TAG CMD...: in the background, its exit status and output kept.
run() {
	tag=$1
	shift
	( set +e; "$@" >"$T/out.$tag" 2>&1; echo $? >"$T/rc.$tag" ) &
	pids="$pids $!"
}

broken=0
round=1
added=0
while [ "$round" -le "$ROUNDS" ]; do
	rm -f "$T"/rc.* "$T"/out.*
	pids=
	run rotate "$DAICHO" rotate --dir "$D"
	run outbox "$DAICHO" outbox run --dir "$D"
	run act person "r$round" "R$round"
	run rotate2 "$DAICHO" rotate --dir "$D"
	for p in $pids; do wait "$p" || true; done
	[ "$(cat "$T/rc.act" 2>/dev/null)" = 0 ] && added=$((added + 1))
	for tag in rotate outbox act rotate2; do
		if [ "$(cat "$T/rc.$tag" 2>/dev/null)" != 0 ]; then
			fail "round $round: $tag exited $(cat "$T/rc.$tag" 2>/dev/null): $(cat "$T/out.$tag")"
			broken=1
		fi
	done
	key_look
	if ! key_whole "$T/key.seen"; then
		fail "round $round: the key file is not a whole key: $(od -c "$D/key" | head -3)"
		broken=1
	fi
	if [ -e "$T/keynew.seen" ]; then
		fail "round $round: key.new was left behind"
		broken=1
	fi
	set +e
	OUT=$("$DAICHO" verify --dir "$D" --replay 2>&1)
	rc=$?
	set -e
	if [ "$rc" -ne 0 ] || ! printf '%s\n' "$OUT" | grep -q ': intact$'; then
		fail "round $round: verify --replay: $OUT"
		broken=1
	fi
	[ "$broken" -eq 0 ] || break
	round=$((round + 1))
done
[ "$broken" -eq 0 ] && ok "$ROUNDS rounds of rotate, outbox run and act at once: every command succeeded, the key is whole, the ledger verifies and replays"

touch "$T/stop"
wait "$cpid" || true
if [ -s "$T/console.err" ]; then
	fail "the console: $(cat "$T/console.err")"
else
	ok "the console logged in and out $(cat "$T/console.n" 2>/dev/null || echo 0) times meanwhile"
fi
[ "$(cat "$T/console.n" 2>/dev/null || echo 0)" -ge 1 ] &&
    ok "at least one console session ended in a rotation" ||
    fail "the console never completed a login and logout"
tmux_stop
n=$(sqlite3 "$D/daicho.db" "SELECT count(*) FROM person WHERE employee_no LIKE 'R%'")
[ "$n" = "$added" ] && ok "every round's person is there ($n)" ||
    fail "$n people from the rounds, wanted $added"

# --- (b) three writers, twelve actions each.
worker() {
	w=$1
	j=1
	while [ "$j" -le 12 ]; do
		if ! person "w$w" "W$w$j" >"$T/w$w.out" 2>&1; then
			{ echo "W$w$j:"; cat "$T/w$w.out"; } >>"$T/w.err"
		fi
		j=$((j + 1))
	done
}
rm -f "$T/w.err"
worker 1 & w1=$!
worker 2 & w2=$!
worker 3 & w3=$!
wait "$w1" "$w2" "$w3" || true
[ ! -s "$T/w.err" ] && ok "3 x 12 person.add at once: none refused" ||
    fail "refused: $(cat "$T/w.err")"
n=$(sqlite3 "$D/daicho.db" "SELECT count(*) FROM person WHERE employee_no LIKE 'W%'")
[ "$n" = 36 ] && ok "36 people added" || fail "$n people added, wanted 36"
expect_rc 0 "the ledger verifies and replays" "$DAICHO" verify --dir "$D" --replay
expect_out ': intact$' "intact"
key_whole && ok "the key file is whole" || fail "the key file is not whole"

# --- (c) the lock file tampered with.
# sums: what must not change (the ledger's rows, the key, the systems).
sums() {
	sqlite3 "$D/daicho.db" "SELECT idx, hex(data) FROM ledger_entry" |
	    sha256sum
	sqlite3 "$D/daicho.db" "SELECT size, note FROM checkpoint" | sha256sum
	sha256sum "$D/key"
	find "$D/unix-root" -type f | sort | xargs sha256sum
	ls -A "$D" | grep -v '^daicho.db-' | tr '\n' ' '
	echo
}
# attack NAME PATTERN: every writer refuses the lock file with PATTERN.
attack() {
	name=$1 pat=$2
	before=$(sums)
	expect_rc 2 "$name: rotate refuses" "$DAICHO" rotate --dir "$D"
	expect_out "$pat" "$name: rotate names the problem"
	expect_rc 2 "$name: outbox run refuses" "$DAICHO" outbox run --dir "$D"
	expect_out "$pat" "$name: outbox run names the problem"
	set +e
	OUT=$(person c "C$name" 2>&1)
	rc=$?
	set -e
	[ "$rc" -ne 0 ] && ok "$name: act refuses" ||
	    fail "$name: act succeeded: $OUT"
	expect_out "$pat" "$name: act names the problem"
	expect_rc 1 "$name: verify cannot vouch for the key file" \
	    "$DAICHO" verify --dir "$D"
	expect_out "$pat" "$name: verify names the problem"
	[ "$(sums)" = "$before" ] &&
	    ok "$name: ledger, key and systems' files are as they were" ||
	    fail "$name: something changed"
}

expect_rc 0 "a first rotation makes the lock file" "$DAICHO" rotate --dir "$D"
[ -f "$D/lock" ] && [ "$(stat -c %a "$D/lock")" = 600 ] &&
    ok "the lock file is 0600" ||
    { fail "lock file: $(ls -l "$D/lock" 2>&1)"; finish; }

mv "$D/lock" "$T/lock.saved"
ln -s "$T/elsewhere" "$D/lock"
attack symlink 'lock: is a symbolic link; refusing it'
[ ! -e "$T/elsewhere" ] && ok "symlink: nothing was made where it points" ||
    fail "symlink: $T/elsewhere was created"
rm "$D/lock"

mkfifo -m 600 "$D/lock"
attack fifo 'lock: is not a regular file'
rm "$D/lock"

mkdir -m 700 "$D/lock"
attack directory 'lock: is not a regular file'
rmdir "$D/lock"

mv "$T/lock.saved" "$D/lock"
chmod 644 "$D/lock"
attack loose 'lock: mode 0644 is looser than 0600'
chmod 600 "$D/lock"

# A lock held elsewhere: the writer waits 30 s by the monotonic clock,
# then says so.  The clock runs twenty times fast (faketime), so the test
# waits a second and a half.
# (flock -o: the lock goes when flock exits, not with its sleep.)
flock -o "$D/lock" sleep 30 &
holder=$!
n=0
while flock -n "$D/lock" true && [ "$n" -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
before=$(sums)
expect_rc 2 "a lock held too long: rotate gives up" \
    faketime_run '+0 x20' "$DAICHO" rotate --dir "$D"
expect_out 'lock: another daicho process has held it for 30 seconds' \
    "it says another process holds the lock"
[ "$(sums)" = "$before" ] && ok "held lock: nothing changed" ||
    fail "held lock: something changed"
pkill -P "$holder" 2>/dev/null || true
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true

expect_rc 0 "with the lock file mended, rotate works" "$DAICHO" rotate --dir "$D"
expect_rc 0 "and the ledger verifies" "$DAICHO" verify --dir "$D" --replay

# A key file from before a rotation put back (as a process that never saw
# the rotation would have it): nothing signs with it.
cp -p "$D/key" "$T/key.old"
expect_rc 0 "one more rotation" "$DAICHO" rotate --dir "$D"
cp -p "$D/key" "$T/key.current"
cp -p "$T/key.old" "$D/key"
before=$(sums)
expect_rc 2 "old key: rotate refuses it" "$DAICHO" rotate --dir "$D"
expect_out 'key: the key file is at epoch [0-9]+, but the ledger is in epoch [0-9]+; refusing to sign with it' \
    "old key: rotate names the problem"
expect_rc 2 "old key: outbox run refuses it" "$DAICHO" outbox run --dir "$D"
expect_out 'refusing to sign with it' "old key: outbox run names the problem"
[ "$(sums)" = "$before" ] && ok "old key: nothing changed" ||
    fail "old key: something changed"
cp -p "$T/key.current" "$D/key"
expect_rc 0 "with the right key back, the ledger verifies" \
    "$DAICHO" verify --dir "$D" --replay
expect_rc 0 "and rotate works" "$DAICHO" rotate --dir "$D"

finish
