#!/usr/bin/env bash
# NAME depth: chunks that nest the parser 1000 to 20000 deep (constructors, parentheses, calls, indexing, functions, a '..' chain) each end in a Lua error within 8 KiB of stack
# TIMEOUT 120
#
# Each chunk is written to a file and sent whole by the shell (its own syntax
# check, with userspace Lua, lets them through): table constructors and
# parentheses nested 10000 deep, calls f(f(...)) and indexing a[a[...]] 5000
# deep, functions 1000 deep, a right-associative '..' chain of 20000 terms.
# Each must end in an error of kind stack (or syntax/runtime/memory), the
# state must run chunks afterwards, and its stack_peak stay under 8 KiB
# (t_hostile in tests/vm/lib/t_common.sh).
set -euo pipefail
source tests/vm/lib/t_common.sh
cleanup() { klua state destroy t29p 2>/dev/null || true; }
trap cleanup EXIT
cleanup
klua state create t29p
f=$KLUA_CASE_TMP/chunk.lua
rc=0
bomb() {
	echo "# $1"
	printf '%s\n' "$2" >"$f"
	t_hostile t29p 'stack|syntax|runtime|memory' "$f" || rc=1
}
bomb "constructors 10000 deep" "return $(t_rep '{' 10000)$(t_rep '}' 10000)"
bomb "parentheses 10000 deep" "return $(t_rep '(' 10000)1$(t_rep ')' 10000)"
bomb "calls 5000 deep" "local function f(x) return x end return $(t_rep 'f(' 5000)1$(t_rep ')' 5000)"
bomb "indexing 5000 deep" "local a = {} return $(t_rep 'a[' 5000)1$(t_rep ']' 5000)"
bomb "functions 1000 deep" "return $(t_rep '(function() return ' 1000)1$(t_rep ' end)()' 1000)"
bomb "a '..' chain of 20000 terms" "local a = \"x\" return #(a$(t_rep '..a' 19999))"
exit $rc
