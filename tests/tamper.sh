# tests/tamper.sh -- edit a ledger behind daicho's back and check that
# "daicho verify" notices, says what it found and names the right entry.
#
# Every case starts from a copy of a pristine ledger, checks that the copy
# verifies (and replays) untouched, tampers with it using the sqlite3
# command-line tool or shell tools only, and expects verify to exit 1.
#
# The pristine ledgers:
#   $P   init, seed-demo (30 people), rotate, rotate.  Entries 0..35:
#        0..34 in epoch 0 (34 is the first ledger.rotate), 35 in epoch 1
#        (the second ledger.rotate); the key file is at epoch 2.
#        Checkpoints at sizes 1, 2, 3, 4, 34, 35, 36.
#   $P1  init, seed-demo only: one epoch, entries 0..33, the last entry an
#        ordinary person.add that no later entry names.
#        Checkpoints at sizes 1, 2, 3, 4, 34.
#   $O   another ledger (init only).

. "$srcdir/tests/lib.sh"
need sqlite3 sha256sum base64 dd

D=$DAICHO

# random N: N random bytes.
random() {
	dd if=/dev/urandom bs="$1" count=1 2>/dev/null
}

# b64 [FILE]: base64 on one line.
b64() {
	base64 ${1+"$1"} | tr -d '\n'
}

# db DIR SQL: run SQL on the ledger's database, behind daicho's back.
db() {
	sqlite3 "$1/daicho.db" "$2"
}

# leaf DIR N: the RFC 6962 leaf hash of entry N in hex, computed outside
# daicho: SHA-256 of a 0x00 byte and the entry's bytes.
leaf() {
	rm -f "$T/leaf.bin"
	db "$1" "SELECT writefile('$T/leaf.bin', data) FROM ledger_entry
	    WHERE idx = $2" >/dev/null
	{ printf '\000'; cat "$T/leaf.bin"; } | sha256sum | cut -d' ' -f1
}

# prevof DIR N: the prev field entry N holds.
prevof() {
	db "$1" "SELECT CAST(data AS TEXT) FROM ledger_entry WHERE idx = $2" |
	    sed -n 's/^prev //p'
}

# setprev DIR N HEX: rewrite entry N's prev field (the entry stays a blob).
setprev() {
	edit "$1" "$2" "prev $(prevof "$1" "$2")" "prev $3"
}

# edit DIR N FROM TO: replace text in entry N, keeping the blob type.
edit() {
	db "$1" "UPDATE ledger_entry SET data = CAST(replace(CAST(data AS
	    TEXT), '$3', '$4') AS BLOB) WHERE idx = $2"
	[ "$(db "$1" "SELECT typeof(data), instr(CAST(data AS TEXT), '$4') > 0
	    FROM ledger_entry WHERE idx = $2")" = 'blob|1' ] ||
	    fail "$1: the edit of entry $2 did not apply"
}

# fresh NAME [PRISTINE]: L becomes a new copy of a pristine ledger ($P by
# default), checked intact before anyone touches it.
fresh() {
	L=$T/$1
	cp -a "${2:-$P}" "$L"
	expect_rc 0 "$1: the untouched copy verifies" "$D" verify --dir "$L"
	expect_out ': intact$' "$1: the untouched copy says intact"
	expect_rc 0 "$1: the untouched copy replays" \
	    "$D" verify --dir "$L" --replay
}

