# tests/reconcile.sh -- a unix system against the ledger: accounts daicho
# does not know, IDs the system lacks, and a lock undone behind daicho's
# back are each found with a remedy; the OS's own accounts are not; an
# exception in force marks what it covers, which then does not count.
. "$srcdir/tests/lib.sh"
need flock useradd usermod userdel pwck sqlite3
pam_wrapper_lock

# A root made by the real tools, with three accounts daicho never made.
R=$T/root
mkdir -p "$R/etc" "$R/bin" "$R/root" "$R/home"
cp /etc/login.defs "$R/etc/"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$R/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$R/etc/shadow"
printf 'root:x:0:\nusers:x:100:\n' >"$R/etc/group"
printf 'root:*::\nusers:*::\n' >"$R/etc/gshadow"
chmod 644 "$R/etc/passwd" "$R/etc/group"
chmod 640 "$R/etc/shadow" "$R/etc/gshadow"
: >"$R/bin/bash"
chmod 755 "$R/bin/bash"
for u in alice bob carol; do
	useradd -P "$R" -m -s /bin/bash "$u"
done

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\n' \
    >"$T/cli.conf"
chmod 600 "$T/cli.conf"
act() {
	printf 'demo\ndemo\n' >"$T/answers"
	env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
	    act --dir "$D" --askpass-fd 3 "$@" 3<"$T/answers"
}

expect_rc 0 "a unix system" act system.add name=host type=unix \
    title=庁内サーバ conf=2 integ=2 avail=1 \
    "config=root=$R" \
    --user demo-admin --approver demo-approver
expect_rc 0 "daicho issues dave" act id.create system=host login=dave \
    kind=personal owner=E0000001 --user demo-admin
expect_out "temporary password for dave on host" \
    "the temporary password is shown once"
grep -q '^dave:' "$R/etc/passwd" && ok "dave is on the system" ||
    fail "no dave in passwd"
expect_rc 0 "and erin" act id.create system=host login=erin \
    kind=personal owner=E0000002 --user demo-admin
expect_rc 0 "dave is locked" act id.lock system=host login=dave \
    --user demo-admin
passwd -S -P "$R" dave 2>/dev/null | awk '{ print $2 }' | grep -qx L ||
    passwd -S -R "$R" dave | awk '{ print $2 }' | grep -qx L &&
    ok "passwd -S agrees: dave is locked" || fail "dave not locked on the system"
pwck -r -R "$R" >/dev/null 2>&1 && ok "pwck accepts the files" ||
    fail "pwck: $(pwck -r -R "$R" 2>&1)"

# Behind daicho's back: dave unlocked, erin deleted.
usermod -P "$R" -U dave
userdel -P "$R" erin

expect_rc 1 "reconcile finds the differences" \
    "$DAICHO" reconcile host --dir "$D"
for u in alice bob carol; do
	expect_out "host +$u +unregistered" "$u is unregistered"
done
expect_out "host +dave +open on the system, locked in the ledger" \
    "dave's lock was undone"
expect_out "host +erin +missing" "erin is missing"
expect_out "remedy:" "each finding has a remedy"
printf '%s\n' "$OUT" | grep -q ' root ' && fail "root was listed" ||
    ok "the OS's own accounts are not listed"
expect_out "host: 5 differences" "five in all"
printf '%s\n' "$OUT" | grep -q 'covered by exception' &&
    fail "covered, with no exception" || ok "none covered yet"

# An emergency exception to unregistered for the whole system: the three
# are still listed, each naming it, and only the two drifts count.
end=$(date -u -d '+30 days' '+%Y-%m-%d')
expect_rc 0 "an exception to unregistered on host" act exception.emergency \
    rule=unregistered scope=system:host "end=$end" \
    "reason=移行中のアカウント" --user demo-admin
X=$(sqlite3 "$D/daicho.db" "SELECT max(idx) FROM exception")
expect_rc 1 "reconcile: the drifts still count" \
    "$DAICHO" reconcile host --dir "$D"
n=$(printf '%s\n' "$OUT" | grep -c "covered by exception $X\$" || true)
[ "$n" = 3 ] && ok "the three unregistered accounts name exception $X" ||
    fail "$n lines name exception $X: $OUT"
expect_out "host: 5 differences" "all five listed"
expect_out "3 of them covered by exceptions in force" "three covered"
printf '%s\n' "$OUT" | grep -A2 ' dave ' | grep -q 'covered' &&
    fail "dave's drift is covered by an exception to unregistered" ||
    ok "the drift is not: the exception names its rule only"
# The two drifts excepted too: everything covered, exit 0.
expect_rc 0 "an exception to drifted on host" act exception.emergency \
    rule=drifted scope=system:host "end=$end" \
    "reason=点検中" --user demo-admin
expect_rc 0 "reconcile: every difference covered, exit 0" \
    "$DAICHO" reconcile host --dir "$D"
expect_out "5 of them covered by exceptions in force" "five covered"
expect_rc 2 "an unknown system" "$DAICHO" reconcile nowhere --dir "$D"
expect_rc 0 "the ledger verifies and replays" \
    "$DAICHO" verify --dir "$D" --replay
finish
