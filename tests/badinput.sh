# tests/badinput.sh -- bad input gets a clear error, a non-zero exit, and
# nothing written.
#
# Each case starts from a copy of a pristine data directory, spoils it (or
# gives a bad argument), runs read-only and writing commands, checks the
# exit status and the message, and for the writing commands checks that
# every file in the data directory is byte-for-byte what it was.

. "$srcdir/tests/lib.sh"
need sqlite3 cmp

D=$DAICHO

# fresh NAME: L becomes a new copy of the pristine data directory.
fresh() {
	L=$T/$1
	cp -a "$P" "$L"
}

# snap DIR: fold the WAL into the database (behind daicho's back) and keep
# a copy of the directory's files to compare with later.
snap() {
	sqlite3 "$1/daicho.db" 'PRAGMA wal_checkpoint(TRUNCATE)' \
	    >/dev/null 2>&1 || true
	rm -rf "$T/snap"
	mkdir "$T/snap"
	for f in "$1"/* "$1"/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		case $f in
		*-shm|*-wal)	;;
		*)		cp -P "$f" "$T/snap/" ;;
		esac
	done
}

# unchanged DESC DIR: every file snap kept is as it was, and nothing new
# is there but SQLite's shared-memory index and an empty WAL.
unchanged() {
	changed=
	for f in "$T/snap"/* "$T/snap"/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		n=${f##*/}
		cmp -s "$f" "$2/$n" || changed="$changed $n"
	done
	for f in "$2"/* "$2"/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		n=${f##*/}
		case $n in
		*-shm)	continue ;;
		*-wal)	[ -s "$f" ] || continue ;;
		esac
		[ -e "$T/snap/$n" ] || [ -L "$T/snap/$n" ] ||
		    changed="$changed +$n"
	done
	if [ -z "$changed" ]; then
		ok "$1: nothing written"
	else
		fail "$1: the data directory changed:$changed"
	fi
}

# refused RC DESC PATTERN CMD...: CMD exits RC and says PATTERN.
refused() {
	rc_=$1 desc_=$2 pat_=$3
	shift 3
	expect_rc "$rc_" "$desc_: exits $rc_" "$@"
	expect_out "$pat_" "$desc_: says /$pat_/"
}

# The pristine data directory: two epochs, a few people.
P=$T/pristine
"$D" init --dir "$P" >/dev/null
"$D" seed-demo --dir "$P" --people 5 --no-ids >/dev/null
"$D" rotate --dir "$P" >/dev/null
SIZE=$("$D" status --dir "$P" | sed -n 's/^entries *//p')
[ "$SIZE" = 10 ] || fail "pristine ledger has $SIZE entries, not 10"
expect_rc 0 "pristine: verifies" "$D" verify --dir "$P" --replay

# --- loose permissions ---------------------------------------------------

# A data directory others can read or enter.
fresh dir-0755
chmod 755 "$L"
snap "$L"
refused 2 "dir-0755: verify" "$L: mode 0755 is looser than 0700" \
    "$D" verify --dir "$L"
refused 2 "dir-0755: status" "mode 0755 is looser" "$D" status --dir "$L"
refused 2 "dir-0755: rotate" "$L: mode 0755 is looser than 0700" \
    "$D" rotate --dir "$L"
unchanged dir-0755 "$L"

# A database file others can read.
fresh db-0644
chmod 644 "$L/daicho.db"
snap "$L"
refused 2 "db-0644: verify" "daicho.db: mode 0644 is looser than 0600" \
    "$D" verify --dir "$L"
refused 2 "db-0644: rotate" "daicho.db: mode 0644 is looser than 0600" \
    "$D" rotate --dir "$L"
unchanged db-0644 "$L"

# A key file others can read: verify reports it, writing refuses.
fresh key-0644
chmod 644 "$L/key"
snap "$L"
refused 1 "key-0644: verify" "key: mode 0644 is looser than 0600" \
    "$D" verify --dir "$L"
refused 2 "key-0644: rotate" "key: mode 0644 is looser than 0600" \
    "$D" rotate --dir "$L"
unchanged key-0644 "$L"

# --- symbolic links ------------------------------------------------------