# tampered NAME PATTERN [N] [VERIFY-OPTIONS...]: verify exits 1, says NOT
# INTACT and PATTERN (grep -E), and with N names entry N as the first bad
# one ("-" for none).
tampered() {
	name=$1 pat=$2 n=${3:--}
	shift 2
	[ $# -gt 0 ] && shift
	expect_rc 1 "$name: verify exits 1" "$D" verify --dir "$L" "$@"
	printf '%s\n' "$OUT" | grep -E 'first bad entry|problem:' |
	    sed 's/^ */#   /'
	expect_out 'NOT INTACT' "$name: verify says NOT INTACT"
	expect_out "problem: .*($pat)" "$name: verify says /$pat/"
	if [ "$n" != - ]; then
		expect_out "^  first bad entry: $n\$" \
		    "$name: verify names entry $n first"
	fi
}

# --- the pristine ledgers ------------------------------------------------

P=$T/pristine
"$D" init --dir "$P" >/dev/null
"$D" seed-demo --dir "$P" --people 30 --no-ids >/dev/null
"$D" --dir "$P" checkpoint export "$T/early.ckpt"	# size 34, epoch 0
cp -p "$P/key" "$T/key.epoch0"				# kept by an intruder
"$D" rotate --dir "$P" >/dev/null
"$D" rotate --dir "$P" >/dev/null
"$D" --dir "$P" checkpoint export "$T/latest.ckpt"	# size 36, epoch 1
ROOTKEY=$(cat "$P/root.pub")

P1=$T/pristine1
"$D" init --dir "$P1" >/dev/null
"$D" seed-demo --dir "$P1" --people 30 --no-ids >/dev/null
"$D" --dir "$P1" checkpoint export "$T/p1.ckpt"	# size 34

O=$T/other
"$D" init --dir "$O" >/dev/null
"$D" --dir "$O" checkpoint export "$T/other.ckpt"

# The layout the cases below rely on.
[ "$(db "$P" 'SELECT count(*), max(idx) FROM ledger_entry')" = '36|35' ] ||
    fail "pristine ledger does not hold entries 0..35"
[ "$(db "$P" 'SELECT group_concat(size) FROM checkpoint')" = \
    '1,2,3,4,34,35,36' ] || fail "pristine checkpoints are not as expected"
[ "$(db "$P1" 'SELECT count(*) FROM ledger_entry')" = 34 ] ||
    fail "pristine1 ledger does not hold 34 entries"

# --- untouched ledgers and checkpoints held outside ----------------------

# An auditor's copy of an earlier checkpoint: the ledger extends it.
fresh extends
expect_rc 0 "extends: verify --checkpoint of an earlier checkpoint" \
    "$D" verify --dir "$L" --checkpoint "$T/early.ckpt"
expect_out 'extends the checkpoint held outside' \
    "extends: verify says it extends the checkpoint"
expect_rc 0 "extends: verify --checkpoint of the latest checkpoint" \
    "$D" verify --dir "$L" --checkpoint "$T/latest.ckpt"
expect_rc 0 "extends: verify --root-key with the root key init printed" \
    "$D" verify --dir "$L" --root-key "$ROOTKEY"

# A checkpoint the auditor keeps for another ledger: a usage mistake, not
# a verdict on this ledger.
expect_rc 2 "other checkpoint: verify --checkpoint exits 2" \
    "$D" verify --dir "$L" --checkpoint "$T/other.ckpt"
expect_out 'checkpoint is from another ledger' \
    "other checkpoint: verify says it is from another ledger"

# --- 1: one byte of an entry in the middle -------------------------------

# A changed byte in entry 10; entry 11 still names the old bytes' hash.
fresh byte
edit "$L" 10 'operator demo-admin' 'operator demo-admim'
tampered byte 'bytes are not what entry 11 recorded' 10

# The same, deep in a value: the 市民課 (citizens' section) of a person
# becomes 市長課 (one UTF-8 character).
fresh byte-utf8
edit "$L" 10 'a.department 市民課' 'a.department 市長課'
tampered byte-utf8 'entry 10 altered or replaced' 10

# --- 2: one byte of the last entry ---------------------------------------

# No later entry records the last entry's hash: only the checkpoint over
# it can notice.  The last entry of $P1 is an ordinary person.add.
fresh last "$P1"
edit "$L" 33 'operator demo-admin' 'operator demo-admim'
tampered last 'do not match the checkpoint'
expect_out 'first bad entry: ([4-9]|[12][0-9]|3[0-3])$' \
    "last: the first bad entry named is at most 33, after checkpoint 4"

# The last entry of $P is a signed ledger.rotate: its signature breaks.
fresh last-rotate
edit "$L" 35 'subject epoch:2' 'subject epoch:3'
tampered last-rotate 'entry 35 \(ledger.rotate\): its signature does not verify' 35

# --- 3: an entry deleted -------------------------------------------------

fresh delete
db "$L" 'DELETE FROM ledger_entry WHERE idx = 10'
tampered delete 'entry 10 is missing' 10

# --- 4: two entries swapped ----------------------------------------------

fresh swap
db "$L" 'UPDATE ledger_entry SET data = CASE idx
    WHEN 10 THEN (SELECT data FROM ledger_entry WHERE idx = 20)
    ELSE (SELECT data FROM ledger_entry WHERE idx = 10) END
    WHERE idx IN (10, 20)'
tampered swap 'holds the bytes of entry 20' 10

# --- 5: an entry inserted ------------------------------------------------

# A copy of an existing entry appended as a new last row.
fresh append-copy
db "$L" 'INSERT INTO ledger_entry (idx, data)
    SELECT 36, data FROM ledger_entry WHERE idx = 20'
tampered append-copy 'holds the bytes of entry 20' 36

# A forged entry appended at the end, well-formed and chained to entry 35:
# every per-entry check passes; no signed checkpoint covers it.
fresh append-forged
cat >"$T/forged" <<EOF
daicho-entry v1
index 36
time 2026-11-21T10:00:00Z
prev $(leaf "$L" 35)
epoch 2
action operator.add
operator demo-admin
approver demo-approver
subject operator:mallory
a.name mallory
a.role admin
EOF
db "$L" "INSERT INTO ledger_entry (idx, data) VALUES (36,
    readfile('$T/forged'))"
