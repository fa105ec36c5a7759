#!/usr/bin/env bash
# NAME allocation failures injected into klua's allocations end each operation with a result or a clean error, and klua works on after
# TIMEOUT 600
#
# The debug kernel only (it skips elsewhere): failslab and fail_page_alloc,
# with their stack trace filter set to the module's memory (/proc/modules:
# its text comes first), fail a share of every slab or page allocation made
# with klua's code on the stack: the Lua heap, netlink replies, events,
# timers, the states themselves. Under each of several settings (a
# probability, or every Nth allocation) the shell creates states, runs
# chunks that allocate (tables, strings, string.rep, concatenation, load,
# print, errors and error objects, pcall, JSON output, timers in softirq,
# require), lists, watches and destroys them. Each operation must end, within
# 60 s, with exit status 0 and the right output, or exit status 1 and a
# message; a watcher must end when its state is destroyed. The injection must
# have failed some allocations and some operations. With injection off, every
# state left must answer, be destroyed, and a new state must work. The runner
# then checks the kernel log of the whole case (BUG, KASAN, lockdep...).
set -euo pipefail
source tests/vm/lib/c_common.sh

FS=/sys/kernel/debug/failslab
FP=/sys/kernel/debug/fail_page_alloc
if [[ ! -e $FS/require-start || ! -e $FP/require-start ]]; then
	echo "needs failslab and fail_page_alloc with a stack trace filter in debugfs: the debug kernel (tests/vm/run --kernel debug)"
	exit 77
fi
c_module_loaded || c_fail "klua is not loaded"
T=$KLUA_CASE_TMP
TIMES=1000000

# The module's memory: its text is at the address that /proc/modules gives,
# and the size there covers all of its regions.
read -r START END <<<"$(python3 -c '
for line in open("/proc/modules"):
    f = line.split()
    if f[0] == "klua":
        base = int(f[5], 16)
        print(hex(base), hex(base + int(f[1])))
')"
[[ $START != 0x0 ]] || c_fail "/proc/modules hides klua's address"
c_note "klua's memory: $START-$END"

# inject_off adds the failures of the injection that it ends to $injected.
inject_off() {
	echo 0 >"$FS/probability"
	echo 0 >"$FP/probability"
	injected=$((injected + 2 * TIMES - $(cat "$FS/times") - $(cat "$FP/times")))
	echo "$TIMES" >"$FS/times"
	echo "$TIMES" >"$FP/times"
}

# inject PERCENT [INTERVAL]: fail PERCENT % of the allocations made with
# klua's code in the 32 innermost frames, or every INTERVALth of them.
inject() {
	local d
	inject_off
	for d in "$FS" "$FP"; do
		echo "$START" >"$d/require-start"
		echo "$END" >"$d/require-end"
		echo 0 >"$d/reject-start"
		echo 0 >"$d/reject-end"
		echo 32 >"$d/stacktrace-depth"
		echo "${2:-1}" >"$d/interval"
		echo 0 >"$d/space"
		echo 0 >"$d/verbose"
		echo N >"$d/task-filter"
		echo N >"$d/ignore-gfp-wait"
	done
	echo N >"$FS/cache-filter"
	echo N >"$FP/ignore-gfp-highmem"
	echo 0 >"$FP/min-order"
	echo "$1" >"$FS/probability"
	echo "$1" >"$FP/probability"
}

ops=0 ok=0 failed_ops=0 injected=0
# times counts down the failures left to inject: it counts them.
for d in "$FS" "$FP"; do
	echo 0 >"$d/probability"
	echo "$TIMES" >"$d/times"
done
declare -A STATES=()