# The data directory is a symbolic link to a real one.
fresh dir-link
ln -s "$L" "$T/dir-link.lnk"
snap "$L"
refused 2 "dir-link: verify" "dir-link.lnk: is a symbolic link" \
    "$D" verify --dir "$T/dir-link.lnk"
refused 2 "dir-link: rotate" "dir-link.lnk: is a symbolic link" \
    "$D" rotate --dir "$T/dir-link.lnk"
unchanged dir-link "$L"
# The same, spelt with a trailing slash (as shell completion writes it):
# lstat("link/") follows the link.
refused 2 "dir-link/: rotate" "symbolic link" \
    "$D" rotate --dir "$T/dir-link.lnk/"
unchanged dir-link/ "$L"
# init through a symbolic link to an empty directory.
mkdir -m 700 "$T/empty"
ln -s "$T/empty" "$T/empty.lnk"
refused 2 "dir-link: init" "empty.lnk: is a symbolic link" \
    "$D" init --dir "$T/empty.lnk"
[ -z "$(ls -A "$T/empty")" ] && ok "dir-link: init wrote nothing" ||
    fail "dir-link: init wrote into the link's target: $(ls -A "$T/empty")"

# The database file is a symbolic link to the real one elsewhere.
fresh db-link
mkdir -m 700 "$T/db-link.real"
mv "$L/daicho.db" "$T/db-link.real/"
mv "$L/daicho.db-wal" "$T/db-link.real/" 2>/dev/null || true
rm -f "$L/daicho.db-shm"
ln -s "$T/db-link.real/daicho.db" "$L/daicho.db"
snap "$L"
cp "$T/db-link.real/daicho.db" "$T/db-link.before"
refused 2 "db-link: verify" "daicho.db: is a symbolic link" \
    "$D" verify --dir "$L"
refused 2 "db-link: rotate" "daicho.db: is a symbolic link" \
    "$D" rotate --dir "$L"
unchanged db-link "$L"
cmp -s "$T/db-link.real/daicho.db" "$T/db-link.before" &&
    ok "db-link: the link's target is unchanged" ||
    fail "db-link: the link's target changed"

# The key file is a symbolic link.
fresh key-link
mv "$L/key" "$T/key-link.real"
ln -s "$T/key-link.real" "$L/key"
snap "$L"
refused 1 "key-link: verify" "key: is a symbolic link" "$D" verify --dir "$L"
refused 2 "key-link: rotate" "key: is a symbolic link" "$D" rotate --dir "$L"
unchanged key-link "$L"

# --- not a daicho database -----------------------------------------------

# Garbage bytes where the database should be.
fresh db-garbage
rm -f "$L"/daicho.db*
dd if=/dev/urandom of="$L/daicho.db" bs=1024 count=8 2>/dev/null
chmod 600 "$L/daicho.db"
snap "$L"
refused 2 "db-garbage: verify" "not a readable SQLite database" \
    "$D" verify --dir "$L"
refused 2 "db-garbage: status" "not a readable SQLite database" \
    "$D" status --dir "$L"
refused 2 "db-garbage: rotate" "not a readable SQLite database" \
    "$D" rotate --dir "$L"
unchanged db-garbage "$L"

# Some other program's SQLite database (rollback journal, no application
# id), put where daicho's should be.  Each command gets its own copy.
for cmd in verify rotate seed-demo; do
	fresh "db-foreign-$cmd"
	rm -f "$L"/daicho.db*
	sqlite3 "$L/daicho.db" "CREATE TABLE notes (t TEXT);
	    INSERT INTO notes VALUES ('not a ledger');"
	chmod 600 "$L/daicho.db"
	snap "$L"
	refused 2 "db-foreign: $cmd" "daicho.db: not a daicho database" \
	    "$D" "$cmd" --dir "$L"
	unchanged "db-foreign: $cmd" "$L"
done

# Another program's database with its own application id.
fresh db-appid
rm -f "$L"/daicho.db*
sqlite3 "$L/daicho.db" 'PRAGMA application_id = 1234;
    PRAGMA user_version = 1; CREATE TABLE t (x);'
chmod 600 "$L/daicho.db"
snap "$L"
refused 2 "db-appid: verify" "not a daicho database \\(application id" \
    "$D" verify --dir "$L"
