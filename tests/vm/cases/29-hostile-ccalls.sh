#!/usr/bin/env bash
# NAME depth: C-level recursion (coroutine towers, pcall chains, recursive pcall, gsub and sort callbacks) each ends in a Lua error within 8 KiB of stack
# TIMEOUT 120
#
# Each nests calls that go through C: coroutine.wrap inside coroutine.wrap
# 1000 deep; pcall nested 1000 deep through Lua functions; a function that
# pcalls itself; pcall(pcall, pcall, ..., error, "e") 1000 deep; a gsub
# callback that calls gsub; a table.sort comparator that sorts. A chunk whose
# pcall caught the overflow raises afterwards, so each chunk must end in an
# error (kind stack, or error/runtime/memory), the state must run chunks
# afterwards, and its stack_peak stay under 8 KiB (t_hostile in
# tests/vm/lib/t_common.sh).
set -euo pipefail
source tests/vm/lib/t_common.sh
cleanup() { klua state destroy t29q 2>/dev/null || true; }
trap cleanup EXIT
cleanup
klua state create t29q
rc=0
bomb() {
	echo "# $1"
	t_hostile t29q 'stack|error|runtime|memory' -e "$2" || rc=1
}
bomb "a tower of 1000 coroutines" 'local function tower(n) if n == 0 then return 0 end return coroutine.wrap(function() return tower(n - 1) + 1 end)() end return tower(1000)'
bomb "pcall nested 1000 deep" 'local f = pcall for i = 1, 1000 do local g = f f = function(...) return pcall(g, ...) end end local r = {f(error, "x")} error(tostring(r[#r]))'
bomb "a function that pcalls itself" 'local function r() return pcall(r) end local t = {r()} error(tostring(t[#t]))'
bomb "pcall(pcall, ..., error) 1000 deep" 'local t = {load("return pcall(" .. ("pcall, "):rep(1000) .. "error, \"e\")")()} error(tostring(t[#t]))'
bomb "a gsub callback that calls gsub" 'local function g(s) return (s:gsub(".", g)) end return g("ab")'
bomb "a sort comparator that sorts" 'local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end table.sort({3, 2, 1}, cmp)'
exit $rc
