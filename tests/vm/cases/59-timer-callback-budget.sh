#!/usr/bin/env bash
# NAME a timer callback runs in softirq with at most callback_instructions (10^6) of its state's budget and callback_time of wall-clock time; the parameters change them
# TIMEOUT 60
#
# A state with a budget of 10^8 instructions a run arms a callback that
# allocates without end. The callback is cut at 10^6 instructions (module
# parameter callback_instructions), with kind "instructions" and that limit
# in its message, within seconds: without the cap it would hold a CPU in
# softirq for 10^8 (the runner fails a case on a soft lockup or RCU stall).
# An exec in the same state still gets the whole 10^8. With the parameter at
# 5000, the next callback stops at 5000; at 10^9, a callback is capped by
# the state's own budget. The instruction caps are tested with callback_time
# raised (emulation is slow); then callback_time at 20 ms ends a callback
# that may run 10^9 instructions with kind "time".
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c59-budget
param=/sys/module/klua/parameters/callback_instructions
tparam=/sys/module/klua/parameters/callback_time
old=$(cat "$param") old_time=$(cat "$tparam")
watcher=
cleanup() {
	c_kill "$watcher"
	echo "$old" >"$param"
	echo "$old_time" >"$tparam"
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
[[ $old == 1000000 ]] || c_fail "callback_instructions is $old, expected 1000000"
[[ $old_time == 50000 ]] || c_fail "callback_time is $old_time, expected 50000 (us)"
echo 600000000 >"$tparam"
c_long_times
klua state create "$S" --instructions 100000000
c_watch "$S"
out=$KLUA_CASE_TMP/watch.out

# errors_at_least N: the watcher has N callback error lines.
errors_at_least() {
	[[ $(jq -s '[.[] | select(.type == "error")] | length' "$out" 2>/dev/null) -ge $1 ]]
}
# callback_error N: waits for the Nth callback error line; prints its message.
callback_error() {
	c_wait 20 errors_at_least "$1" || c_fail "no callback error $1 in 20 s: $(cat "$out")"
	jq -r -s "[.[] | select(.type == \"error\")][$1 - 1].data | \"\(.kind): \(.message)\"" "$out"
}

klua -s "$S" -e 'timer.after(1, function() while true do local t = {} end end)'
got=$(callback_error 1)
[[ $got == "instructions: instruction limit of 1000000 exceeded" ]] || c_fail "callback 1: $got"

# An exec is not capped: 3 * 10^6 iterations need more than 10^6.
[[ $(klua -s "$S" -e 'local n = 0 for i = 1, 3000000 do n = n + 1 end return n') == 3000000 ]] ||
	c_fail "the exec was cut short"

echo 5000 >"$param"
klua -s "$S" -e 'timer.after(1, function() while true do end end)'
got=$(callback_error 2)
[[ $got == "instructions: instruction limit of 5000 exceeded" ]] || c_fail "callback 2: $got"

echo 1000000000 >"$param"
klua -s "$S" -e 'timer.after(1, function() while true do end end)'
got=$(callback_error 3)
[[ $got == "instructions: instruction limit of 100000000 exceeded" ]] || c_fail "callback 3: $got"

echo 20000 >"$tparam"
t0=$(c_ms)
klua -s "$S" -e 'timer.after(1, function() while true do end end)'
got=$(callback_error 4)
elapsed=$(($(c_ms) - t0))
[[ $got == "time: time limit of 20 ms exceeded" ]] || c_fail "callback 4: $got"
c_note "callbacks stopped at 10^6, 5000, the state's 10^8, and 20 ms (seen after $elapsed ms)"
