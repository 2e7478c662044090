# tests/independent.sh -- check docs/ledger-format.md against daicho.
#
# tests/independent-verify.py is a verifier written from the document
# alone.  It must agree with "daicho verify" (same exit status, same first
# bad entry) on intact ledgers and on ledgers tampered with behind daicho's
# back with the sqlite3 tool, and it must check the inclusion proofs that
# "daicho prove" exports on its own: the leaf, the audit path, the root and
# the checkpoint's signature by the key of its epoch.
#
# The ledgers:
#   $P   init, seed-demo (5 people), rotate, rotate.  Entries 0..10: 0..9
#        in epoch 0 (9 is the first ledger.rotate), 10 in epoch 1 (the
#        second); the key file is at epoch 2.  Checkpoints at sizes 1, 2,
#        3, 4, 9, 10, 11.
#   $P1  init, seed-demo (5 people): one epoch, entries 0..8, checkpoints
#        at sizes 1, 2, 3, 4, 9.
#   $O   another ledger (init only).

. "$srcdir/tests/lib.sh"
need sqlite3 /usr/bin/python3

PY=/usr/bin/python3
IV=$srcdir/tests/independent-verify.py
if ! "$PY" -c 'import nacl.signing' >/dev/null 2>&1; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs PyNaCl (python3-nacl), which is missing" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs PyNaCl (python3-nacl)" >&2
	exit 77
fi

D=$DAICHO

# db DIR SQL: run SQL on the ledger's database, behind daicho's back.
db() {
	sqlite3 "$1/daicho.db" "$2"
}

# edit DIR N FROM TO: replace text in entry N, keeping the blob type.
edit() {
	db "$1" "UPDATE ledger_entry SET data = CAST(replace(CAST(data AS
	    TEXT), '$3', '$4') AS BLOB) WHERE idx = $2"
}

# fresh NAME [PRISTINE]: L becomes a new copy of a pristine ledger ($P by
# default).
fresh() {
	L=$T/$1
	cp -a "${2:-$P}" "$L"
}

# bad_of TEXT: the first bad entry a verifier's output names, or "none".
bad_of() {
	printf '%s\n' "$1" | sed -n 's/^  first bad entry: //p' | grep . ||
	    echo none
}

# agree NAME WANT [VERIFY-OPTIONS...]: daicho verify and the independent
# verifier both exit WANT on $L and name the same first bad entry.
agree() {
	name=$1 want=$2
	shift 2
	expect_rc "$want" "$name: daicho verify exits $want" \
	    "$D" verify --dir "$L" --quiet "$@"
	d_out=$OUT
	expect_rc "$want" "$name: independent-verify exits $want" \
	    "$PY" "$IV" verify "$L" "$@"
	printf '%s\n' "$OUT" | grep -E 'problem:|independent-verify:' |
	    sed 's/^ */#   /'
	if [ "$(bad_of "$d_out")" = "$(bad_of "$OUT")" ]; then
		ok "$name: both name first bad entry $(bad_of "$OUT")"
	else
		fail "$name: daicho names first bad entry $(bad_of "$d_out"),
the independent verifier $(bad_of "$OUT"):
$d_out
$OUT"
	fi
}

# proof NAME WANT PROOF ENTRY KEY: the independent verifier and daicho
# verify-proof (which reads the proof without the ledger) both exit WANT on
# an inclusion proof.
proof() {
	expect_rc "$2" "$1: the proof check exits $2" "$PY" "$IV" proof "$3" "$4" "$5"
	expect_rc "$2" "$1: daicho verify-proof exits $2" \
	    "$D" verify-proof "$3" --entry "$4" --key "$5"
}

# --- the pristine ledgers ------------------------------------------------

P=$T/pristine
"$D" init --dir "$P" >/dev/null
"$D" seed-demo --dir "$P" --people 5 --no-ids >/dev/null
"$D" checkpoint export --dir "$P" "$T/early.ckpt"	# size 9, epoch 0
cp -p "$P/key" "$T/key.epoch0"			# kept by an intruder
"$D" rotate --dir "$P" >/dev/null
cp -p "$P/key" "$T/key.epoch1"
"$D" rotate --dir "$P" >/dev/null
"$D" checkpoint export --dir "$P" "$T/latest.ckpt"	# size 11, epoch 1
ROOTKEY=$(cat "$P/root.pub")
# Epoch 1's verifier key, as the ledger itself names it (entry 9).
KEY1=$("$D" entry 9 --dir "$P" | sed -n 's/^a\.key //p')

P1=$T/pristine1
"$D" init --dir "$P1" >/dev/null
"$D" seed-demo --dir "$P1" --people 5 --no-ids >/dev/null
"$D" checkpoint export --dir "$P1" "$T/p1.ckpt"	# size 9

