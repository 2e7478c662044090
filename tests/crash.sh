# tests/crash.sh -- kill -9 at random points of a 5,000-account emergency
# lockout, 20 times; after each, restart and check that nothing was lost
# and nothing was done twice (issue 4, section 6).
#
# The city (bench/mkcity, the generator the benchmarks use): a unix root
# whose passwd, shadow, group and gshadow have 5,200 lines each, 5,000 of
# the accounts registered in a data directory through id.adopt.  Made
# once, then copied into place for every run (the system's configuration
# names the root's path, so the copies always sit at the same path).
#
# First one uninterrupted "daicho lockout --scope system:city --yes" (the
# CLI: PAM through pam_wrapper, incident.lock, then the outbox drives the
# unix target and records a result per account) has its end state
# checked, and three more measure its duration D.  Then each run starts
# the same lockout and kills it with SIGKILL after a delay: run i at a
# random point of the i-th twentieth of D, so the kills spread over the
# whole lockout.  Where each kill landed is read from a copy of the
# remains (the real directory is left for daicho to recover): before the
# incident was committed, after it but before the target, during the
# target's rewrite (its lock or temporary files are there), during the
# recording of the results, or after them.  The target's rewrite takes a
# few milliseconds, less than the jitter of starting a process, so the
# last three runs aim at any phase that must be hit (before the commit,
# the rewrite, the recording) and was not: by watching for the target's
# files (kill when the first lock or the new shadow appears, or a random
# time after the target's backup appeared) or, for the commit, by a delay
# below the earliest kill that found the incident.  The test fails if a
# required phase was still never hit.
#
# The restart is what an operator would do: when no incident was
# recorded, run the lockout again; then "daicho outbox run" until nothing
# is pending.  Then:
#  - daicho verify and daicho verify --replay pass;
#  - the ledger holds exactly one incident.lock, and exactly one applied
#    outbox.result for each of the 5,000 accounts, for no other account,
#    and no failed one (a failure would mean the restart was refused, for
#    example by a stale lock file);
#  - the outbox has no pending or failed row, every ID is locked;
#  - in shadow each of the 5,000 has exactly one '!' before its unchanged
#    hash (never "!!": locked once), the 200 other lines are unchanged,
#    and passwd, group and gshadow are byte for byte as they were;
#  - pwck -r -R and grpck -r -R accept the files;
#  - no NAME.lock, NAME+ or NAME-+ is left in ROOT/etc.
# The checker is first shown a doctored shadow (one account locked twice,
# one not at all) and must refuse it.
#
# Needs root (pwck -R chroots) and pam_wrapper.  CRASH_RUNS (20),
# CRASH_IDS (5000) and CRASH_LINES (5200) change the size; MKCITY names
# the generator (default beside daicho, in bench/).
. "$srcdir/tests/lib.sh"
need flock sqlite3 pwck grpck od cmp

if [ "$(id -u)" != 0 ]; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs root (chroot for pwck -R)" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs root (chroot for pwck -R)" >&2
	exit 77
fi

B=$(dirname "$DAICHO")
MKCITY=${MKCITY:-$B/bench/mkcity}
if [ ! -x "$MKCITY" ]; then
	echo "FATAL: $MKCITY is not built" >&2
	exit 99
fi
RUNS=${CRASH_RUNS:-20}
N=${CRASH_IDS:-5000}
LINES=${CRASH_LINES:-5200}

# pam_wrapper's test modules (Debian: libpam-wrapper).
PW_MOD=
if command -v pkg-config >/dev/null 2>&1 &&
    pkg-config --exists pam_wrapper 2>/dev/null; then
	PW_MOD=$(pkg-config --variable=modules pam_wrapper)
