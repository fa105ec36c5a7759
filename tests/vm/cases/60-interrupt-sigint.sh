#!/usr/bin/env bash
# NAME SIGINT to `klua -e 'while true do end'` ends the exec with kind "interrupted", exit 1, within 3 s; the state works after
# TIMEOUT 60
#
# The state may run 10^9 instructions a run (minutes under emulation), so
# only the interrupt can end the loop in time. The shell turns SIGINT into
# KLUA_CMD_INTERRUPT; the kernel ends the chunk with an error of kind
# "interrupted" (not "instructions"), the shell exits 1, and the same state
# then runs chunks and keeps its globals.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c60-sigint
out=$KLUA_CASE_TMP/out
err=$KLUA_CASE_TMP/err
pid=
cleanup() {
	c_kill "$pid"
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"

c_long_state "$S"
klua -s "$S" -e 'kept = "still here"'
klua -s "$S" --json -e 'while true do end' >"$out" 2>"$err" &
pid=$!
sleep 1.5
kill -0 "$pid" 2>/dev/null || c_fail "the loop ended by itself: $(cat "$out" "$err")"
t0=$(c_ms)
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
pid=
elapsed=$(($(c_ms) - t0))
c_note "the exec ended ${elapsed} ms after SIGINT"
[[ $rc == 1 ]] || c_fail "exit status $rc, expected 1; stdout: $(cat "$out"); stderr: $(cat "$err")"
((elapsed < 3000)) || c_fail "the exec took ${elapsed} ms to end after SIGINT"
jq -e -s 'length == 1 and .[0].type == "error" and .[0].data.kind == "interrupted"' "$out" >/dev/null ||
	c_fail "expected one error line of kind interrupted, got: $(cat "$out")"

[[ $(klua -s "$S" -e 'return kept') == "still here" ]] || c_fail "the state lost its globals"
[[ $(klua -s "$S" -e 'local x = 0 for i = 1, 100000 do x = x + 1 end return x') == 100000 ]] ||
	c_fail "the state does not run a loop after the interrupt"
[[ $(c_field "$S" errors) == 1 ]] || c_fail "errors is $(c_field "$S" errors), expected 1"

# Text mode says what happened, on stderr.
klua -s "$S" -e 'while true do end' >"$out" 2>"$err" &
pid=$!
sleep 1.5
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[[ $rc == 1 ]] || c_fail "text mode: exit status $rc"
grep -q '^klua: interrupted error: ' "$err" || c_fail "text mode stderr: $(cat "$err")"
[[ $(klua -s "$S" -e 'return 7') == 7 ]] || c_fail "the state does not work after the second interrupt"
