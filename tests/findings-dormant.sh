# tests/findings-dormant.sh -- the dormant rule of daicho findings on a
# real directory: slapd (tests/env-slapd.sh) keeps pwdLastSuccess
# ("lastbind on"), the ldap target reports it as the last use, and
# faketime moves daicho's clock past dormant_days.  An account that never
# logged in (no last use known) is never dormant; a locked one is not
# either; the lock remedy applies to one subject and ends the finding.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/env-slapd.sh"

trap 'slapd_stop; cleanup' EXIT
trap 'exit 130' HUP INT TERM
need sqlite3 ldapwhoami
slapd_need
pam_wrapper_lock
[ -n "$FAKETIME_LIB" ] || need faketime-library

demo_cli "$T/demo"
slapd_start "$T/slapd"
slapd_add_users 3
bind_as() {
	ldapwhoami -x -H "$SLAPD_URI" -D "$(slapd_user_dn "$1")" \
	    -y "$SLAPD_DIR/$1.pw" >/dev/null
}
bind_as user0001 && bind_as user0003 &&
    ok "user0001 and user0003 logged in; user0002 never did" ||
    fail "binds"
[ -n "$(slapd_admin ldapsearch -LLL -b "$(slapd_user_dn user0001)" \
    pwdLastSuccess | grep pwdLastSuccess)" ] &&
    ok "slapd keeps pwdLastSuccess" || fail "no pwdLastSuccess"

config=$(printf 'uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s' "$SLAPD_URI" \
    "$SLAPD_ADMIN_DN" "$SLAPD_ADMIN_PWFILE" "$SLAPD_PEOPLE")
expect_rc 0 "the directory as a system" pw 'demo\ndemo\n' act system.add \
    name=dir type=ldap title=directory conf=2 integ=2 avail=2 \
    "config=$config" --user demo-admin --approver demo-approver
for u in user0001 user0002 user0003; do
	expect_rc 0 "adopt $u" pw 'demo\n' act id.adopt system=dir login=$u \
	    kind=service --user demo-admin
done

# findings [FAKETIME] ARGS...: as of now, or with the clock moved.
findings() {
	_ft=$1
	shift
	set +e
	OUT=$(faketime_run "$_ft" "$DAICHO" --config "$T/cli.conf" findings \
	    --dir "$D" --format tsv "$@" 2>"$T/err")
	rc=$?
	set -e
}
dormant() { printf '%s\n' "$OUT" | awk -F'\t' '$1 == "dormant" { print $3 }' |
    tr '\n' ' '; }

findings '+0'
[ "$rc" = 0 ] && ok "today: no findings" || fail "today: exit $rc: $OUT $(cat "$T/err")"
findings '+89d'
[ "$rc" = 0 ] && ok "89 days on: none (dormant_days is 90)" ||
    fail "89 days: exit $rc: $OUT"
findings '+100d'
[ "$rc" = 1 ] && [ "$(dormant)" = "dir/user0001 dir/user0003 " ] &&
    ok "100 days on: user0001 and user0003 are dormant, user0002 (never) not" ||
    fail "100 days: exit $rc: $OUT $(cat "$T/err")"
expect_out "^dormant	low	dir/user0001	last used on [0-9-]+, over 90 days ago	lock$" \
    "severity low, the date of the last use, remedy lock"
cp "$T/cli.conf" "$T/long.conf"
printf 'dormant_days = 200\n' >>"$T/long.conf"
set +e
OUT=$(faketime_run '+100d' "$DAICHO" --config "$T/long.conf" findings \
    --dir "$D" --format tsv)
rc=$?
set -e
[ "$rc" = 0 ] && ok "dormant_days = 200: none at 100 days" ||
    fail "dormant_days 200: exit $rc: $OUT"

printf 'demo\n' >"$T/answers"
expect_rc 0 "lock user0003 as dormant" env \
    LD_PRELOAD="$PW_PRELOAD $FAKETIME_LIB" FAKETIME='+100d' PAM_WRAPPER=1 \
    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
    findings remedy dormant lock --subject dir/user0003 --yes --dir "$D" \
    --user demo-admin --askpass-fd 3 3<"$T/answers"
expect_out "^id.lock dir/user0003: done$" "done"
expect_out "targets: 1 applied, 0 failed" "applied to the directory"
findings '+100d'
[ "$(dormant)" = "dir/user0001 " ] &&
    ok "user0003, locked, is no longer dormant; user0001 still is" ||
    fail "after the lock: $OUT"

# A stocktake 100 days on judges by the last use the directory reports:
# user0001 dormant (a finding, revoke), user0003 locked but unused past
# dormant_days (revoke, no finding), user0002 never used (keep).  Under
# dormant_days = 200 the same IDs are kept.  The entry records the
# dormant_days it judged by, so replay (which reads no daicho.conf)
# rebuilds both campaigns' items as they were.
deadline=$(date -u -d '+130 days' +%Y-%m-%d)
stocktake_start() {
	expect_rc 0 "a stocktake 100 days on ($1)" env \
	    LD_PRELOAD="$PW_PRELOAD $FAKETIME_LIB" FAKETIME='+100d' \
	    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" \
	    --config "$T/$1" stocktake start --scope system:dir --deadline \
	    "$deadline" --dir "$D" --user demo-admin --askpass-fd 3 \
	    3<"$T/answers"
}
items() {
	sqlite3 "$D/daicho.db" "SELECT login || ':' || findings || ':' ||
	    recommendation || ':' || (last_use IS NOT NULL) FROM
	    stocktake_item WHERE campaign = (SELECT max(idx) FROM stocktake)
	    ORDER BY login" | tr '\n' ' '
}
stocktake_start cli.conf
[ "$(items)" = "user0001:dormant:revoke:1 user0002::keep:0 user0003::revoke:1 " ] &&
    ok "user0001 dormant, user0003 unused: both revoke; user0002 keep" ||
    fail "the items: $(items)"
stocktake_start long.conf
[ "$(items)" = "user0001::keep:1 user0002::keep:0 user0003::keep:1 " ] &&
    ok "dormant_days = 200: all three kept" || fail "the items: $(items)"
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" \
    "each campaign judged by its entry's dormant_days"
finish
