# tests/cli.sh -- the ledger commands end to end, on real SQLite files.
. "$srcdir/tests/lib.sh"
need sqlite3

D=$T/ledger

# init: a new directory, its modes, and the root key printed for paper.
expect_rc 0 "init makes a new data directory" "$DAICHO" init --dir "$D"
expect_out "Root verifier key" "init prints the root verifier key"
root=$(cat "$D/root.pub")
expect_out "$(printf '%s' "$root" | sed 's/[+.]/\\&/g')" \
	"init prints the key that root.pub holds"
expect_out "█|##" "init prints a QR code of it"
[ "$(stat -c %a "$D")" = 700 ] && ok "data directory is 0700" ||
	fail "data directory mode $(stat -c %a "$D")"
for f in daicho.db key root.pub; do
	[ "$(stat -c %a "$D/$f")" = 600 ] && ok "$f is 0600" ||
		fail "$f mode $(stat -c %a "$D/$f")"
done

expect_rc 0 "seed-demo fills it" "$DAICHO" seed-demo --dir "$D" --people 40 --no-ids
expect_rc 0 "status" "$DAICHO" status --dir "$D"
expect_out "entries +44" "status counts init, 3 operators and 40 people"
expect_out "operators +3 active" "status counts the demo operators"

expect_rc 0 "an untouched ledger verifies" "$DAICHO" verify --dir "$D" --replay
expect_out "intact" "verify says intact"
expect_out "state tables match" "replay matches"
expect_rc 0 "verify against the root key from paper" \
	"$DAICHO" verify --dir "$D" --root-key "$root"

# entry N: exactly the bytes stored (and hashed), nothing re-serialised.
"$DAICHO" entry 5 --dir "$D" > "$T/e5"
sqlite3 "$D/daicho.db" "SELECT writefile('$T/e5.db', data) FROM ledger_entry WHERE idx = 5" >/dev/null
cmp -s "$T/e5" "$T/e5.db" && ok "entry 5 prints the stored bytes" ||
	fail "entry 5 differs from the stored bytes"
expect_rc 2 "entry past the end" "$DAICHO" entry 44 --dir "$D"
expect_out "no entry 44" "entry past the end says so"

# Checkpoints: export one, grow the ledger, the ledger still extends it.
expect_rc 0 "checkpoint export to a file" \
	"$DAICHO" checkpoint export "$T/cp44" --dir "$D"
head -1 "$T/cp44" | grep -q '^daicho.invalid/ledger/' &&
	sed -n 2p "$T/cp44" | grep -qx 44 && ok "checkpoint names origin and size 44" ||
	fail "checkpoint text: $(cat "$T/cp44")"
grep -q '^— daicho.invalid/ledger/' "$T/cp44" && ok "checkpoint has a signature line" ||
	fail "no signature line"

# Rotation: a new epoch, signed over by the old key; the old secret goes.
old_secret=$(sed -n 's/^secret //p' "$D/key")
expect_rc 0 "rotate" "$DAICHO" rotate --dir "$D"
expect_out "^epoch 1 " "rotate starts epoch 1"
new_secret=$(sed -n 's/^secret //p' "$D/key")
[ "$old_secret" != "$new_secret" ] && ok "the key file holds a new key" ||
	fail "key unchanged after rotate"
if grep -rqF "$old_secret" "$D" 2>/dev/null; then
	fail "the old secret is still somewhere in $D"
else
	ok "the old secret is gone from the data directory"
fi
[ ! -e "$D/key.new" ] && ok "no key.new left behind" || fail "key.new left"
expect_rc 0 "keys lists both epochs" "$DAICHO" keys --dir "$D"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] && ok "two epochs" || fail "keys: $OUT"
expect_out "^1	45	" "epoch 1 starts after the rotation entry 44"
expect_rc 0 "verify after rotation" "$DAICHO" verify --dir "$D" --checkpoint "$T/cp44"
expect_out "extends the checkpoint held outside" "ledger extends the old checkpoint"

# Secrets never enter the ledger or the state tables.
if sqlite3 "$D/daicho.db" .dump | grep -qF "$new_secret"; then
	fail "the epoch secret is in the database"
else
	ok "no secret in the database"
fi

