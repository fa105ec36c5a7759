#!/usr/bin/env bash
# NAME fuzz: each chunk that the Lua fuzzer found to hang, slow down or confuse the module ends in time with a clean line, and the state stays usable
# TIMEOUT 300
#
# One reproducer a line of REPRODUCERS below: the known hazard it shows
# (tests/vm/lib/luafuzz.py hazards) and a chunk, cut down by hand or by the
# fuzzer. Each runs in a fresh state (4 MiB, 1,000,000 instructions) through
# `luafuzz.py check`: it must end within 5 s with output that klua-lua(7)
# allows (a result, or an error line of a known kind whose message fits
# it), a probe chunk must then get its answer, and the kernel log must stay
# clean. A chunk still running 5 s after it was sent is interrupted; one
# that does not end 15 s after that is a hang, and stops the case (the CPU
# it spins on is lost to the VM).
#
# SKIP_UNTIL_FIXED lists the hazards that the module does not survive
# yet: their reproducers are skipped here, and 40-fuzz-lua.sh reads this
# list to guard or tolerate them while it fuzzes. Remove a hazard from it
# when its fix lands; a reproducer that still fails then fails this case.
set -euo pipefail

SKIP_UNTIL_FIXED=(
	# every hazard found so far is fixed
)

# hazard  name  chunk (one line; \n for a line break)
REPRODUCERS=(
	# string.rep of "" a huge number of times: nothing allocated, nothing charged
	'str-rep-empty|rep-empty|return #string.rep("", math.maxinteger)'
	'str-rep-empty|rep-empty-sep|return #string.rep("", math.maxinteger, "")'
	'str-rep-empty|rep-empty-timer|timer.after(1, function() local _ = string.rep("", math.maxinteger) end)'
	# table.insert / table.remove shift up to #t, which __len decides
	'table-insert-len|insert-len|table.insert(setmetatable({}, {__len = function() return math.maxinteger - 1 end}), 1, 0)'
	'table-remove-len|remove-len|table.remove(setmetatable({}, {__len = function() return math.maxinteger end}), 1)'
	# table.concat calls a C __index for each index, uncharged (found by the fuzzer)
	'table-concat-index|concat-cindex|return #table.concat(setmetatable({}, {__index = table.concat}), "", 1, math.maxinteger)'
	# a full collection costs O(heap) and is charged nothing, also as a C
	# callback: a load reader that collects (found by the fuzzer; 21 s at 1 MiB,
	# no charge point, so no interrupt either)
	'gc-uncharged|load-gc-reader|local f, e = load(collectgarbage) return e'
	'gc-uncharged|gc-loop|local t = {} for i = 1, 20000 do t[i] = {} end for i = 1, math.maxinteger do collectgarbage() end'
	# work proportional to bytes that charges a few units (found by the
	# fuzzer): each of these runs for minutes on a budget of 10^6
	'slow-uncharged|compile-loop|local src = "return " .. ("1 + "):rep(5000) .. "1" for i = 1, math.maxinteger do load(src) end'
	'slow-uncharged|long-string-eq|local a, b = ("x"):rep(400000), ("x"):rep(399999) .. "x" for i = 1, math.maxinteger do local _ = a == b end'
	'slow-uncharged|long-string-lt|local a, b = ("x"):rep(400000), ("x"):rep(399999) .. "y" for i = 1, math.maxinteger do local _ = a < b end'
	'slow-uncharged|upper-loop|local s = ("x"):rep(400000) for i = 1, math.maxinteger do local t = s:upper() end'
	# kind memory with the message of a C stack overflow caught before it (found by the fuzzer)
	'memory-kind-message|memory-after-stack|pcall(function() print(setmetatable({}, {__tostring = tostring})) end)\nlocal t = {} for i = 1, 100000 do t[i] = i end'
	'memory-kind-message|memory-after-load-stack|pcall(load, "return " .. ("{"):rep(1000) .. "1" .. ("}"):rep(1000))\nlocal s = "x" for i = 1, 30 do s = s .. s end'
)

skipped() {
	local h
	for h in "${SKIP_UNTIL_FIXED[@]}"; do
		[[ $h == "$1" ]] && return 0
	done
	return 1
}

rc=0
for entry in "${REPRODUCERS[@]}"; do
	IFS='|' read -r hazard name chunk <<<"$entry"
	if skipped "$hazard"; then
		echo "SKIP $name (known hazard $hazard, until its fix lands)"
		continue
	fi
	file=$KLUA_CASE_TMP/$name.lua
	printf '%b\n' "$chunk" >"$file"
	status=0
	python3 tests/vm/lib/luafuzz.py check "$file" --state f40 --deadline 5 --hang 15 \
		--instructions 1000000 --memory 4194304 || status=$?
	if ((status == 3)); then
		echo "FAIL $name hangs: the other reproducers are not run"
		exit 1
	fi
	((status == 0)) || rc=1
done
exit $rc