# op WANT CMD...: CMD (a klua command) must end within 60 s with exit
# status 0 and, unless WANT is "-", stdout WANT; or with exit status 1 and
# a message (on stderr, or with --json an error line).
op() {
	local want=$1 rc=0
	shift
	ops=$((ops + 1))
	timeout -k 5 60 "$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?
	case $rc in
	0)
		if [[ $want != - && $(cat "$T/out") != "$want" ]]; then
			c_fail "$* ended with 0 but printed '$(head -c 300 "$T/out")', not '$want' (stderr: $(head -c 300 "$T/err"))"
		fi
		ok=$((ok + 1))
		;;
	1)
		# The message: on stderr, or (--json) an error line on stdout.
		[[ -s $T/err ]] || jq -e 'select(.type == "error") | .data.message' "$T/out" >/dev/null 2>&1 ||
			c_fail "$* ended with 1 and no message (stdout: $(head -c 300 "$T/out"))"
		failed_ops=$((failed_ops + 1))
		;;
	124 | 137) c_fail "$* did not end within 60 s (stderr: $(head -c 300 "$T/err"))" ;;
	*) c_fail "$* ended with status $rc (stderr: $(head -c 300 "$T/err"))" ;;
	esac
	return "$rc"
}

# Chunks whose value userspace Lua computes the same (integers, strings).
PURE=(
	'local t = {} for i = 1, 300 do t[i] = {i, tostring(i), x = i * 2} end local s = 0 for _, v in ipairs(t) do s = s + v.x end return s'
	'local p = {} for i = 1, 200 do p[i] = string.format("%d:%s", i, ("k"):rep(i % 17)) end return #table.concat(p, ",")'
	'return #string.rep("abc", 5000, ",")'
	'local s = "" for i = 1, 150 do s = s .. i .. ";" end return #s'
	'local n = 0 for i = 1, 50 do local ok, e = pcall(error, {code = i}) if not ok and e.code == i then n = n + 1 end end return n'
	'return load("return " .. string.rep("1 + ", 200) .. "1")()'
	'local t = setmetatable({}, {__index = function(_, k) return k .. k end}) return t.abc .. t[string.rep("x", 40)]'
	'local u = {} for i = 1, 100 do u[string.rep("k", i % 13) .. i] = i end local n = 0 for _ in pairs(u) do n = n + 1 end return n'
)
WANT=()
for chunk in "${PURE[@]}"; do
	WANT+=("$(lua5.4 -e "io.write(tostring((function() $chunk end)()))")")
done

# The operations on one state, some of which must fail with an error.
exercise() {
	local s=$1 i
	for i in "${!PURE[@]}"; do
		op "${WANT[$i]}" klua -s "$s" -e "${PURE[$i]}" || true
	done
	# print: 30 lines, then the value. A line the kernel could not keep
	# is counted lost ("klua: N events lost" on stderr), never dropped.
	local lines lost
	if op - klua -s "$s" -e 'for i = 1, 30 do print("line " .. i, string.rep("p", 40)) end return 30'; then
		lines=$(wc -l <"$T/out")
		lost=$(sed -n 's/^klua: \([0-9]*\) events\{0,1\} lost.*/\1/p' "$T/err" | awk '{ n += $1 } END { print n + 0 }')
		[[ $(tail -n1 "$T/out") == 30 && $((lines - 1 + lost)) == 30 ]] ||
			c_fail "print ended with 0: $lines lines, the last '$(tail -n1 "$T/out")', $lost lost (stderr: $(head -c 300 "$T/err"))"
	fi
	# Errors: a string, and an object with __tostring; never a success.
	! op - klua -s "$s" -e 'error("boom " .. string.rep("z", 100))' || c_fail "error() succeeded"
	! op - klua -s "$s" -e 'error(setmetatable({}, {__tostring = function() return "custom " .. string.rep("q", 50) end}))' ||
		c_fail "error(object) succeeded"
	! op - klua -s "$s" -e 'local t = nil; return t.x' || c_fail "indexing nil succeeded"
	if op - klua -s "$s" --json -e 'return {a = {1, 2, 3}, b = string.rep("j", 30), c = {d = {e = true}}}'; then
		jq -e 'select(.type == "result") | .data[0].c.d.e == true' "$T/out" >/dev/null ||
			c_fail "--json: $(head -c 300 "$T/out")"
	fi
	# Timers: callbacks that allocate, in softirq.
	op 5 klua -s "$s" -e 'for i = 1, 5 do timer.after(i, function() local t = {} for j = 1, 50 do t[j] = string.rep("t", j) end print(#t) end) end return 5' || true
	op - klua -s "$s" -e 'tk = timer.every(3, function() junk = {} for j = 1, 30 do junk[j] = tostring(j) .. "x" end end) return 1' || true
	op - klua -s "$s" -e 'big = big or {} for i = 1, 100 do big[#big + 1] = string.rep("g", 1000) .. i end return #big' || true
	op table klua -s "$s" -e 'return type(require("agg"))' || true
	op - klua -s "$s" -e 'collectgarbage() return collectgarbage("count") > 0' || true
	sleep 0.1
	op - klua -s "$s" -e 'return tk:stop()' || true
	op - klua state list || true
	op - klua state list --json || true
}

