# tests/escape.sh -- text someone else wrote cannot drive the terminal of
# the person reading daicho's output.  ESC/CSI/OSC sequences, a C1 CSI
# (U+009B), BEL, backspace, CR and an invalid UTF-8 byte are put where
# attackers can put them: action arguments an operator types (a reason, a
# name, a system's title), a unix system's passwd file (written by whoever
# administers that system), the database file itself (tampered behind
# daicho's back), and the command line (echoed in errors).  Every human
# output must show them as visible escapes (\x1b, \u009b, ...), never as
# the raw bytes; the bad input changes nothing.
. "$srcdir/tests/lib.sh"
need flock sqlite3 sha256sum script
pam_wrapper_lock

# ESC [2J (clear screen), OSC 0 (window title) ended by BEL, a C1 CSI in
# UTF-8, a backspace, a carriage return.
EVIL=$(printf 'a\033[2Jb\033]0;pwn\007c\302\2332Jd\be\rf')
# The same, and a byte that is not UTF-8, for what is not a ledger value.
EVILX=$(printf '%s\377g' "$EVIL")

# raw FILE: the raw control bytes FILE holds (ESC, BEL, CR, BS, 0xff,
# and the UTF-8 C1 CSI), counted; 0 when the output is safe to show.
raw() {
	n=$(LC_ALL=C tr -dc '\033\007\015\010\377' <"$1" | wc -c)
	c1=$(LC_ALL=C grep -c "$(printf '\302\233')" "$1" || true)
	echo $((n + c1))
}

# refused DESC FILE: a value refused with a message that names the problem
# and holds no raw control bytes.
refused() {
	if [ "$rc" -ne 2 ] || [ "$(raw "$2")" -ne 0 ] ||
	    ! grep -q 'daicho: .*contro' "$2"; then
		fail "$1: rc $rc:
$(od -c "$2" | head -20)"
		return 0
	fi
	ok "$1"
}

# shown DESC FILE [x]: FILE has no raw controls, and shows the escapes
# (with x: the invalid byte's too).
shown() {
	if [ "$(raw "$2")" -ne 0 ]; then
		fail "$1: raw control bytes in the output:
$(od -c "$2" | head -20)"
		return 0
	fi
	for e in '\x1b[2J' '\x1b]0;pwn\x07' '\u009b2J' '\x08' '\x0d' ${3:+'\xff'}; do
		if ! grep -qF -- "$e" "$2"; then
			fail "$1: no visible $e in:
$(cat "$2")"
			return 0
		fi
	done
	ok "$1: escaped, nothing raw"
}

# run FILE CMD...: CMD's output (both streams) into FILE; its status in rc.
run() {
	f=$1
	shift
	set +e
	"$@" >"$f" 2>&1
	rc=$?
	set -e
}

# The state an attack must leave as it was: ledger, key, a system's files.
sums() {
	sha256sum "$D/daicho.db" "$D/key" "$R"/etc/passwd "$R"/etc/shadow \
	    "$R"/etc/group "$R"/etc/gshadow
}

demo_cli "$T/demo"
R=$T/root

# 1. Values an operator types into actions.  Another rule may refuse
# control characters in some fields: what is refused must say so safely,
# what is accepted must be shown safely.
run "$T/o" pw 'demo\ndemo\n' act system.add name=paper type=manual \
    "title=$EVIL" conf=2 integ=1 avail=1 --user demo-admin \
    --approver demo-approver
if [ "$rc" -ne 0 ]; then
	refused "a title with controls is refused, safely" "$T/o"
	run "$T/o" pw 'demo\ndemo\n' act system.add name=paper type=manual \
	    title=paper conf=2 integ=1 avail=1 --user demo-admin \
	    --approver demo-approver
fi
[ "$rc" -eq 0 ] && ok "a manual system" || fail "system.add: $(cat "$T/o")"
PLANTED=
run "$T/o" pw 'demo\n' act id.create system=paper login=yamada \
    kind=personal owner=E0000001 "name=$EVIL" --user demo-admin
