# tests/console-hr-findings.sh -- the console's Findings screen over every
# rule, on the demo city at 80x24: leavers made by an HR import (retired
# yesterday, their IDs still active) and accounts planted on the unix
# target behind daicho's back.  The list shows rule, severity and
# subject, and a system's text escaped; Enter shows a finding's clause
# and remedies; a remedy that does not fit a marked finding is refused,
# naming it, and nothing is done; an action refused when it runs undoes
# the others; two marked leavers are locked after the preview and a yes;
# three marked findings need their count typed back (a wrong count does
# nothing).  The command line then agrees: the findings are gone, the
# unix root has the locks and the ledger the entries.  An auditor sees
# the list and may not remedy.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3 passwd
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

demo_cli "$T/demo"
R=$D/unix-root
q() { sqlite3 "$D/daicho.db" "$1"; }
pw_state() { passwd -S -R "$R" "$1" | awk '{ print $2 }'; }
# findings: the command line's tsv into $T/f (exit 1 when there are some).
findings() {
	"$DAICHO" findings --dir "$D" --format tsv >"$T/f" 2>"$T/ferr" || true
}
# has RULE SUBJECT: the tsv has that finding.
has() { awk -F'\t' -v r="$1" -v s="$2" '$1 == r && $3 == s' "$T/f" | grep -q .; }
# entries ACTION SUBJECT: how many such entries the ledger has.
entries() { "$DAICHO" log --dir "$D" | grep -Ec -- " $1 .*$2( |\$)" || true; }

# --- the situation: E0000003, 4 and 12 retired yesterday (the HR
# export says so; nothing has locked their IDs yet), and three accounts
# nobody registered (intruder locked, rogue and stray open).
HEAD='職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分'
Y=$(date -d yesterday +%F)
q "SELECT employee_no || ',' || name_kanji || ',' || name_kana || ',' ||
    department || ',' || position || ',' || employment || ',,,active' FROM
    person ORDER BY employee_no" >"$T/people"
{ echo "$HEAD"; sed -e "s/^\(E000000[34],.*\),,,active/\1,,$Y,retired/" \
    -e "s/^\(E0000012,.*\),,,active/\1,,$Y,retired/" "$T/people"; } |
    sed 's/$/\r/' >"$T/hr.csv"
expect_rc 0 "the HR import with three leavers" pw 'demo\n' import personnel \
    "$T/hr.csv" --user demo-admin
plant_unregistered "$R"
# and one whose display name (its system's, anyone's) holds controls
printf 'evil:x:2996:100:a\033[2Jb\033]0;pwn\007c:/home/evil:/bin/sh\n' \
    >>"$R/etc/passwd"
printf 'evil:!:20000:0:99999:7:::\n' >>"$R/etc/shadow"
findings
has leaver-active linux-honcho/e0000003 && has leaver-active \
    linux-honcho/e0000004 && has unregistered linux-honcho/rogue &&
    ok "the command line sees the leavers and the planted accounts" ||
    fail "findings: $(cat "$T/f" "$T/ferr")"

# --- the screen: Shift-Tab from the dashboard
console_login "$D" demo-admin "the admin logs in"
tmux_keys BTab
expect_screen '\[Findings\]' "Shift-Tab from the dashboard opens the Findings"
expect_screen 'findings: [0-9]+ high' "the header counts them by severity"
expect_screen 'Rule +Severity +Subject +Detail' "the columns"
expect_screen 'leaver-active +high +linux-honcho/e0000003' \
    "a leaver: rule, severity, subject"
expect_screen 'unregistered +high +linux-honcho/rogue' "an unregistered account"

# --- data is shown escaped, never obeyed
tmux_type evil
tmux_keys Enter
expect_screen 'a\\x1b\[2Jb\\x1b\]0;pwn\\x07c' \
    "the system's display name is shown escaped"
tmux_keys Enter C-u
expect_screen 'leaver-active' "the screen was not cleared by it"

# --- F1 lists the screen's keys
tmux_keys F1
expect_screen 'F4 +Remedy' "F1 lists F4 Remedy"
expect_screen 'Enter +Open' "and Enter"
tmux_keys Enter

# --- a finding's detail
tmux_type e0000003
expect_screen '1 of|e0000003' "the filter"
tmux_keys Enter
expect_screen 'Finding: linux-honcho/e0000003' "Enter opens the finding"
expect_screen 'Clause: 対策基準 §8\(2\)①\(ウ\)' "its clause"
expect_screen 'ones\): lock, revoke' "the remedies that fit"
tmux_keys Enter C-u

# --- a remedy that does not fit: revoke on an unregistered account
tmux_type rogue
tmux_keys C-t C-u
tmux_type e0000004
tmux_keys C-t C-u F4
expect_screen 'Remedy for 2 findings' "F4 on two marked findings asks the remedy"
tmux_keys Right Enter
expect_screen 'revoke does not fit unregistered linux-honcho/rogue' \
    "revoke on an unregistered account is refused, naming it"
