# tests/exec-safety.sh -- issue 8 end to end, through "daicho act" and the
# outbox: an exec system's program must not inherit the --askpass-fd
# descriptor (two operators' passwords) or anything else above 2, and a
# program whose path someone else can change is refused, naming the path,
# without ever running.  The unit cases (a file swapped after the check,
# sticky directories, other users' directories, values a request cannot
# carry) are in tests/test-exec.c.
. "$srcdir/tests/lib.sh"
need flock
pam_wrapper_lock

demo_cli "$T/demo"
printf 'demo\ndemo\n' >"$T/answers"

# act ARGS...: as pw does, but the answers on descriptor 5, so that it
# cannot be mistaken for a #! script's own descriptor 3.
act() {
	env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
	    act --dir "$D" --askpass-fd 5 "$@" 5<"$T/answers"
}

# The probe: what it holds above 2 (ls inherits the shell's descriptors
# that are not close-on-exec), and what it can read from each.
mkdir -m 755 "$T/bin"
cat >"$T/bin/probe" <<EOP
#!/bin/sh
cat >/dev/null
ls -l /proc/self/fd/ >"$T/fds.txt" 2>&1
for n in 3 4 5 6 7 8 9 10 11 12; do
	timeout 1 head -c 64 /proc/\$\$/fd/\$n >>"$T/read.txt" 2>/dev/null
done
echo ok
EOP
chmod 755 "$T/bin/probe"

expect_rc 0 "an exec system with the probe" \
    act system.add name=probe type=exec title=probe conf=1 integ=1 avail=1 \
    "config=program=$T/bin/probe" --user demo-admin --approver demo-approver
expect_rc 0 "id.create reaches the probe" \
    act id.create system=probe login=yamada kind=personal owner=E0000001 \
    --user demo-admin
expect_out "1 applied, 0 failed" "the probe ran"
# Above 2 only the script itself (its interpreter reads it as /dev/fd/3)
# and ls's own listing of /proc/self/fd may appear.
extra=$(awk '$9 ~ /^[0-9]+$/ && $9 > 2 && $11 != "'"$T/bin/probe"'" &&
    $11 !~ "^/proc/[0-9]+/fd/?$" { print $9 " -> " $11 }' "$T/fds.txt")
if [ -z "$extra" ] && [ -s "$T/fds.txt" ]; then
	ok "the program holds no descriptor of daicho's"
else
	fail "the program holds descriptors: $extra
$(cat "$T/fds.txt")"
fi
if grep -qx demo "$T/read.txt" 2>/dev/null; then
	fail "the program read the operators' passwords: $(cat "$T/read.txt")"
else
	ok "the program cannot read the passwords"
fi

expect_rc 2 "--askpass-fd of a closed descriptor is refused" \
    "$DAICHO" act --dir "$D" --askpass-fd 99 id.lock system=probe \
    login=yamada --user demo-admin
expect_out "askpass-fd 99: Bad file descriptor" "it says why"

# A program in a directory its group may write: refused, naming the
# directory; the program never runs, so the system is untouched.
mkdir -m 775 "$T/shared"
cat >"$T/shared/prog" <<EOP
#!/bin/sh
cat >/dev/null
touch "$T/shared.ran"
echo ok
EOP
chmod 755 "$T/shared/prog"
expect_rc 0 "a system whose program is in a group-writable directory" \
    act system.add name=shared type=exec title=shared conf=1 integ=1 \
    avail=1 "config=program=$T/shared/prog" --user demo-admin \
    --approver demo-approver
before=$(entries_of)
expect_rc 1 "id.create on it fails" \
    act id.create system=shared login=sato kind=personal owner=E0000002 \
    --user demo-admin
expect_out "0 applied, 1 failed" "the target refused it"
"$DAICHO" log --dir "$D" >"$T/log"
if grep -q "error=exec: $T/shared (on the way to $T/shared/prog) is writable by group or others" "$T/log"; then
	ok "the refusal names the directory, in the ledger"
else
	fail "no refusal naming $T/shared: $(grep 'system=shared' "$T/log")"
fi
[ ! -e "$T/shared.ran" ] && ok "the program never ran" ||
    fail "the program in a group-writable directory ran"
[ "$(entries_of)" -eq $((before + 2)) ] &&
    ok "the ledger has the action and its failed result, nothing else" ||
    fail "entries: $before -> $(entries_of)"

# The program as a symbolic link (to the probe, a safe file): refused.
ln -s "$T/bin/probe" "$T/link"
expect_rc 0 "a system whose program is a symbolic link" \
    act system.add name=linked type=exec title=linked conf=1 integ=1 \
    avail=1 "config=program=$T/link" --user demo-admin \
    --approver demo-approver
expect_rc 1 "id.create on it fails" \
    act id.create system=linked login=suzuki kind=personal owner=E0000003 \
    --user demo-admin
"$DAICHO" log --dir "$D" | grep -q "error=exec: $T/link is a symbolic link" &&
    ok "the link is refused, named" || fail "no refusal of $T/link"

finish