refused 2 "db-appid: rotate" "not a daicho database" "$D" rotate --dir "$L"
unchanged db-appid "$L"

# An empty database file (as a full disk or a bad copy leaves it).
fresh db-empty
rm -f "$L"/daicho.db*
: >"$L/daicho.db"
chmod 600 "$L/daicho.db"
snap "$L"
refused 2 "db-empty: verify" "not a daicho database" "$D" verify --dir "$L"
refused 2 "db-empty: rotate" "not a daicho database" "$D" rotate --dir "$L"
unchanged db-empty "$L"

# A daicho database from a newer daicho (schema version 99).
fresh db-newer
sqlite3 "$L/daicho.db" 'PRAGMA user_version = 99' >/dev/null
snap "$L"
refused 2 "db-newer: verify" "schema version 99 is newer than this daicho" \
    "$D" verify --dir "$L"
refused 2 "db-newer: rotate" "schema version 99 is newer than this daicho" \
    "$D" rotate --dir "$L"
refused 2 "db-newer: seed-demo" "newer than this daicho" \
    "$D" seed-demo --dir "$L"
unchanged db-newer "$L"

# --- missing files -------------------------------------------------------

# The key file gone: verify reports it; rotate cannot sign and says so.
fresh key-missing
rm "$L/key"
snap "$L"
refused 1 "key-missing: verify" "key file is missing" "$D" verify --dir "$L"
refused 2 "key-missing: rotate" "$L/key: No such file" "$D" rotate --dir "$L"
unchanged key-missing "$L"
[ ! -e "$L/key.new" ] && ok "key-missing: rotate left no key.new" ||
    fail "key-missing: rotate left a key.new"

# No data directory at all.
refused 2 "dir-missing: verify" "$T/nowhere: No such file" \
    "$D" verify --dir "$T/nowhere"
refused 2 "dir-missing: rotate" "$T/nowhere: No such file" \
    "$D" rotate --dir "$T/nowhere"
[ ! -e "$T/nowhere" ] && ok "dir-missing: rotate made no directory" ||
    fail "dir-missing: rotate made $T/nowhere"

# --- init and seed-demo where they do not belong -------------------------

# init on a directory that already holds something else.
mkdir -m 700 "$T/busy"
echo 'my notes' >"$T/busy/notes.txt"
refused 2 "init non-empty" "already exists and is not empty" \
    "$D" init --dir "$T/busy"
[ "$(ls -A "$T/busy")" = notes.txt ] && ok "init non-empty: nothing written" ||
    fail "init non-empty: the directory now holds: $(ls -A "$T/busy")"

# init on an empty directory others can read: refused, left empty.
mkdir -m 755 "$T/loose"
refused 2 "init 0755" "mode 0755 is looser than 0700" \
    "$D" init --dir "$T/loose"
[ -z "$(ls -A "$T/loose")" ] && ok "init 0755: nothing written" ||
    fail "init 0755: the directory now holds: $(ls -A "$T/loose")"

# init twice on the same data directory.
fresh init-twice
snap "$L"
refused 2 "init twice" "already exists and is not empty" \
    "$D" init --dir "$L"
unchanged "init twice" "$L"

# seed-demo on a directory that already holds a ledger beyond ledger.init.
fresh seed-twice
snap "$L"
refused 2 "seed-demo twice" "already holds 10 entries" \
    "$D" seed-demo --dir "$L" --people 3 --no-ids
unchanged "seed-demo twice" "$L"
refused 2 "seed-demo --people abc" '--people "abc" is invalid' \
    "$D" seed-demo --dir "$L" --people abc
unchanged "seed-demo --people abc" "$L"

# --- bad arguments -------------------------------------------------------

fresh args
snap "$L"
refused 2 "entry -1" "invalid option|usage: daicho entry" \
    "$D" entry --dir "$L" -1
refused 2 "entry -- -1" 'entry index "-1" is (invalid|too small)' \
    "$D" entry --dir "$L" -- -1
refused 2 "entry abc" 'entry index "abc" is invalid' \
    "$D" entry --dir "$L" abc