O=$T/other
"$D" init --dir "$O" >/dev/null
"$D" checkpoint export --dir "$O" "$T/other.ckpt"
OTHERKEY=$(cat "$O/root.pub")

[ "$(db "$P" 'SELECT group_concat(size) FROM checkpoint')" = \
    '1,2,3,4,9,10,11' ] || fail "pristine checkpoints are not as expected"
[ -n "$KEY1" ] || fail "entry 9 names no key"

# --- intact ledgers --------------------------------------------------------

L=$P
agree intact 0
expect_out 'entries 11, epochs 3, latest checkpoint at size 11' \
    "intact: the independent verifier counts entries, epochs, checkpoint"
agree intact-root-key 0 --root-key "$ROOTKEY"
agree intact-early 0 --checkpoint "$T/early.ckpt"
agree intact-latest 0 --checkpoint "$T/latest.ckpt"
L=$P1
agree intact-one-epoch 0
L=$O
agree intact-init-only 0
# A backup: daicho.db, root.pub and key.pub, no secret key.
"$D" backup --dir "$P" "$T/backup" >/dev/null
L=$T/backup
agree intact-backup 0

# --- tampered ledgers ------------------------------------------------------

# One byte of an entry in the middle, via the sqlite3 CLI.
fresh byte
edit "$L" 5 'operator demo-admin' 'operator demo-admim'
agree byte 1

# One byte of the last entry, a signed ledger.rotate.
fresh last-rotate
edit "$L" 10 'subject epoch:2' 'subject epoch:3'
agree last-rotate 1

# One byte of the last entry of a ledger with no rotation: only the
# checkpoint over it can tell.
fresh last "$P1"
edit "$L" 8 'operator demo-admin' 'operator demo-admim'
agree last 1

# The newest checkpoint row deleted.
fresh ckpt-newest
db "$L" 'DELETE FROM checkpoint WHERE size = 11'
agree ckpt-newest 1

# All checkpoints deleted.
fresh ckpt-all
db "$L" 'DELETE FROM checkpoint'
agree ckpt-all 1

# The latest checkpoint's root replaced by the one before it.
fresh ckpt-forge
r10=$(db "$L" 'SELECT note FROM checkpoint WHERE size = 10' | sed -n 3p)
r11=$(db "$L" 'SELECT note FROM checkpoint WHERE size = 11' | sed -n 3p)
db "$L" "UPDATE checkpoint SET note = replace(note, '$r11', '$r10')
    WHERE size = 11"
agree ckpt-forge 1

# An entry deleted; two entries swapped; a copy appended.
fresh delete
db "$L" 'DELETE FROM ledger_entry WHERE idx = 6'
agree delete 1
fresh swap
db "$L" 'UPDATE ledger_entry SET data = CASE idx
    WHEN 5 THEN (SELECT data FROM ledger_entry WHERE idx = 7)
    ELSE (SELECT data FROM ledger_entry WHERE idx = 5) END
    WHERE idx IN (5, 7)'
agree swap 1
fresh append-copy
db "$L" 'INSERT INTO ledger_entry (idx, data)
    SELECT 11, data FROM ledger_entry WHERE idx = 6'
agree append-copy 1

# Truncated across a rotation: the key file's epoch tells.
fresh trunc-rotation
db "$L" 'DELETE FROM ledger_entry WHERE idx >= 10;
    DELETE FROM checkpoint WHERE size > 10'
agree trunc-rotation 1

# Truncated inside the only epoch: invisible without a checkpoint held
# outside (a documented limit, section 6.3), seen with one.
fresh trunc-epoch "$P1"
db "$L" 'DELETE FROM ledger_entry WHERE idx >= 4;
    DELETE FROM checkpoint WHERE size > 4'
agree trunc-epoch-plain 0
agree trunc-epoch-outside 1 --checkpoint "$T/p1.ckpt"

# The key file: missing, an old epoch's put back, a fresh key pair.
fresh key-missing
rm "$L/key"
agree key-missing 1
fresh key-old
cat "$T/key.epoch0" >"$L/key"
agree key-old 1
fresh key-fresh
sed "s|^origin .*|origin $(sed -n 's/^origin //p' "$L/key")|" "$O/key" >"$T/key.fresh"
sed -i 's/^epoch .*/epoch 2/' "$T/key.fresh"
cat "$T/key.fresh" >"$L/key"
agree key-fresh 1
# A rotation that committed but crashed before key.new replaced key: the
# ledger names key.new's key, so the ledger is intact.
fresh key-new
mv "$L/key" "$L/key.new"
cp -p "$T/key.epoch1" "$L/key"
agree key-new 0
fresh key-pub
sed '/^secret /d' "$L/key" >"$T/key.pub"
cat "$T/key.pub" >"$L/key.pub"
chmod 600 "$L/key.pub"
rm "$L/key"
agree key-pub-instead 0

