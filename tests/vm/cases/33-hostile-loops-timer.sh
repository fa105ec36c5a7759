#!/usr/bin/env bash
# NAME loops: the hostile C loops in a timer callback (softirq) end in an instructions error within seconds; the state runs on
# TIMEOUT 240
#
# The same loops as 33-hostile-loops.test, each in a timer.after callback: it
# runs in softirq, where a loop that is not charged holds the CPU (an RCU
# stall, then a hung kernel). Each callback must end in an "instructions"
# error event (callback_instructions, 10^6) within 20 s, which the state
# counts (errors); a callback whose work is small (string.rep of "", maxinteger
# times) just runs. Afterwards the state still runs chunks; the runner checks
# the kernel log.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=t33-timer
watcher=
cleanup() {
	c_kill "$watcher"
	c_callback_time_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
# the instruction cap is under test: emulation would reach callback_time first
c_callback_time 10000000
klua state create "$S" --memory 16M
c_watch "$S"
out=$KLUA_CASE_TMP/watch.out

# errors_at_least N: the watcher has N error lines.
errors_at_least() {
	[[ $(jq -s '[.[] | select(.type == "error")] | length' "$out" 2>/dev/null) -ge $1 ]]
}

# The work is small: the callback sets a global, read back by an exec.
klua -s "$S" -e 'timer.after(1, function() R = #string.rep("", math.maxinteger) .. #string.rep("", 1 << 62, "") end)'
c_wait 20 bash -c "[[ \$(klua -s $S -e 'return R') == 00 ]]" ||
	c_fail "string.rep of \"\" in a callback did not end: R is $(klua -s "$S" -e 'return R')"
c_note "string.rep(\"\", maxinteger) in a callback: \"\" at once"

n=0
while IFS= read -r body; do
	[[ -n $body ]] || continue
	n=$((n + 1))
	start=$(c_ms)
	klua -s "$S" -e "timer.after(1, function() $body end)"
	c_wait 20 errors_at_least "$n" || c_fail "callback $n ($body) did not end in 20 s: $(tail -c 300 "$out")"
	got=$(jq -r -s "[.[] | select(.type == \"error\")][$n - 1].data | \"\(.kind): \(.message)\"" "$out")
	[[ $got =~ ^instructions:\ .*instruction\ limit\ of\ 1000000\ exceeded$ ]] ||
		c_fail "callback $n ($body): $got"
	c_note "callback $n: $got in $(($(c_ms) - start)) ms: $body"
done <<'EOF'
table.remove(setmetatable({}, {__len = function() return math.maxinteger end}), 1)
table.insert(setmetatable({}, {__len = function() return math.maxinteger - 1 end}), 1, "x")
table.concat(setmetatable({}, {__index = function() return "" end}), "", math.mininteger, math.maxinteger)
local t = setmetatable({}, {}) getmetatable(t).__call = t t()
local t = {("x"):rep(1 << 16):byte(1, -1)} table.move({}, 1, 1 << 16, 1, t) for i = 1, 100000 do next(t) end
local a, b = ("x"):rep(1 << 20), ("x"):rep(1 << 20) for i = 1, 100000 do local _ = a < b end
local s = ("x"):rep(1 << 20) for i = 1, 100000 do local _ = s .. "y" end
local t = {[("k"):rep(1 << 20)] = 1} local k = ("k"):rep(1 << 20) for i = 1, 100000 do local _ = t[k] end
return #("b"):rep(1 << 16):match("[" .. ("a"):rep(1 << 16) .. "b]*")
local s = ("a"):rep(1 << 20) for i = 1, 100000 do s:find("a*") end
local s = "a" .. ("\x80"):rep(1 << 20) local f = utf8.codes(s) for i = 1, 100000 do pcall(f, s, 1) end
local t = {} for i = 1, 1 << 15 do t[i .. "k"] = true end for i = 1, 100000 do t[i .. "k"] = nil t[i .. "x"] = true end
load("local a = x" .. (" or x"):rep(30000)) for i = 1, 2 do end
local t = {} for i = 1, 10000 do t[i] = {} end for i = 1, 1000000 do collectgarbage() end
local s = ("x"):rep(1 << 20) for i = 1, 100000 do print(s) end
EOF

errors=$(c_field "$S" errors)
((errors == n)) || c_fail "the state counted $errors errors, expected $n"
[[ $(klua -s "$S" -e 'return "alive"') == alive ]] || c_fail "the state does not run chunks any more"
c_note "$n callbacks ended in instructions errors, counted; the state runs on"