# round NAME PERCENT [INTERVAL]: states created under injection, then one
# state created without and exercised under injection, watched, destroyed.
round() {
	local name=$1 s rc=0 i n0=$injected
	shift
	inject "$@"
	for i in 1 2 3; do
		s=f95-$name-c$i
		if op - klua state create "$s"; then
			STATES[$s]=1
			if op - klua -s "$s" -e 'return 1'; then :; fi
			op - klua state destroy "$s" && unset "STATES[$s]" || true
		fi
	done
	inject_off
	s=f95-$name
	klua state create "$s" --memory 2M
	STATES[$s]=1
	c_watch "$s" "$T/watch.out" "$T/watch.err"
	inject "$@"
	exercise "$s"
	op - klua state destroy "$s" && unset "STATES[$s]" || true
	inject_off
	if [[ -n ${STATES[$s]:-} ]]; then
		klua state destroy "$s" || c_fail "destroying $s with injection off failed"
		unset "STATES[$s]"
	fi
	# The watcher ends with its state.
	c_wait 15 c_gone "$watcher" || c_fail "the watcher of $s did not end when $s was destroyed"
	wait "$watcher" || rc=$?
	[[ $rc == 0 || $rc == 1 ]] || c_fail "the watcher of $s ended with status $rc"
	if [[ -s $T/watch.out ]]; then
		jq -e . "$T/watch.out" >/dev/null || c_fail "the watcher printed a line that is not JSON"
	fi
	c_note "round $name: $((injected - n0)) allocations failed; so far $ops operations, $ok ok, $failed_ops failed cleanly"
	# A kernel problem ends the case at once, with the log.
	if dmesg | tail -n +"$((LOG0 + 1))" | python3 tests/vm/bin/kernel-log-problems >"$T/bad"; then :; else
		c_fail "the kernel logged a problem in round $name:"$'\n'"$(head -n 80 "$T/bad")"
	fi
}

cleanup() {
	inject_off
	c_kill "${watcher:-}"
	c_destroy "${!STATES[@]}"
}
trap cleanup EXIT

watcher=""
LOG0=$(dmesg | wc -l)
round p2 2
round p10 10
round nth3 100 3
round nth7 100 7
round nth29 100 29

[[ $injected -gt 0 ]] || c_fail "no allocation was failed: the injection did not reach klua"
[[ $failed_ops -gt 0 ]] || c_fail "no operation failed under injection"
c_note "$ops operations: $ok ok, $failed_ops failed cleanly; $injected allocations failed"

# Injection off: klua works as before.
for s in "${!STATES[@]}"; do
	[[ $(klua -s "$s" -e 'return 1 + 1') == 2 ]] || c_fail "$s does not answer after the injection"
	klua state destroy "$s"
	unset "STATES[$s]"
done
s=f95-after
klua state create "$s"
STATES[$s]=1
[[ $(klua -s "$s" -e 'local t = {} for i = 1, 1000 do t[i] = i end return #t') == 1000 ]] ||
	c_fail "a new state does not work after the injection"
klua state destroy "$s"
unset "STATES[$s]"
! klua state list | grep -q f95- || c_fail "states left: $(klua state list)"
