# tests/help.sh -- --help on every command and every sub-command prints its
# usage on standard output and exits 0, wherever --help stands and
# whatever else is on the line, without touching a data directory; and
# daicho --version.  The commands are the ones completion offers (daicho
# __complete), so the two lists cannot part: a command in the table
# without its --help, or a completion of a command that does not exist,
# fails here.
. "$srcdir/tests/lib.sh"

# helps NAME WORD...: daicho WORD... --help, checked.
helps() {
	name=$1
	shift
	rc=0
	"$DAICHO" "$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] &&
	    head -n 1 "$T/out" | grep -q "^usage: daicho $name\\b" &&
	    [ -z "$(awk 'length($0) > 80' "$T/out")" ]; then
		ok "daicho $*: its usage on standard output, exit 0"
	else
		fail "daicho $*: exit $rc, stdout: $(cat "$T/out") stderr: $(cat "$T/err")"
	fi
}

"$DAICHO" __complete 1 daicho "" >"$T/commands"
n=$(wc -l <"$T/commands")
[ "$n" -ge 30 ] && ok "completion lists $n commands" ||
    fail "completion lists $n commands: $(cat "$T/commands")"
"$DAICHO" --help >"$T/all"
while read -r cmd; do
	grep -q "^  daicho $cmd\\b" "$T/all" ||
	    fail "$cmd is completed but not in daicho --help"
	helps "$cmd" "$cmd" --help
	# Sub-commands (operator add, priv list, ...), the help after them.
	"$DAICHO" __complete 2 daicho "$cmd" "" >"$T/subs"
	while read -r sub; do
		helps "$cmd" "$cmd" "$sub" --help
	done <"$T/subs"
done <"$T/commands"
for cmd in $(awk '/^  daicho / { print $2 }' "$T/all" | sort -u); do
	grep -qx "$cmd" "$T/commands" ||
	    fail "$cmd is in daicho --help but completion does not offer it"
done

# --help wins over anything else on the line, and reads nothing.
helps act act id.lock system=x --bogus --help --user nobody
helps lockout --dir "$T/nowhere" lockout --help --scope all
[ ! -e "$T/nowhere" ] && ok "no data directory is made or read" ||
    fail "$T/nowhere was made"
helps __complete __complete --help
# Not after "--": there it is an argument.
expect_rc 2 "--help after -- is an argument" "$DAICHO" log -- --help
expect_rc 0 "daicho --help" "$DAICHO" --help
expect_out "^usage: daicho" "the whole usage"
expect_rc 0 "daicho --version" "$DAICHO" --version
expect_out "^daicho [0-9]+\\.[0-9]+\\.[0-9]+\$" "names the version"
finish