[ "$(entries id.revoke id:linux-honcho/e0000004)" = 0 ] &&
    ok "nothing was done to e0000004" || fail "e0000004 was revoked"

# --- all or none: one action refused when it runs undoes the others
tmux_keys C-a C-a		# all shown marked, then none
tmux_type e0000003
tmux_keys C-t C-u
tmux_type e0000012
tmux_keys C-t C-u F4 Enter
expect_screen 'id.lock linux-honcho/e0000012' "the preview of e0000003 and e0000012"
# meanwhile, someone locks e0000012 from the command line
expect_rc 0 "e0000012 is locked from the command line" pw 'demo\n' act \
    id.lock system=linux-honcho login=e0000012 reason=meanwhile \
    --user demo-admin
tmux_keys y
expect_screen 'Nothing was done: id\.lock linux-honcho/e0000012: id\.lock' \
    "y: e0000012's lock is refused, naming it: nothing was done"
expect_screen 'already locked' "saying why"
[ "$(pw_state e0000003)" = P ] &&
    [ "$(entries id.lock id:linux-honcho/e0000003)" = 0 ] &&
    ok "and e0000003's lock was rolled back with it" ||
    fail "e0000003 is $(pw_state e0000003) after a refused batch"

# --- two leavers locked after the preview
tmux_type e0000003
tmux_keys C-t C-u
tmux_type e0000004
tmux_keys C-t C-u F4
expect_screen 'Remedy for 2 findings' "two marked leavers"
tmux_keys Enter
expect_screen 'lock: 2 findings' "the preview"
expect_screen 'id.lock linux-honcho/e0000003' "names the first action and ID"
expect_screen 'id.lock linux-honcho/e0000004' "and the second"
tmux_keys y
expect_screen 'lock: 2 findings remedied' "y carries them out"
[ "$(pw_state e0000003)" = L ] && [ "$(pw_state e0000004)" = L ] &&
    ok "both are locked on the unix root" ||
    fail "e0000003 $(pw_state e0000003), e0000004 $(pw_state e0000004)"
[ "$(entries id.lock id:linux-honcho/e0000003)" = 1 ] &&
    [ "$(entries id.lock id:linux-honcho/e0000004)" = 1 ] &&
    ok "the ledger has an id.lock entry for each" ||
    fail "entries: $("$DAICHO" log --dir "$D" | tail -n 6)"
findings
if has leaver-active linux-honcho/e0000003 ||
    has leaver-active linux-honcho/e0000004; then
	fail "the leavers are still findings: $(cat "$T/f")"
else
	ok "the leavers' findings are gone"
fi
expect_no_screen 'leaver-active' "and gone from the screen"

# --- three: the count typed back
tmux_type rogue
tmux_keys C-t C-u
tmux_type stray
tmux_keys C-t C-u
tmux_type intruder
tmux_keys C-t C-u F4 Enter
expect_screen 'Up/Down PgUp/PgDn: scroll +Enter: close, then type the count' \
    "three: the preview lists first"
expect_screen 'finding.lock linux-honcho/stray' "with each action"
tmux_keys Enter
expect_screen 'Type the count' "then the count"
tmux_type 2
tmux_keys Enter
expect_screen 'The count typed does not match 3' "a wrong count"
[ "$(pw_state rogue)" = P ] && ok "does nothing" ||
    fail "rogue is $(pw_state rogue)"
tmux_keys F4 Enter Enter
expect_screen 'Type the count' "the same again"
tmux_type 3
tmux_keys Enter
expect_screen 'lock: 3 findings remedied' "the right count carries them out"
[ "$(pw_state rogue)" = L ] && [ "$(pw_state stray)" = L ] &&
    ok "rogue and stray are locked on the unix root" ||
    fail "rogue $(pw_state rogue), stray $(pw_state stray)"
[ "$(entries finding.lock id:linux-honcho/rogue)" = 1 ] &&
    [ "$(entries finding.lock id:linux-honcho/intruder)" = 1 ] &&
    ok "the ledger has a finding.lock entry for each" ||
    fail "entries: $("$DAICHO" log --dir "$D" | tail -n 6)"

# --- an auditor reads the findings, and may not remedy them
tmux_keys F10 y
tmux_wait 'User:' 10 || fail "no login screen after logging out: $(tmux_screen)"
tmux_type demo-auditor
tmux_keys Enter
tmux_wait 'Password' 10 && { tmux_type demo; tmux_keys Enter; }
expect_screen 'demo-auditor \(auditor\)' "the auditor logs in"
tmux_keys Enter BTab
expect_screen 'unregistered +high +linux-honcho/rogue' "the auditor sees the findings"
tmux_keys F4
expect_screen 'The auditor role may not do this' "F4 is refused to the auditor"
tmux_stop

"$DAICHO" verify --replay --dir "$D" >"$T/verify" 2>&1 &&
    ok "verify --replay passes" || fail "verify: $(cat "$T/verify")"
finish