fi
if [ -z "$PW_MOD" ] || [ ! -f "$PW_MOD/pam_matrix.so" ]; then
	for d in /usr/lib/*-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
		if [ -f "$d/pam_wrapper/pam_matrix.so" ]; then
			PW_MOD=$d/pam_wrapper
			break
		fi
	done
fi
if [ -z "$PW_MOD" ] || [ ! -f "$PW_MOD/pam_matrix.so" ]; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs pam_wrapper (libpam-wrapper)" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs pam_wrapper (libpam-wrapper)" >&2
	exit 77
fi
pam_wrapper_lock

# The operator's PAM service: pam_matrix with a synthetic password.
P=$T/pam
mkdir -p "$P"
printf 'demo-admin:crash-synthetic-pw:daicho-password\n' >"$P/passdb"
printf 'auth required %s/pam_matrix.so passdb=%s\naccount required %s/pam_matrix.so passdb=%s\n' \
    "$PW_MOD" "$P/passdb" "$PW_MOD" "$P/passdb" >"$P/daicho-password"
printf 'auth required pam_deny.so\naccount required pam_deny.so\npassword required pam_deny.so\nsession required pam_deny.so\n' \
    >"$P/other"
printf 'crash-synthetic-pw\n' >"$T/answers"
printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\n' \
    >"$T/cli.conf"
chmod 600 "$P"/* "$T/answers" "$T/cli.conf"

# The city, made once at the path the runs use, then kept as a template.
W=$T/w
TPL=$T/template
mkdir -p "$W"
if ! "$MKCITY" unix "$W/data" "$W/root" "$LINES" "$N" >"$T/mkcity.out" \
    2>&1; then
	cat "$T/mkcity.out" >&2
	echo "FATAL: mkcity failed" >&2
	exit 99
fi
sqlite3 "$W/data/daicho.db" "SELECT login FROM account WHERE system = \
    'city' ORDER BY login" >"$T/ids"
[ "$(wc -l <"$T/ids")" -eq "$N" ] && ok "the city: $N IDs on $LINES lines" ||
    fail "mkcity registered $(wc -l <"$T/ids") IDs"
if pwck -r -R "$W/root" >"$T/pwck.out" 2>&1 &&
    grpck -r -R "$W/root" >>"$T/pwck.out" 2>&1; then
	ok "pwck and grpck accept the city's files"
else
	fail "pwck/grpck refuse the city's files: $(cat "$T/pwck.out")"
fi
mv "$W" "$TPL"
ETC0=$TPL/root/etc

now() {
	date +%s.%N
}

# lockout: the CLI's emergency lockout of the whole system, as the
# operator would run it, authenticated through pam_wrapper.
# lockout_exec is the same, exec'd: run in the background, $! is daicho.
lockout() {
	(lockout_exec)
}
lockout_exec() {
	exec env LD_PRELOAD="$PW_PRELOAD" PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$P" "$DAICHO" --config "$T/cli.conf" \
	    lockout --dir "$W/data" --scope system:city --user demo-admin \
	    --yes --askpass-fd 3 3<"$T/answers"
}

# sql QUERY [DB]: on the run's database, or DB.
sql() {
	sqlite3 "${2:-$W/data/daicho.db}" "$1"
}

# entries ACTION [DB]: the entries of ACTION, one a line, lines joined by
# '|'.
entries() {
	sql "SELECT replace(CAST(data AS TEXT), char(10), '|') FROM \
	    ledger_entry WHERE instr(CAST(data AS TEXT), char(10) || \
	    'action $1' || char(10)) > 0" "${2:-}"
}

# leftovers DIR: the lock and temporary files the target (and
# shadow-utils) name: NAME.lock, NAME+, NAME-+.
leftovers() {
	(cd "$1" && for f in *.lock *+; do
		[ -e "$f" ] && printf '%s ' "$f"
	done) || true
}

# pidfiles DIR: NAME.PID, the files a lock is linked from.
pidfiles() {
	(cd "$1" && for f in passwd.[0-9]* shadow.[0-9]* group.[0-9]* \
	    gshadow.[0-9]*; do
		[ -e "$f" ] && printf '%s ' "$f"
	done) || true
}

# check_shadow ROOT: each registered account locked exactly once over
# its unchanged hash, every other line as it was.  Prints what is wrong.
check_shadow() {
	awk -F: -v idsf="$T/ids" -v tplf="$ETC0/shadow" '
	BEGIN {
		while ((getline l < idsf) > 0)
			id[l] = 1
		while ((getline l < tplf) > 0) {
			split(l, f, ":")
			tpl[f[1]] = l
			hash[f[1]] = f[2]
		}
	}
	{
		seen[$1] = 1
		if ($1 in id) {
			if ($2 != "!" hash[$1]) {
				bad++
				if (bad <= 3)
					print "  " $1 ": hash field " \
					    substr($2, 1, 6) "..."
			}
		} else if ($0 != tpl[$1]) {
			bad++
			if (bad <= 3)
				print "  " $1 " changed: " substr($0, 1, 12) "..."
		}
	}
	END {
		for (u in tpl)
			if (!(u in seen)) {
				bad++
				print "  " u " is missing"
			}
		if (bad > 0)
			print bad " lines wrong"
	}' "$1/etc/shadow"
}

# check_results: one applied outbox.result per registered account, none
# for another, none failed.  Prints what is wrong.
check_results() {
	entries outbox.result | awk -F'|' -v idsf="$T/ids" '
	BEGIN {
		while ((getline l < idsf) > 0)
			id[l] = 1
	}
	{
		login = ""; result = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^a\.login /)
				login = substr($i, 9)
			if ($i ~ /^a\.result /)
				result = substr($i, 10)
		}
		if (result == "applied")
			applied[login]++
		else {
			failed++
			if (failed <= 3)
				print "  " login ": result " result
		}
	}
	END {
		for (u in id)
			if (applied[u] != 1) {
				wrong++
				if (wrong <= 3)
					print "  " u ": " applied[u] + 0 \
					    " applied results"
			}
		for (u in applied)
			if (!(u in id)) {
				wrong++
				print "  " u ": a result for an account " \
				    "not in the lockout"
			}
		if (failed + wrong > 0)
			print failed + 0 " failed results, " wrong + 0 \
			    " accounts without exactly one applied"
	}'
}

# check_all RUN: the end state after a (restarted) lockout.  pwck and
# grpck take seconds on 5,200 lines (a lookup per line): they run while
# the rest is checked.
check_all() {
	r=$1
	pwck -r -R "$W/root" >"$T/pwck.out" 2>&1 &
	pw=$!
	grpck -r -R "$W/root" >"$T/grpck.out" 2>&1 &
	gr=$!
	expect_rc 0 "$r: daicho verify" "$DAICHO" verify --dir "$W/data"
	expect_rc 0 "$r: daicho verify --replay" "$DAICHO" verify \
	    --dir "$W/data" --replay
	n=$(entries incident.lock | wc -l)
	[ "$n" -eq 1 ] && ok "$r: one incident.lock entry" ||
	    fail "$r: $n incident.lock entries"
	out=$(check_results)
	[ -z "$out" ] && ok "$r: one applied outbox.result per account" ||
	    fail "$r: outbox.result entries:
$out"
	n=$(sql "SELECT count(*) FROM outbox WHERE state != 'applied'")
	t=$(sql "SELECT count(*) FROM outbox")
	[ "$n" -eq 0 ] && [ "$t" -eq "$N" ] &&
	    ok "$r: the outbox drained ($t applied)" ||
	    fail "$r: outbox has $n of $t rows not applied"
	n=$(sql "SELECT count(*) FROM account WHERE system = 'city' AND \
	    state = 'locked'")
	[ "$n" -eq "$N" ] && ok "$r: every ID is locked in the ledger" ||
	    fail "$r: $n IDs locked in the ledger"
	out=$(check_shadow "$W/root")
	[ -z "$out" ] && ok "$r: shadow: each account locked exactly once" ||
	    fail "$r: shadow:
$out"
	if cmp -s "$ETC0/passwd" "$W/root/etc/passwd" &&
	    cmp -s "$ETC0/group" "$W/root/etc/group" &&
	    cmp -s "$ETC0/gshadow" "$W/root/etc/gshadow"; then
		ok "$r: passwd, group and gshadow untouched"
	else
		fail "$r: passwd, group or gshadow changed"
	fi
	if wait "$pw" && wait "$gr"; then
		ok "$r: pwck and grpck accept the files"
	else
		wait "$gr" || true
		fail "$r: pwck/grpck: $(cat "$T/pwck.out" "$T/grpck.out")"
	fi
	left=$(leftovers "$W/root/etc")
	[ -z "$left" ] && ok "$r: no lock or temporary file left" ||
	    fail "$r: left in etc: $left"
}

fresh() {
	rm -rf "$W"
	cp -a "$TPL" "$W"
}

# The checker must be able to say no: a shadow with one account locked
# twice and one not locked at all.
fresh
"$DAICHO" verify --dir "$W/data" >/dev/null
awk -F: -v OFS=: 'NR == FNR { id[$1] = FNR; next }
    id[$1] == 1 { $2 = "!!" $2 } id[$1] > 2 { $2 = "!" $2 } { print }' \
    "$T/ids" "$ETC0/shadow" >"$W/root/etc/shadow"
out=$(check_shadow "$W/root")
printf '%s\n' "$out" | grep -q '^2 lines wrong' &&
    ok "the checker refuses a double lock and a missing one" ||
    fail "the checker let a doctored shadow pass: $out"

# spin FILE PID: until ROOT/etc/FILE exists or PID is gone.
spin() {
	while [ ! -e "$W/root/etc/$1" ] && kill -0 "$2" 2>/dev/null; do
		:
	done
}

# 1. One lockout, uninterrupted: the end state.  Then its duration D,
# started and waited for as the kills will be, and R, the time from the
# target's end (its shadow- backup appears) to the process's: the median
# of three each.
fresh
expect_rc 0 "an uninterrupted lockout of $N IDs" lockout
expect_out "targets: $N applied, 0 failed" "all $N applied at once"
check_all "uninterrupted"
: >"$T/durations"
for k in 1 2 3; do
	fresh
	t0=$(now)
	lockout_exec >"$T/run.log" 2>&1 &
	pid=$!
	spin shadow- "$pid"
	t1=$(now)
	wait "$pid" || fail "timing run $k: exit $?: $(cat "$T/run.log")"
	t2=$(now)
	echo "$t0 $t1 $t2" | awk '{ printf "%.4f %.4f\n", $3 - $1, $3 - $2 }' \
	    >>"$T/durations"
done
D=$(awk '{ print $1 }' "$T/durations" | sort -n | sed -n 2p)
R=$(awk '{ print $2 }' "$T/durations" | sort -n | sed -n 2p)

# 2. The kills.
phase_name() {
	case $1 in
	1) echo "before the incident commit" ;;
	2) echo "after the commit, before the target" ;;
	3) echo "during the target's rewrite" ;;
	4) echo "during the result recording" ;;
	5) echo "after the results" ;;
	6) echo "after the process had finished" ;;
	esac
}
: >"$T/kills"
aimed=0
rand() {
	od -An -N2 -tu2 /dev/urandom | tr -d ' '
}
hit() {
	awk -v p="$1" '$2 == p { f = 1 } END { exit !f }' "$T/kills"
}
# plan RUN: "time SECONDS", a random point of the RUN-th of RUNS equal
# parts of D; or, in the last three runs, aimed at a required phase that
# no kill has hit yet.  The target's rewrite is a few milliseconds, less
# than the jitter of a process start, so it is aimed at by its files:
# "file NAME 0", kill when ROOT/etc/NAME appears (the first lock, or the
# new shadow being written); the recording by "file shadow- SECONDS",
# that long after the target's backup appeared, within R.
plan() {
	u=$(rand)
	if [ "$1" -gt $((RUNS - 3)) ]; then
		if ! hit 3; then
			[ $((u % 2)) -eq 0 ] && echo "file passwd.lock 0" ||
			    echo "file shadow+ 0"
			return 0
		fi
		if ! hit 1; then
			# Before the earliest kill that found the incident.
			awk -v u="$u" -v d="$D" 'BEGIN { hi = d }
			    $2 > 1 && $1 < hi { hi = $1 }
			    END { printf "time %.4f\n", hi * u / 65536 }' \
			    "$T/kills"
			return 0
		fi
		if ! hit 4; then
			awk -v u="$u" -v r="$R" 'BEGIN {
			    printf "file shadow- %.4f\n", 0.8 * r * u / 65536 }'
			return 0
		fi
	fi
	awk -v i="$1" -v n="$RUNS" -v u="$u" -v d="$D" \
	    'BEGIN { printf "time %.4f\n", d * (i - 1 + u / 65536) / n }'
}

i=0
while [ "$i" -lt "$RUNS" ]; do
	i=$((i + 1))
	fresh
	# shellcheck disable=SC2046 # the plan is split into its words
	set -- $(plan "$i")
	t0=$(now)
	lockout_exec >"$T/run.log" 2>&1 &
	pid=$!
	if [ "$1" = time ]; then
		sleep "$2"
	else
		spin "$2" "$pid"
		[ "$3" = 0 ] || sleep "$3"
	fi
	kill -9 "$pid" 2>/dev/null || true
	t1=$(now)
	rc=0
	wait "$pid" 2>/dev/null || rc=$?
	if [ "$1" = time ]; then
		dl=$2
		how="kill at ${dl}s"
	else
		dl=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
		how="kill ${3}s after $2 appeared, at ~${dl}s"
		aimed=$((aimed + 1))
	fi

	# Where it landed, from a copy: the real remains are daicho's to
	# recover.
	left=$(leftovers "$W/root/etc")
	rm -rf "$T/snap"
	cp -a "$W/data" "$T/snap"
	inc=$(sql "SELECT count(*) FROM incident" "$T/snap/daicho.db")
	incs=$(entries incident.lock "$T/snap/daicho.db" | wc -l)
	done_=$(sql "SELECT count(*) FROM outbox WHERE state = 'applied'" \
	    "$T/snap/daicho.db")
	rm -rf "$T/snap"
	locked=$(awk -F: 'NR == FNR { id[$1] = 1; next }
	    ($1 in id) && $2 ~ /^!/ { n++ } END { print n + 0 }' \
	    "$T/ids" "$W/root/etc/shadow")
	if [ "$rc" -ne 137 ]; then
		ph=6
	elif [ "$inc" -eq 0 ]; then
		ph=1
	elif [ -n "$left" ]; then
		ph=3
	elif [ "$locked" -eq 0 ]; then
		ph=2
	elif [ "$done_" -lt "$N" ]; then
		ph=4
	else
		ph=5
	fi
	echo "$dl $ph" >>"$T/kills"
	# Finished already: the later parts spread over a shorter D.
	if [ "$ph" -eq 6 ] && [ "$1" = time ]; then
		D=$(awk -v a="$dl" -v d="$D" 'BEGIN { print (a < d ? a : d) }')
	fi
	r="run $i ($how, $(phase_name $ph))"
	if [ "$ph" -le 2 ] && [ "$locked" -ne 0 ]; then
		fail "$r: $locked accounts locked on the system before the \
outbox ran"
	fi
	[ "$incs" -eq "$inc" ] ||
	    fail "$r: $incs incident.lock entries but $inc incidents"

	# The restart.
	if [ "$inc" -eq 0 ]; then
		expect_rc 0 "$r: the lockout again" lockout
	fi
	k=0
	while :; do
		k=$((k + 1))
		expect_rc 0 "$r: daicho outbox run" "$DAICHO" outbox run \
		    --dir "$W/data"
		[ "$(sql "SELECT count(*) FROM outbox WHERE state = \
		    'pending'")" -eq 0 ] && break
		if [ "$k" -ge 5 ]; then
			fail "$r: still pending after $k outbox runs"
			break
		fi
	done
	before=$FAILED
	check_all "$r"
	if [ "$FAILED" -ne "$before" ]; then
		rm -rf "$T/failed-run$i"
		mv "$W" "$T/failed-run$i"
		echo "# run $i kept in $T/failed-run$i" >&2
	fi
	p=$(pidfiles "${W}/root/etc" 2>/dev/null)
	[ -n "$p" ] && echo "# run $i: the target left its lock's link" \
	    "file behind: $p(harmless: the next run's name differs)"
done

summary=$(awk '{ n[$2]++ } END {
	for (p = 1; p <= 6; p++) printf "%d ", n[p] + 0 }' "$T/kills")
# shellcheck disable=SC2086 # six counts, split
set -- $summary
echo "# lockout took $(awk '{ print $1 }' "$T/durations" | sort -n |
    tr '\n' ' ')s;" \
    "$RUNS kills ($aimed aimed by file): $1 before the incident commit," \
    "$2 after it before the target, $3 during the target's rewrite, $4" \
    "during the result recording, $5 after the results, $6 after the" \
    "process had finished"
[ "$1" -gt 0 ] && [ "$3" -gt 0 ] && [ "$4" -gt 0 ] &&
    ok "kills landed before the commit, in the rewrite and in the recording" ||
    fail "the kills missed a phase that must be hit (see the summary)"
finish