[ "$(db "$L" 'SELECT typeof(data) FROM ledger_entry WHERE idx = 36')" = \
    blob ] || fail "append-forged: the forged entry is not a blob"
tampered append-forged 'entries 36..36 are covered by no signed checkpoint' 36

# An entry slipped into the middle: the rows from 10 on are renumbered up
# by one and a forged entry 10, chained to entry 9, takes the gap.
fresh insert-middle
sed -e 's/^index .*/index 10/' -e "s/^prev .*/prev $(leaf "$L" 9)/" \
    -e 's/^epoch .*/epoch 0/' "$T/forged" >"$T/forged10"
db "$L" 'UPDATE ledger_entry SET idx = idx + 1000000 WHERE idx >= 10;
    UPDATE ledger_entry SET idx = idx - 999999 WHERE idx >= 1000000;'
db "$L" "INSERT INTO ledger_entry (idx, data) VALUES (10,
    readfile('$T/forged10'))"
tampered insert-middle 'entry 11: holds the bytes of entry 10' 11

# --- 6: the tail truncated -----------------------------------------------

# Inside one epoch: entries 4..33 and the checkpoints over them deleted,
# and the state rows they made too, so the latest remaining checkpoint
# (size 4) matches.  Nothing in the data directory can tell (a known limit
# of verify without a checkpoint held outside); report what it does.
fresh trunc-epoch "$P1"
db "$L" "DELETE FROM ledger_entry WHERE idx >= 4;
    DELETE FROM checkpoint WHERE size > 4; DELETE FROM person;"
set +e
"$D" verify --dir "$L" --replay >"$T/trunc.out" 2>&1
rc=$?
set -e
echo "# info: trunc-epoch: plain verify --replay after truncating inside" \
    "one epoch exits $rc: $(grep -E 'intact|problem' "$T/trunc.out" |
    head -n 1)"
# With the checkpoint the auditor exported before, it is caught.
tampered trunc-epoch 'truncated: the checkpoint held outside covers 34' 4 \
    --checkpoint "$T/p1.ckpt"

# Across a rotation: entry 35 and the checkpoint over it deleted, so the
# ledger ends in epoch 1; the key file is at epoch 2.
fresh trunc-rotation
db "$L" 'DELETE FROM ledger_entry WHERE idx >= 35;
    DELETE FROM checkpoint WHERE size > 35'
tampered trunc-rotation 'truncated: the key file is at epoch 2'
# The same truncation by an attacker who knows the format: the key file
# rewritten to say epoch 1 with epoch 1's public key, both public (entry 34
# names the key), and no secret line (epoch 1's secret was wiped at the
# second rotation).  A live key file must carry its secret, so verify
# refuses it; and with the checkpoint held outside it is truncation.
fresh trunc-fake-key
db "$L" 'DELETE FROM ledger_entry WHERE idx >= 35;
    DELETE FROM checkpoint WHERE size > 35; DELETE FROM epoch WHERE n > 1'
