# tests/lockout-ids.sh -- the lockout preview lists what it takes, on the
# demo city: every ID by system, the shared counter account madoguchi
# (used by 都市計画課, 情報政策課 and 福祉課) called out when one of its
# departments is locked, the break-glass ID spared by "all"; and
# "daicho incident show" lists each ID taken with its prior state.
. "$srcdir/tests/lib.sh"
need flock sqlite3
pam_wrapper_lock

demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }

# One of 福祉課's IDs is locked already: it is listed, and stays locked.
expect_rc 0 "e0000025 locked before" pw 'demo\n' act id.lock \
    system=linux-honcho login=e0000025 --user demo-admin

expect_rc 2 "the preview of 福祉課, not confirmed" \
    pw 'demo\n0\n' lockout --scope department:福祉課 --user demo-admin
expect_out "department:福祉課: 4 live IDs will be locked" "the count"
expect_out "^  on linux-honcho:$" "the IDs by system"
for id in e0000004 e0000025 e0000033; do
	expect_out "^    $id +personal +(active|locked) +owner E$(echo $id |
	    cut -c2-)" "$id is listed with its owner"
done
expect_out "e0000025 +personal +locked" "e0000025 is shown as locked already"
expect_out "madoguchi +shared +active +\*\* SHARED with other departments: (都市計画課,情報政策課|情報政策課,都市計画課)$" \
    "the shared counter account is called out with the other departments"
expect_out "not confirmed" "and nothing was done"
n=$(printf '%s\n' "$OUT" | grep -c '^    [a-z]') || true
[ "$n" = 4 ] && ok "four IDs listed, as counted" || fail "$n IDs listed"

expect_rc 2 "a person's preview" \
    pw 'demo\n0\n' lockout --scope person:E0000003 --user demo-admin
expect_out "madoguchi +shared +active +\*\* SHARED, also used by: (E0000002 都市計画課, E0000004 福祉課|E0000004 福祉課, E0000002 都市計画課)" \
    "for a person, the other users are named"
expect_out "e0000003 +personal" "and the person's own ID"

expect_rc 2 "all: the preview" pw 'demo\n0\n' lockout --scope all \
    --user demo-admin
expect_out "not locked: 1 break-glass ID: breakglass on linux-honcho" \
    "the break-glass account is spared"
if printf '%s\n' "$OUT" | grep -q '^    breakglass '; then
	fail "breakglass is in the list of IDs to lock"
else
	ok "and not in the list of IDs to lock"
fi
expect_out "^  on juki:$" "the registry's IDs are listed under their system"

# The lockout itself, and what the incident took.
expect_rc 0 "the lockout of 福祉課" \
    pw 'demo\n4\n' lockout --scope department:福祉課 --user demo-admin
inc=$(q "SELECT max(idx) FROM incident")
expect_rc 0 "incident list" "$DAICHO" incident list --dir "$D"
expect_out "^$inc +.* active +4 IDs +0 failed +department:福祉課: emergency lockout" \
    "the incident is listed"
expect_rc 0 "incident show" "$DAICHO" incident show "$inc" --dir "$D"
expect_out "4 IDs taken, each with its prior state" "it says what follows"
expect_out "linux-honcho +e0000025 +was locked +now locked +no lock needed" \
    "an ID locked before: its prior state, no lock needed"
expect_out "linux-honcho +e0000004 +was active +now locked +lock applied" \
    "an active one: locked, and the lock reached the system"
expect_out "linux-honcho +madoguchi +was active +now locked +lock applied" \
    "the shared account"
expect_rc 2 "an incident that does not exist" "$DAICHO" incident show 1 \
    --dir "$D"
expect_out "no incident 1" "says so"
finish
