# tests/console-view.sh -- what the console shows fits the terminal a
# person has: list columns give way by priority and scroll sideways,
# dialogs wrap and scroll, help scrolls, the root key's QR code is never
# shown with rows missing, and every time is in the local zone with its
# offset.  tmux runs "daicho --demo"; every check is on the screen.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock useradd python3
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/daicho.db" ] && ok "the demo city was made" || fail "no demo city"

# start W H [ENV...]: the console in a W x H terminal, the demo admin in
# (by the demo's fingerprint), the last-login message closed.
start() {
	w=$1 h=$2
	shift 2
	tmux_start "$w" "$h" env "$@" "$DAICHO" --demo "$D"
	tmux_wait 'User:' 10 || fail "the console did not start:
$(tmux_screen)"
	tmux_type demo-admin
	tmux_keys Enter
	tmux_wait 'demo-admin \(admin\)' 10 || fail "no login: $(tmux_screen)"
	tmux_keys Enter
}

# --- list columns: priorities and flexible widths, at 80 and 120 columns
start 80 24
tmux_keys Tab
expect_screen '^  System +Login +Kind +State +Name +Department +▶$' \
    "at 80 columns the IDs screen shows the department's title whole, ▶: more"
tmux_type adm-e0000002
expect_screen 'adm-e0000002 +privileged +active +加藤 美咲 +都市計画課' \
    "and the department whole (Owner, the least needed, gives way)"
expect_no_screen 'Owner' "the Owner column is left out at 80 columns"
tmux_keys Right
expect_screen '^◀ Login +Kind +State +Owner +Name +Department' \
    "Right scrolls: the left-out Owner column comes into view, ◀ says more"
expect_screen 'adm-e0000002 +privileged +active +E0000002 +加藤 美咲 +都市計画課' \
    "with its value"
tmux_keys Left
expect_screen '^  System +Login' "Left scrolls back"
tmux_keys C-u

# The ledger at 120 columns: a subject is shown whole.
tmux_resize 120 24
tmux_keys F2 BTab BTab
tmux_type adm-e0000002
expect_screen 'id\.create +id:linux-honcho/adm-e0000002 ' \
    "at 120 columns the ledger shows the whole subject"
tmux_keys C-u
tmux_stop

# --- a dialog's long text scrolls inside it, never cut
# Twelve accounts on the Linux server that the ledger does not know: the
# reconciliation lists them all, two lines each, more than 80x24 holds.
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	useradd -P "$D/unix-root" -M -N -s /bin/sh "intruder$i"
done
start 80 24
tmux_keys Tab Tab
tmux_type linux-honcho
tmux_wait '1/2' 5
tmux_keys F3
expect_screen '12 differences between linux-honcho' "the reconciliation lists 12"
expect_screen 'findings 1-[0-9]+ of 12' \
    "the list says it scrolls, and which findings are shown"
expect_no_screen 'intruder12' "the last account is below the view"
tmux_keys PageDown PageDown
expect_screen '│ intruder12: ' "PgDn brings the last account into view"
expect_screen 'findings [0-9]+-12 of 12' "and the hint follows"
tmux_keys Enter
expect_no_screen 'differences between' "Enter closes it"

# A form's error and its choices wrap under the field, never cut.
tmux_keys BTab
tmux_wait 'F5 Issue' 5
tmux_keys F5
expect_screen 'Issue an ID' "F5 opens the form to issue an ID"
tmux_type linux-honcho
tmux_keys Tab
tmux_type 'X-1'
tmux_keys Enter
expect_screen '│ +a-z 0-9 \. _ -, at most 32, not starting +│' \
    "a bad login name is refused, the rule wrapped..."
expect_screen '│ +with - +│' "...to the next line, not cut"
tmux_keys Tab
expect_screen '│ +personal \| shared \| privileged \| +│' \
    "the Kind field's choices are listed..."
expect_screen '│ +contractor \| service +│' "...all of them"
tmux_keys Escape

# --- help scrolls: F1's text is longer than 80x24
tmux_keys F1
expect_screen 'Every ID on every system' "F1 opens the IDs screen's help"
expect_screen 'Up/Down: lines 1-18 of [0-9]+' "which is longer than the screen"
tmux_keys Down
expect_screen 'lines 2-19 of' "Down scrolls it a line"
tmux_keys PageDown
expect_screen 'lines ([0-9]+)-([0-9]+) of \2' "PgDn scrolls to its end"
expect_no_screen 'Every ID on every system' "the first line has scrolled away"
expect_screen 'F5 +Issue \(id\.create\)' "the key list is in view"
tmux_keys PageUp
expect_screen 'lines 1-18 of' "PgUp scrolls back"
expect_screen 'Every ID on every system' "to the first line"
tmux_keys Enter
expect_screen 'linux-honcho +e0000005 ' "Enter closes the help..."
expect_no_screen 'Every ID on every system' "...and it is gone"
tmux_stop