vkey1=$(db "$L" 'SELECT CAST(data AS TEXT) FROM ledger_entry WHERE idx = 34' |
    sed -n 's/^a\.key //p')
b64key=${vkey1#*+}		# name+keyid+base64, and base64 may hold '+'
b64key=${b64key#*+}
pub1=$(printf '%s' "$b64key" | base64 -d | tail -c 32 | b64)
printf 'daicho-key v1\norigin %s\nepoch 1\nbegan 0\npublic %s\n' \
    "${vkey1%%+*}" "$pub1" >"$L/key"
expect_rc 2 "trunc-fake-key: rotate refuses a key file without its secret" \
    "$D" rotate --dir "$L"
tampered trunc-fake-key 'key: no secret key' -
# Renamed to key.pub, it passes for a backup's public record: inside the
# data directory only a checkpoint held outside can tell (a known limit,
# documented in docs/ledger-format.md); verify says which it checked.
mv "$L/key" "$L/key.pub"
set +e
"$D" verify --dir "$L" >"$T/trunc.out" 2>&1
rc=$?
set -e
echo "# info: trunc-fake-key: with the forged key as key.pub, verify exits" \
    "$rc: $(grep -E 'intact|problem|checked against' "$T/trunc.out" | tail -n 1)"
tampered trunc-fake-key 'truncated: the checkpoint held outside covers 36' \
    35 --checkpoint "$T/latest.ckpt"

# Back to size 4 (checkpoint 4 remains and matches), into epoch 0, also
# with the checkpoint held outside.
fresh trunc-rotation2
db "$L" 'DELETE FROM ledger_entry WHERE idx >= 4;
    DELETE FROM checkpoint WHERE size > 4;
    DELETE FROM epoch WHERE n > 0'
tampered trunc-rotation2 'truncated: the key file is at epoch 2, but the ledger ends in epoch 0'
tampered trunc-rotation2 'truncated' - --checkpoint "$T/latest.ckpt"

# --- 7: the newest checkpoints deleted -----------------------------------

fresh ckpt-delete
db "$L" 'DELETE FROM checkpoint WHERE size > 34'
tampered ckpt-delete 'entries 34..35 are covered by no signed checkpoint' 34

fresh ckpt-delete-all
db "$L" 'DELETE FROM checkpoint'
tampered ckpt-delete-all 'no signed checkpoint' 0

# --- 8: the key file replaced --------------------------------------------

# Another ledger's key file copied over, mode kept at 0600.
fresh key-other
cp "$O/key" "$L/key"
chmod 600 "$L/key"
tampered key-other "$L/key: key file belongs to another ledger"

# A made-up "key pair" with this ledger's origin and the right epoch line:
# the public key does not follow from the secret seed.
fresh key-fresh
random 32 >"$T/pub.bin"
random 32 >"$T/seed.bin"
sed -e "s|^public .*|public $(b64 "$T/pub.bin")|" \
    -e "s|^secret .*|secret $(cat "$T/seed.bin" "$T/pub.bin" | b64)|" \
    "$L/key" >"$T/key.fresh"
grep -q '^origin daicho' "$T/key.fresh" && grep -q '^epoch 2$' "$T/key.fresh" ||
    fail "key-fresh: the built key file lacks the origin or epoch line"
cat "$T/key.fresh" >"$L/key"		# keeps the file and its mode 0600
tampered key-fresh 'secret and public key do not belong together'
# A real key pair (another ledger's) relabelled with this ledger's origin
# and epoch: it is a key, just not this epoch's.
fresh key-real
sed -e "s|^origin .*|$(grep '^origin ' "$L/key")|" \
    -e "s|^epoch .*|epoch 2|" "$O/key" >"$T/key.real"
cat "$T/key.real" >"$L/key"
tampered key-real 'key file does not hold epoch 2.s key'

# The epoch-0 key file, kept from before the rotations, put back.
fresh key-old
cat "$T/key.epoch0" >"$L/key"
tampered key-old 'key file is at epoch 0, behind the ledger.s epoch 2'

# The key file gone: verify says so.
fresh key-missing
rm "$L/key"
tampered key-missing 'key file is missing'

# --- 9: a state row edited -----------------------------------------------

# The auditor made an admin in the operator table alone: not in the hash,
# so plain verify passes, but replay rebuilds the table from the ledger.
fresh state-operator
db "$L" "UPDATE operator SET role = 'admin' WHERE name = 'demo-auditor'"
expect_rc 0 "state-operator: plain verify passes (state is not hashed)" \
    "$D" verify --dir "$L"
expect_rc 1 "state-operator: verify --replay exits 1" \
    "$D" verify --dir "$L" --replay
expect_out 'replay: operator: .*\(demo-auditor, admin' \
    "state-operator: replay names the table and the edited row"
expect_out 'replay: operator: .*\(demo-auditor, auditor' \
    "state-operator: replay names the row the ledger says there should be"
expect_out 'NOT INTACT' "state-operator: replay says NOT INTACT"

# A person moved to another department without an entry.
fresh state-person
db "$L" "UPDATE person SET department = '秘書課'
    WHERE employee_no = 'E0000007'"
expect_rc 0 "state-person: plain verify passes" "$D" verify --dir "$L"
expect_rc 1 "state-person: verify --replay exits 1" \
    "$D" verify --dir "$L" --replay
expect_out 'replay: person: .*\(E0000007, [^)]*秘書課' \
    "state-person: replay names the table and the edited row"

# An operator row added and a person row deleted without entries.
fresh state-rows
db "$L" "INSERT INTO operator (name, role, state, added_idx, changed_idx)
    VALUES ('mallory', 'admin', 'active', 5, 5);
    DELETE FROM person WHERE employee_no = 'E0000003'"
expect_rc 1 "state-rows: verify --replay exits 1" \
    "$D" verify --dir "$L" --replay
expect_out 'replay: operator: the database has a row the ledger does not explain: \(mallory' \
    "state-rows: replay names the added operator row"
expect_out 'replay: person: the ledger says there should be a row the database lacks: \(E0000003' \
    "state-rows: replay names the deleted person row"

# --- 10: an entry rewritten and the chain fixed up -----------------------

# Entry 10 rewritten and entry 11's prev made to match it: entry 12 still
# names the old entry 11.
fresh rechain-one
edit "$L" 10 'operator demo-admin' 'operator demo-admim'
setprev "$L" 11 "$(leaf "$L" 10)"
tampered rechain-one 'entry 11 altered or replaced' 11

# A more careful attacker fixes every prev up to the last entry: every
# entry chains, and only the signed checkpoints disagree.  ($P1: no
# signed rotation entry in the way.)
fresh rechain-all "$P1"
edit "$L" 10 'operator demo-admin' 'operator demo-admim'
i=11
while [ "$i" -le 33 ]; do
	setprev "$L" "$i" "$(leaf "$L" $((i - 1)))"
	i=$((i + 1))
done
[ "$(prevof "$L" 33)" = "$(leaf "$L" 32)" ] ||
    fail "rechain-all: the chain was not fixed up"
tampered rechain-all 'do not match the checkpoint at size 34'
expect_out 'first bad entry: ([4-9]|10)$' \
    "rechain-all: the first bad entry named is 10 or before it, after 3"

# The same on $P, through the signed rotation entry 34 (whose prev and
# tree head no longer match, and whose signature breaks when fixed up).
fresh rechain-rotation
edit "$L" 10 'operator demo-admin' 'operator demo-admim'
i=11
while [ "$i" -le 35 ]; do
	setprev "$L" "$i" "$(leaf "$L" $((i - 1)))"
	i=$((i + 1))
done
tampered rechain-rotation 'signature does not verify' 34

# --- 11: the latest checkpoint forged ------------------------------------

# The note text says another root (the one of the checkpoint before it);
# the signature no longer covers it.
fresh ckpt-forge
root35=$(db "$L" 'SELECT note FROM checkpoint WHERE size = 35' | sed -n 3p)
root36=$(db "$L" 'SELECT note FROM checkpoint WHERE size = 36' | sed -n 3p)
db "$L" "UPDATE checkpoint SET note = replace(note, '$root36', '$root35')
    WHERE size = 36"
[ "$(db "$L" 'SELECT note FROM checkpoint WHERE size = 36' | sed -n 3p)" = \
    "$root35" ] || fail "ckpt-forge: the note was not changed"
tampered ckpt-forge 'latest checkpoint \(size 36\) is not signed'

# Another ledger's checkpoint put in as the newest row.
fresh ckpt-other
db "$L" "INSERT INTO checkpoint (size, epoch, time, note) VALUES (37, 0,
    '2026-11-21T10:00:00Z', CAST(readfile('$T/other.ckpt') AS TEXT))"
tampered ckpt-other 'checkpoint is for another ledger'

# --- 12: the root key ----------------------------------------------------

# The auditor's paper root key is another ledger's: not this ledger.
fresh root-other
OTHERKEY=$(cat "$O/root.pub")
set +e
OUT=$("$D" verify --dir "$L" --root-key "$OTHERKEY" 2>&1)
rc=$?
set -e
if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then
	ok "root-other: verify --root-key of another ledger exits $rc"
else
	fail "root-other: verify --root-key of another ledger exits $rc:
$OUT"
fi
expect_out 'another ledger|not the trusted root key' \
    "root-other: verify says the root key is not this ledger's"

# A root key with this ledger's name but another public key (an intruder
# who re-made the ledger under the same origin would print one like it).
fresh root-forged
origin=${ROOTKEY%%+*}
random 32 >"$T/pub.bin"
keyid=$({ printf '%s\n\001' "$origin"; cat "$T/pub.bin"; } | sha256sum |
    cut -c1-8)
FORGED=$origin+$keyid+$({ printf '\001'; cat "$T/pub.bin"; } | b64)
tampered root-forged 'root.pub names root key .* not the trusted root key' - \
    --root-key "$FORGED"

# root.pub in the data directory replaced with that forged key: entry 0
# (ledger.init, signed by the real root key) no longer verifies with it.
fresh root-pub-forged
printf '%s\n' "$FORGED" >"$L/root.pub"
tampered root-pub-forged 'entry 0 \(ledger.init\): its signature does not verify' 0
# And the auditor's own root key says root.pub is not the trusted one.
tampered root-pub-forged 'root.pub names root key .* not the trusted root key' - \
    --root-key "$ROOTKEY"

# root.pub replaced with another ledger's; the auditor's own root key
# still names the genuine one.
fresh root-pub-other
cp "$O/root.pub" "$L/root.pub"
tampered root-pub-other 'root.pub names root key .* not the trusted root key' - \
    --root-key "$ROOTKEY"
# Without the auditor's key verify cannot trust root.pub: it must not say
# intact.
set +e
OUT=$("$D" verify --dir "$L" 2>&1)
rc=$?
set -e
if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then
	ok "root-pub-other: plain verify exits $rc"
else
	fail "root-pub-other: plain verify exits $rc:
$OUT"
fi
expect_out 'another ledger' "root-pub-other: verify says another ledger"

# --- no false alarm while daicho writes ----------------------------------

# An untouched ledger must not be called tampered because a rotation (the
# hourly timer) commits while verify reads it.  A ledger big enough that
# verify takes a while; the rotation starts while verify is reading.  (On
# a very slow machine the rotation may finish before verify has begun, and
# a round proves nothing; it cannot fail for a correct daicho.)
BIG=$T/big
"$D" init --dir "$BIG" >/dev/null
"$D" seed-demo --dir "$BIG" --people 50000 --no-ids >/dev/null
for round in 1 2 3; do
	"$D" verify --dir "$BIG" -q >"$T/race.out" 2>&1 &
	pid=$!
	sleep 0.02
	"$D" rotate --dir "$BIG" >/dev/null
	set +e
	wait "$pid"
	rc=$?
	set -e
	OUT=$(cat "$T/race.out")
	if [ "$rc" -eq 0 ]; then
		ok "race $round: verify during a rotation says intact"
	else
		fail "race $round: verify during a rotation exits $rc:
$OUT"
	fi
done
expect_rc 0 "race: verify after the rotations" "$D" verify --dir "$BIG" -q

finish