if [ "$rc" -eq 0 ]; then
	PLANTED="$PLANTED name"
else
	refused "a name with controls is refused, safely" "$T/o"
	run "$T/o" pw 'demo\n' act id.create system=paper login=yamada \
	    kind=personal owner=E0000001 --user demo-admin
fi
[ "$rc" -eq 0 ] && ok "a work order" || fail "id.create: $(cat "$T/o")"
W=$("$DAICHO" workorder list --dir "$D" |
    awk '$2 == "paper" && $3 == "yamada" { print $1 }')
run "$T/o" pw 'demo\n' workorder refuse "$W" --reason "$EVIL" \
    --user demo-admin
if [ "$rc" -eq 0 ]; then
	ok "a refusal with the reason accepted"
	PLANTED="$PLANTED reason"
else
	refused "a reason with controls is refused, safely" "$T/o"
fi
# What was accepted, the human outputs show escaped.
run "$T/log" "$DAICHO" log --dir "$D"
[ "$rc" -eq 0 ] && ok "log" || fail "log: $(cat "$T/log")"
[ "$(raw "$T/log")" -eq 0 ] && ok "log: nothing raw" ||
    fail "log: raw controls: $(od -c "$T/log" | grep -E '033|007' | head)"
for k in $PLANTED; do
	grep -qF "$k=a\\x1b[2Jb\\x1b]0;pwn\\x07c\\u009b2Jd\\x08e\\x0df" \
	    "$T/log" && ok "log: the $k reads as typed, escaped" ||
	    fail "log: $(grep -F "$k=" "$T/log")"
done
case $PLANTED in
*name*)
	run "$T/o" "$DAICHO" workorder list --dir "$D"
	shown "workorder list" "$T/o"
	;;
esac
N=$(($(entries_of) - 1))
# The exact bytes for programs; escaped on a terminal.
"$DAICHO" entry "$N" --dir "$D" >"$T/e"
sqlite3 "$D/daicho.db" "SELECT writefile('$T/e.db', data) FROM \
    ledger_entry WHERE idx = $N" >/dev/null
cmp -s "$T/e" "$T/e.db" && ok "entry N into a pipe: the exact bytes" ||
    fail "entry $N is not its stored bytes"
# 2. A unix system's passwd file: its administrator (or anyone who can
# write it) names an account, and reconcile reports it.
mkdir -p "$R/etc"
printf 'root:x:0:0:root:/root:/bin/sh\n%s:x:2001:100:%s:/home/x:/bin/sh\n' \
    "$EVILX" "$EVILX" >"$R/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n%s:!:19000:0:99999:7:::\n' "$EVILX" \
    >"$R/etc/shadow"
printf 'root:x:0:\nusers:x:100:\n' >"$R/etc/group"
printf 'root:*::\nusers:*::\n' >"$R/etc/gshadow"
chmod 600 "$R/etc/shadow" "$R/etc/gshadow"
run "$T/o" pw 'demo\ndemo\n' act system.add name=host type=unix title=host \
    conf=2 integ=2 avail=1 "config=root=$R" --user demo-admin \
    --approver demo-approver
[ "$rc" -eq 0 ] && ok "a unix system" || fail "system.add host: $(cat "$T/o")"
before=$(sums)
run "$T/o" "$DAICHO" reconcile host --dir "$D"
[ "$rc" -ne 0 ] && ok "reconcile reports the account (exit $rc)" ||
    fail "reconcile found nothing: $(cat "$T/o")"
shown "reconcile" "$T/o" x

# 3. The command line, echoed in errors.
run "$T/o" "$DAICHO" act "no.such$EVILX" --user demo-admin --dir "$D"
[ "$rc" -eq 2 ] && ok "an unknown action is refused" || fail "act: rc $rc"
shown "the unknown action's error" "$T/o" x
grep -q 'no such action' "$T/o" && ok "the error names the problem" ||
    fail "act: $(cat "$T/o")"