# --- the root key's QR code: whole, or a word that the terminal is small
# qr_whole: the screen holds a whole QR code: its quiet zone's top and
# bottom lines are all light (█, W of them), and between them, W/2 lines
# (two modules a line) of the same width.
qr_whole() {
	tmux_screen | /usr/bin/python3 -c '
import re, sys
lines = sys.stdin.read().splitlines()
full = [i for i, l in enumerate(lines) if re.search("█{21,}", l)]
if len(full) < 2:
    sys.exit("no quiet zone lines")
top, bottom = full[0], full[-1]
w = len(max(re.findall("█+", lines[top]), key=len))
rows = [re.search("[█▀▄ ]{%d}" % w, l) for l in lines[top:bottom + 1]]
if bottom - top + 1 != (w + 1) // 2 or not all(rows):
    sys.exit("%d lines of %d, want %d" % (bottom - top + 1, w, (w + 1) // 2))
'
}
start 80 24
tmux_keys F2 BTab BTab
tmux_wait '\^K Root key' 5
tmux_keys C-k
expect_screen 'Compare with the paper record' "^K shows the root verifier key"
expect_screen 'too small to show the code: it needs 76 columns by [0-9]+' \
    "at 80x24 it says the terminal is too small for the QR code"
expect_no_screen '█████' "and shows no part of the code"
tmux_resize 100 50
expect_screen '█{21,}' "made larger, the terminal shows the code"
if qr_whole; then ok "the whole code, no row lost"
else fail "the code is not whole: $(tmux_screen)"; fi
expect_no_screen 'too small' "and no longer says it is too small"
tmux_stop

# --- every time in the local zone with its offset (the ledger stays UTC)
# tokyo UTC [FORMAT]: the ledger's UTC time as Tokyo's local time.
tokyo() {
	/usr/bin/python3 -c '
import sys, datetime, zoneinfo
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ")
t = t.replace(tzinfo=datetime.timezone.utc)
print(t.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).strftime(sys.argv[2]))
' "$1" "${2:-%Y-%m-%d %H:%M %z}"
}
# re TEXT: TEXT as a grep -E pattern of itself (the offset's "+").
re() { printf '%s' "$1" | sed 's/[+.]/\\&/g'; }
entry_time() { "$DAICHO" entry --dir "$D" "$1" | awk '$1 == "time" { print $2 }'; }

start 120 24 TZ=Asia/Tokyo
expect_screen '^ daicho 台帳 .* demo-admin \(admin\)  20[0-9-]{8} [0-9:]{8} \+0900 ?$' \
    "the header's clock is local time with its offset"
n=$("$DAICHO" log --dir "$D" | awk '$3 == "session.login" { n = $1 } END { print n }')
utc=$(entry_time "$n")
local=$(tokyo "$utc")
case $local in *+0900) ok "Tokyo is +0900 ($utc is $local)" ;;
*) fail "no +0900 in $local" ;; esac
tmux_keys F2 BTab BTab
tmux_type session.login
expect_screen "^ +$n $(re "$local") +session\\.login" \
    "the ledger screen shows the login's time ($utc) in local time, offset too"
tmux_screen > "$T/screen"
if /usr/bin/python3 - "$T/screen" "$local" <<'PY'
import sys, re, datetime
screen = open(sys.argv[1], encoding="utf-8").read()
clock = re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+\d{4}) ?$", screen, re.M)
head = datetime.datetime.strptime(clock.group(1), "%Y-%m-%d %H:%M:%S %z")
entry = datetime.datetime.strptime(sys.argv[2], "%Y-%m-%d %H:%M %z")
assert datetime.timedelta(0) <= head - entry < datetime.timedelta(minutes=10), (head, entry)
PY
then ok "the header's clock and the ledger's login time agree"
else fail "the header and the ledger disagree: $(cat "$T/screen")"
fi
tmux_keys C-u
# A work order: the Work orders screen and the command line, in Tokyo.
wo=$("$DAICHO" workorder list --dir "$D" | awk '$1 ~ /^[0-9]+\/[0-9]+$/ { print $1; exit }')
queued=$(tokyo "$(entry_time "${wo%/*}")")
tmux_keys Tab Tab Tab Tab Tab Tab
expect_screen "$wo +$(re "$queued") +juki" \
    "the work order's queued time ($queued) is local, with its offset"
tmux_stop
if TZ=Asia/Tokyo "$DAICHO" workorder list --dir "$D" |
    grep -q -- "queued $queued by"; then
	ok "daicho workorder list says the same time"
else fail "workorder list: $(TZ=Asia/Tokyo "$DAICHO" workorder list --dir "$D")"
fi
iso=$(tokyo "$utc" '%Y-%m-%dT%H:%M:%S%z')
if TZ=Asia/Tokyo "$DAICHO" log --dir "$D" --from "$n" --limit 1 |
    grep -Eq -- "^$n +$(re "$iso") +session\.login"; then
	ok "daicho log shows the login at $iso, one word"
else fail "daicho log: $(TZ=Asia/Tokyo "$DAICHO" log --dir "$D" --from "$n" --limit 1)"
fi
if TZ=Asia/Tokyo "$DAICHO" status --dir "$D" |
    grep -Eq -- '^checkpoint .* signed 20[0-9-]{8} [0-9:]{8} \+0900$'; then
	ok "daicho status shows the checkpoint's time in local time"
else fail "daicho status: $(TZ=Asia/Tokyo "$DAICHO" status --dir "$D")"
fi
if "$DAICHO" entry --dir "$D" "$n" | grep -q "^time $utc\$"; then
	ok "the entry's bytes stay UTC"
else fail "entry $n: $("$DAICHO" entry --dir "$D" "$n")"
fi
finish