refused 2 "entry 1x" 'entry index "1x" is invalid' \
    "$D" entry --dir "$L" 1x
refused 2 "entry huge" 'entry index "99999999999999999999" is too large' \
    "$D" entry --dir "$L" 99999999999999999999
refused 2 "entry out of range" "no entry 10" "$D" entry --dir "$L" 10
refused 2 "entry without N" "usage: daicho entry" "$D" entry --dir "$L"
refused 2 "prove out of range" "entry 10 is not in the checkpoint of size 10" \
    "$D" prove --dir "$L" 10
refused 2 "prove huge" "too large" \
    "$D" prove --dir "$L" 99999999999999999999
refused 2 "prove --size 0" '--size "0" is too small' \
    "$D" prove --dir "$L" --size 0 0
refused 2 "prove --size beyond" "no checkpoint was signed at size 100" \
    "$D" prove --dir "$L" --size 100 0
refused 2 "log --limit abc" '--limit "abc" is invalid' \
    "$D" log --dir "$L" --limit abc
refused 2 "log --from -1" '--from "-1" is (invalid|too small)' \
    "$D" log --dir "$L" --from -1
refused 2 "unknown command" "frobnicate: unknown command" \
    "$D" --dir "$L" frobnicate
refused 2 "unknown option" "unrecognized option '--frobnicate'" \
    "$D" verify --dir "$L" --frobnicate
refused 2 "unknown global option" "unrecognized option '--frobnicate'" \
    "$D" --frobnicate status
refused 2 "extra argument" "usage: daicho status" \
    "$D" status --dir "$L" extra
refused 2 "rotate extra argument" "usage: daicho rotate" \
    "$D" rotate --dir "$L" now
refused 2 "checkpoint without export" "usage: daicho checkpoint" \
    "$D" checkpoint --dir "$L" import
unchanged "bad arguments" "$L"

# checkpoint export over a file that exists: refused, the file kept.
echo 'precious' >"$T/precious"
refused 2 "checkpoint export over a file" "precious: File exists" \
    "$D" --dir "$L" checkpoint export "$T/precious"
[ "$(cat "$T/precious")" = precious ] && ok "checkpoint export: file kept" ||
    fail "checkpoint export overwrote an existing file"

# backup into a directory that exists: refused, its contents kept.
mkdir -m 700 "$T/bk"
echo 'old' >"$T/bk/daicho.db"
refused 2 "backup over a directory" "bk: File exists" \
    "$D" backup --dir "$L" "$T/bk"
[ "$(cat "$T/bk/daicho.db")" = old ] && [ "$(ls -A "$T/bk")" = daicho.db ] &&
    ok "backup over a directory: nothing written" ||
    fail "backup wrote into an existing directory"

# --- checkpoint files that are not this ledger's checkpoint --------------

refused 2 "verify --checkpoint /nonexistent" "No such file or directory" \
    "$D" verify --dir "$L" --checkpoint "$T/nonexistent"

dd if=/dev/urandom of="$T/random.ckpt" bs=512 count=1 2>/dev/null
refused 2 "verify --checkpoint random bytes" "the checkpoint file: " \
    "$D" verify --dir "$L" --checkpoint "$T/random.ckpt"

printf 'daicho.invalid/ledger/0000\n12\nnot base64\n\n' >"$T/bad.ckpt"
refused 2 "verify --checkpoint malformed note" \
    "the checkpoint file: checkpoint root hash is not base64" \
    "$D" verify --dir "$L" --checkpoint "$T/bad.ckpt"

: >"$T/empty.ckpt"
refused 2 "verify --checkpoint empty file" "the checkpoint file: not a signed note" \
    "$D" verify --dir "$L" --checkpoint "$T/empty.ckpt"

refused 2 "verify --checkpoint a directory" "Is a directory" \
    "$D" verify --dir "$L" --checkpoint "$T"

refused 2 "verify --checkpoint endless" "larger than a checkpoint can be" \
    "$D" verify --dir "$L" --checkpoint /dev/zero

refused 2 "verify --root-key garbage" "verifier key" \
    "$D" verify --dir "$L" --root-key 'not-a-key'
unchanged "checkpoint files" "$L"

finish
