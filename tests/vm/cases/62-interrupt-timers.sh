#!/usr/bin/env bash
# NAME an interrupt ends only the run it hits: the state's timer callbacks keep running afterwards
# TIMEOUT 60
#
# A timer runs a callback of ~20000 instructions every 20 ms (long enough
# for the interrupt check, which runs every 4096 units). (1) An exec is
# interrupted by SIGINT to the shell; (2) an idle state gets
# KLUA_CMD_INTERRUPT. After each, the callbacks must go on: the tick count
# grows, and at most one callback (one hit by the interrupt itself) fails
# with kind "interrupted"; a second later, none fails. A watcher records the
# error events.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c62-timers
out=$KLUA_CASE_TMP/watch.out
watcher="" pid=""
cleanup() {
	c_kill "$watcher"
	c_kill "$pid"
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"

c_long_state "$S"
klua -s "$S" --watch --json >"$out" &
watcher=$!
c_wait 10 c_field_is "$S" subscribers 1 || c_fail "the watcher did not subscribe"
klua -s "$S" -e '
	ticks = 0
	timer.every(20, function()
		local x = 0
		for i = 1, 20000 do x = x + i end
		ticks = ticks + 1
	end)'
sleep 1
before=$(klua -s "$S" -e 'return ticks')
((before > 0)) || c_fail "the timer did not run"

# (1) an interrupted exec
klua -s "$S" -e 'while true do end' 2>/dev/null &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid" || true
pid=
sleep 1.5
mid=$(klua -s "$S" -e 'return ticks')
interrupted=$(grep -c '"kind":"interrupted"' "$out" || true)
c_note "after an interrupted exec: ticks $before -> $mid, $interrupted interrupted callbacks"

# (2) an interrupt of the idle state (only the timer runs)
python3 - "$S" <<'EOF2'
import sys, genl
genl.Genl().klua("KLUA_CMD_INTERRUPT", genl.attr_str(genl.K["KLUA_ATTR_NAME"], sys.argv[1]))
EOF2
# Count from `state list` only: an exec would clear a stuck interrupt.
sleep 0.5
r1=$(c_field "$S" runs) e1=$(c_field "$S" errors)
sleep 1
r2=$(c_field "$S" runs) e2=$(c_field "$S" errors)
c_note "after an interrupt of the idle state: $((r2 - r1)) callbacks in 1 s, $((e2 - e1)) of them failed"

((mid > before + 10)) || c_fail "the callbacks stopped counting after an interrupted exec (ticks $before -> $mid)"
((interrupted <= 1)) || c_fail "$interrupted callbacks failed with kind interrupted after the exec was interrupted"
((r2 - r1 > 5)) || c_fail "only $((r2 - r1)) callbacks ran in 1 s after an idle interrupt"
((e2 == e1)) || c_fail "$((e2 - e1)) of $((r2 - r1)) callbacks failed in the second after an idle interrupt"