# Root keys: another ledger's, and root.pub replaced.
L=$P
agree root-other 1 --root-key "$OTHERKEY"
agree checkpoint-other 2 --checkpoint "$T/other.ckpt"
fresh root-pub-other
cp "$O/root.pub" "$L/root.pub"
agree root-pub-other 1 --root-key "$ROOTKEY"
agree root-pub-other-plain 1

# --- inclusion proofs ------------------------------------------------------

# Every entry against the latest checkpoint (size 11, signed by epoch 1).
i=0
while [ "$i" -le 10 ]; do
	"$D" prove "$i" --dir "$P" >"$T/proof.$i"
	"$D" entry "$i" --dir "$P" >"$T/entry.$i"
	proof "prove $i" 0 "$T/proof.$i" "$T/entry.$i" "$KEY1"
	i=$((i + 1))
done
expect_rc 0 "prove 10, once more" "$PY" "$IV" proof "$T/proof.10" \
    "$T/entry.10" "$KEY1"
expect_out 'entry 10 is in the signed tree of size 11' \
    "prove 10: the independent verifier says so"

# Against older checkpoints, signed by the root key: a tree of one entry
# (an empty audit path) and one of four.
"$D" prove 0 --size 1 --dir "$P" >"$T/proof.0.1"
proof "prove 0 --size 1" 0 "$T/proof.0.1" "$T/entry.0" "$ROOTKEY"
"$D" prove 2 --size 4 --dir "$P" >"$T/proof.2.4"
proof "prove 2 --size 4" 0 "$T/proof.2.4" "$T/entry.2" "$ROOTKEY"

# What must fail: another epoch's key, another entry's bytes, an entry
# with one byte changed, a wrong audit path, another ledger's key.
proof "epoch 1 key for a root-key checkpoint" 1 "$T/proof.2.4" "$T/entry.2" "$KEY1"
proof "root key for an epoch-1 checkpoint" 1 "$T/proof.2" "$T/entry.2" "$ROOTKEY"
proof "entry 3's bytes for a proof of 2" 1 "$T/proof.2" "$T/entry.3" "$KEY1"
sed 's/operator demo-admin/operator demo-admim/' "$T/entry.2" >"$T/entry.2.bad"
proof "entry 2 with a byte changed" 1 "$T/proof.2" "$T/entry.2.bad" "$KEY1"
awk 'NR == 3 { l3 = $0; next } NR == 4 { print; print l3; next } { print }' \
    "$T/proof.2" >"$T/proof.2.swapped"
proof "audit path out of order" 1 "$T/proof.2.swapped" "$T/entry.2" "$KEY1"
sed '3d' "$T/proof.2" >"$T/proof.2.short"
proof "audit path one hash short" 1 "$T/proof.2.short" "$T/entry.2" "$KEY1"
proof "another ledger's key" 1 "$T/proof.2" "$T/entry.2" "$OTHERKEY"

# What daicho verify-proof says, and what it refuses to read.
expect_rc 0 "verify-proof of entry 2" "$D" verify-proof "$T/proof.2" \
    --entry "$T/entry.2" --key "$KEY1"
expect_out "proof valid: .*entry.2 is entry 2 of the ledger whose checkpoint of size 11" \
    "it names the entry and the checkpoint"
proof "a byte changed" 1 "$T/proof.2" "$T/entry.2.bad" "$KEY1"
expect_out "audit path does not lead to its root" "it says why"
proof "another epoch's key" 1 "$T/proof.2.4" "$T/entry.2" "$KEY1"
expect_out "the proof's checkpoint: " "it names the checkpoint's signature"
sed '1s/.*/c2sp.org\/tlog-proof@v2/' "$T/proof.2" >"$T/proof.v2"
expect_rc 1 "a proof of another version" "$D" verify-proof "$T/proof.v2" \
    --entry "$T/entry.2" --key "$KEY1"
expect_out "line 1: not a tlog-proof" "is refused at line 1"
sed '2s/.*/index 02/' "$T/proof.2" >"$T/proof.lead0"
expect_rc 1 "an index with a leading zero" "$D" verify-proof \
    "$T/proof.lead0" --entry "$T/entry.2" --key "$KEY1"
expect_out "line 2: want \"index N\"" "is refused at line 2"
sed '3s/.$/!/' "$T/proof.2" >"$T/proof.badhash"
expect_rc 1 "a hash that is not base64" "$D" verify-proof \
    "$T/proof.badhash" --entry "$T/entry.2" --key "$KEY1"
expect_out "line 3: not a base64 SHA-256 hash" "is refused at line 3"
sed 's/$/\r/' "$T/proof.2" >"$T/proof.crlf"
expect_rc 1 "CRLF line ends" "$D" verify-proof "$T/proof.crlf" \
    --entry "$T/entry.2" --key "$KEY1"

finish