run "$T/o" "$DAICHO" reconcile "$EVILX" --dir "$D"
[ "$rc" -eq 2 ] && ok "an unknown system is refused" ||
    fail "reconcile: rc $rc"
shown "the unknown system's error" "$T/o" x
run "$T/o" pw '' workorder done "$EVILX" --note x --user demo-admin
[ "$rc" -eq 2 ] && ok "a bad work order number is refused" ||
    fail "workorder: rc $rc"
shown "the bad work order's error" "$T/o" x
run "$T/o" pw 'demo\n' act person.add "employee_no=$EVILX" name_kanji=x \
    name_kana=ヤマダ department=x position=x employment=regular \
    start_date=2026-04-01 --user demo-admin
[ "$rc" -eq 2 ] && ok "a bad employee number is refused" ||
    fail "person.add: rc $rc: $(cat "$T/o")"
shown "the bad employee number's error" "$T/o" x
[ "$(sums)" = "$before" ] &&
    ok "ledger, key and the system's files are as they were" ||
    fail "the attacks changed something"

# 4. The database file, edited behind daicho's back: a verifier and an
# auditor read it, and must not be attacked by it.
cp -a "$D" "$T/tampered"
D=$T/tampered
# Entry N gets a value that parses (the format's own %-escapes) and
# decodes to controls, and a raw C1 CSI, which the format allows.
sqlite3 "$D/daicho.db" "UPDATE epoch SET vkey = vkey || '$EVIL'; \
    UPDATE outbox SET arg = '$EVIL' WHERE system = 'paper'; \
    UPDATE ledger_entry SET data = CAST(replace(CAST(data AS TEXT), \
    'operator demo-admin', 'operator demo-%1B]0;pwn%07%0D%08' || \
    char(155) || '2J') AS BLOB) WHERE idx = $N;"
for c in keys status log "verify --replay" "workorder list"; do
	# shellcheck disable=SC2086
	run "$T/o" "$DAICHO" $c --dir "$D"
	[ "$(raw "$T/o")" -eq 0 ] && ok "tampered: $c shows nothing raw" ||
	    fail "tampered: $c: $(od -c "$T/o" | grep -E '033|007|\\r|\\b' |
	    head)"
done
run "$T/o" "$DAICHO" keys --dir "$D"
grep -qF '\x1b[2Jb\x1b]0;pwn\x07c\u009b2Jd\x08e\x0df' "$T/o" &&
    ok "tampered: keys shows the escapes" ||
    fail "tampered keys: $(cat "$T/o")"
run "$T/o" "$DAICHO" workorder list --dir "$D"
shown "tampered: workorder list" "$T/o"
run "$T/o" "$DAICHO" log --dir "$D" --from "$N"
grep -qF 'demo-\x1b]0;pwn\x07\x0d\x08\u009b2J' "$T/o" &&
    ok "tampered: log shows the decoded value escaped" ||
    fail "tampered log: $(cat "$T/o")"
# On a terminal, entry N is escaped too (script makes the terminal, and
# its line discipline turns each LF into CR LF).
script -qec "\"$DAICHO\" entry $N --dir \"$D\"" /dev/null </dev/null |
    sed 's/\r$//' >"$T/etty"
[ "$(raw "$T/etty")" -eq 0 ] && ok "entry N on a terminal: nothing raw" ||
    fail "entry on a terminal: $(od -c "$T/etty" | head)"
grep -qF '\u009b' "$T/etty" &&
    ok "entry N on a terminal: the C1 CSI is shown as \\u009b" ||
    fail "entry on a terminal: $(cat "$T/etty")"
[ "$(grep -c '' "$T/etty")" -ge 10 ] &&
    ok "entry N on a terminal: still one line a field" ||
    fail "entry on a terminal: $(cat "$T/etty")"

finish