# prove: a C2SP tlog-proof, with the checkpoint note verbatim at its end.
expect_rc 0 "prove 7" "$DAICHO" prove 7 --dir "$D"
printf '%s\n' "$OUT" | head -1 | grep -qx 'c2sp.org/tlog-proof@v1' &&
	printf '%s\n' "$OUT" | sed -n 2p | grep -qx 'index 7' &&
	ok "proof header" || fail "proof: $OUT"
expect_rc 0 "prove against the checkpoint at size 44" \
	"$DAICHO" prove 7 --size 44 --dir "$D"
expect_rc 2 "prove past the end" "$DAICHO" prove 99 --dir "$D"

# log: human-readable, with --from and --limit.
expect_rc 0 "log" "$DAICHO" log --dir "$D" --from 1 --limit 2
expect_out "operator.add +@system +operator:demo-admin" "log shows the first operator"
# Entries 1..3 are all operator.add: count the entries, not their kind.
n=$(printf '%s\n' "$OUT" | grep -c '^[0-9]')
[ "$n" -eq 2 ] && ok "log --limit stops" ||
	fail "log --limit 2 showed $n entries"
# log -n N: the newest N, oldest first (as journalctl -n).
size=$("$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }')
expect_rc 0 "log -n 2" "$DAICHO" log -n 2 --dir "$D"
[ "$(printf '%s\n' "$OUT" | grep -o '^[0-9]*' | tr '\n' ' ')" = \
    "$((size - 2)) $((size - 1)) " ] && ok "the newest two, oldest first" ||
	fail "log -n 2 showed: $(printf '%s\n' "$OUT" | grep '^[0-9]')"
expect_rc 0 "log -n larger than the ledger" "$DAICHO" log -n 999999 --dir "$D"
[ "$(printf '%s\n' "$OUT" | grep -c '^[0-9]')" = "$size" ] &&
    ok "shows every entry" || fail "log -n 999999 is not the whole ledger"
expect_rc 2 "log -n with --from" "$DAICHO" log -n 2 --from 1 --dir "$D"
expect_rc 2 "log -n 0" "$DAICHO" log -n 0 --dir "$D"

# --help: on standard output, exit 0, every line within 80 columns.
"$DAICHO" --help >"$T/help" 2>"$T/help.err" && [ ! -s "$T/help.err" ] &&
    ok "daicho --help goes to standard output" || fail "--help: $(cat "$T/help.err")"
long=$(awk 'length($0) > 80' "$T/help")
[ -z "$long" ] && ok "and fits 80 columns" || fail "--help lines over 80: $long"
for cmd in $(awk '/^  daicho / { print $2 }' "$T/help" | sort -u); do
	grep -q "^  daicho $cmd" "$T/help" || continue
	if "$DAICHO" "$cmd" --help >"$T/h1" 2>"$T/h1.err" &&
	    [ ! -s "$T/h1.err" ] && grep -q "^usage: daicho $cmd" "$T/h1" &&
	    [ -z "$(awk 'length($0) > 80' "$T/h1")" ]; then
		ok "daicho $cmd --help: its usage on standard output"
	else
		fail "daicho $cmd --help: $(cat "$T/h1" "$T/h1.err")"
	fi
done
expect_rc 2 "a usage error still exits 2" "$DAICHO" log --bogus --dir "$D"
expect_out "^usage:" "with the usage on standard error"

# backup: a copy that verifies on its own, without the secret key.
expect_rc 0 "backup" "$DAICHO" backup "$T/copy" --dir "$D"
[ ! -e "$T/copy/key" ] && ok "backup leaves the secret behind" || fail "secret key copied"
expect_rc 0 "the backup verifies" "$DAICHO" verify --dir "$T/copy" --replay \
	--root-key "$root"
expect_rc 2 "backup refuses an existing destination" \
	"$DAICHO" backup "$T/copy" --dir "$D"

# The ledger keeps working after all of this.
expect_rc 0 "rotate again" "$DAICHO" rotate --dir "$D"
expect_rc 0 "verify at the end" "$DAICHO" verify --dir "$D" --replay
expect_rc 2 "no command" "$DAICHO"
expect_rc 2 "unknown command" "$DAICHO" frobnicate
expect_out "unknown command" "unknown command named"
finish
