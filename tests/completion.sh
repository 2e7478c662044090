# tests/completion.sh -- bash completion (etc/bash-completion/daicho and
# "daicho __complete"): bash loads the file, and its function is called as
# bash calls it (COMP_LINE, COMP_POINT, COMP_WORDS split at '=' and ':'
# as bash splits them, COMP_CWORD) for a few command lines; the
# candidates it leaves in COMPREPLY are checked.  Then __complete itself:
# nothing from a missing or unreadable database, nothing written.
. "$srcdir/tests/lib.sh"
need bash sqlite3

FILE=$srcdir/etc/bash-completion/daicho
D=$T/d
"$DAICHO" init --dir "$D" >/dev/null
"$DAICHO" seed-demo --dir "$D" --people 20 >/dev/null
# seed-demo's systems: juki (manual) and linux-honcho (unix).
login1=$(sqlite3 "$D/daicho.db" "SELECT min(login) FROM account WHERE
    system = 'juki'")

# comp LINE WORD...: COMPREPLY, sorted, on one line, for LINE (the cursor
# at its end) split by bash into the WORDs (the last is the current one).
comp() {
	line=$1
	shift
	bash -c '
	    . "$1"
	    COMP_LINE=$2
	    COMP_POINT=${#2}
	    shift 2
	    COMP_WORDS=("$@")
	    COMP_CWORD=$(($# - 1))
	    _daicho
	    printf "%s\n" "${COMPREPLY[@]}"' bash "$FILE" "$line" "$@" |
	    sort | tr '\n' ' ' | sed 's/ $//'
}

# expect_comp WANT DESCRIPTION LINE WORD...
expect_comp() {
	want=$1
	desc=$2
	shift 2
	got=$(comp "$@")
	[ "$got" = "$want" ] && ok "$desc" ||
	    fail "$desc: '$1' gave '$got', wanted '$want'"
}

got=$(bash -c '. "$1"; complete -p daicho' bash "$FILE")
[ "$got" = "complete -o default -F _daicho daicho" ] &&
    ok "the file registers _daicho for daicho, files when it has nothing" ||
    fail "complete -p: '$got'"

expect_comp "operator" "a command" "$DAICHO op" "$DAICHO" op
expect_comp "incident init" "commands by prefix" "$DAICHO in" "$DAICHO" in
got=$(comp "$DAICHO " "$DAICHO" "")
case " $got " in
*" act "*" lockout "*" verify "*) ok "every command at the first word" ;;
*) fail "the first word: '$got'" ;;
esac
case " $got " in
*__complete*) fail "the hidden command is offered" ;;
*) ok "but not the hidden __complete" ;;
esac
expect_comp "add remove role" "a command's sub-words" \
    "$DAICHO operator " "$DAICHO" operator ""
expect_comp "admin approver auditor" "a role" \
    "$DAICHO operator role bob " "$DAICHO" operator role bob ""
expect_comp "id.lock id.lost_card" "action names" \
    "$DAICHO act id.lo" "$DAICHO" act id.lo
expect_comp "login= reason= system=" "an action's argument names" \
    "$DAICHO act id.lock " "$DAICHO" act id.lock ""
expect_comp "reason= system=" "those not given yet" \
    "$DAICHO act id.lock login=x " "$DAICHO" act id.lock login = x ""
expect_comp "--dir --end-sessions --help --reason --scope --user --yes" \
    "a command's options, from its usage" \
    "$DAICHO lockout --" "$DAICHO" lockout --
expect_comp "all contractors department: person: system:" \
    "an option's choices" \
    "$DAICHO lockout --scope " "$DAICHO" lockout --scope ""

# Names from the database (--dir on the line).
expect_comp "=juki =linux-honcho" "system names after system=" \
    "$DAICHO --dir $D act id.lock system=" "$DAICHO" --dir "$D" act \
    id.lock system =
expect_comp "linux-honcho" "by prefix" \
    "$DAICHO --dir $D act id.lock system=li" "$DAICHO" --dir "$D" act \
    id.lock system = li
expect_comp ":juki :linux-honcho" "after system: in a scope" \
    "$DAICHO --dir $D lockout --scope system:" "$DAICHO" --dir "$D" \
    lockout --scope system :
got=$(comp "$DAICHO --dir $D act id.lock system=juki login=" "$DAICHO" \
    --dir "$D" act id.lock system = juki login =)
case " $got " in
*" =$login1 "*) ok "the system's logins after login= ($got)" ;;
*) fail "logins of juki: '$got', wanted =$login1 among them" ;;
esac
got=$(comp "$DAICHO --dir $D passwd juki " "$DAICHO" --dir "$D" passwd \
    juki "")
n=$(sqlite3 "$D/daicho.db" "SELECT count(*) FROM account WHERE system = 'juki'")
[ "$(printf '%s\n' $got | wc -l)" = "$n" ] &&
    printf '%s\n' $got | grep -qx "$login1" &&
    ok "a SYSTEM LOGIN command: the system's $n logins" ||
    fail "passwd juki: '$got' ($n logins)"
expect_comp "demo-admin demo-approver demo-auditor" "operators after --user" \
    "$DAICHO --dir $D act id.lock --user " "$DAICHO" --dir "$D" act id.lock \
    --user ""
DAICHO_DIR=$D
export DAICHO_DIR
expect_comp "juki linux-honcho" "the directory from DAICHO_DIR too" \
    "$DAICHO passwd " "$DAICHO" passwd ""
unset DAICHO_DIR

# --- __complete itself: safe with no database, and read-only.
before=$("$DAICHO" status --dir "$D")
cp "$D/daicho.db" "$T/db.before"
expect_rc 0 "__complete on a database" "$DAICHO" __complete 3 daicho \
    --dir "$D" passwd ""
"$DAICHO" __complete 6 daicho --dir "$D" act id.lock system=juki login= \
    >/dev/null
[ "$("$DAICHO" status --dir "$D")" = "$before" ] &&
    ok "no ledger entry is made" || fail "the ledger changed"
[ "$(sqlite3 "$D/daicho.db" "SELECT count(*) FROM ledger_entry")" = \
    "$(sqlite3 "$T/db.before" "SELECT count(*) FROM ledger_entry")" ] &&
    ok "nothing written" || fail "entries were written"
expect_rc 0 "a missing database" "$DAICHO" __complete 4 daicho --dir \
    "$T/none" passwd ""
[ -z "$OUT" ] && ok "gives no candidates and no message" || fail "said: $OUT"
[ ! -e "$T/none" ] && ok "and makes no directory" || fail "$T/none was made"
mkdir "$T/bad"
chmod 700 "$T/bad"
printf 'not a database\n' >"$T/bad/daicho.db"
chmod 600 "$T/bad/daicho.db"
expect_rc 0 "an unreadable database" "$DAICHO" __complete 4 daicho --dir \
    "$T/bad" passwd ""
[ -z "$OUT" ] && ok "gives no candidates and no message" || fail "said: $OUT"
chmod 755 "$D"
expect_rc 0 "a directory too open to trust" "$DAICHO" __complete 4 daicho \
    --dir "$D" passwd ""
[ -z "$OUT" ] && ok "gives no names either" || fail "said: $OUT"
chmod 700 "$D"
expect_rc 0 "words beyond the line" "$DAICHO" __complete 9 daicho act
[ -z "$OUT" ] && ok "give nothing" || fail "said: $OUT"
expect_rc 2 "a bad CWORD" "$DAICHO" __complete x daicho
"$DAICHO" --help | grep -q __complete && fail "--help shows __complete" ||
    ok "--help does not show __complete"
finish
