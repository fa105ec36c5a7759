#!/usr/bin/env bash
# NAME insmod with max_states=2 default_memory=256k default_instructions=5000 event_buffer=4k changes behaviour; defaults come back on reload
# TIMEOUT 90
#
# The module is reloaded with parameters. A third state is refused
# (max_states); a new state has the memory and instruction limits given
# (`state list`), runs out of instructions past 5000 with kind
# "instructions" and of memory past 256 KiB with kind "memory"; a callback
# printing 100 lines of 100 bytes with nobody subscribed overflows a 4 KiB
# event buffer (most lines lost). Then the module is loaded again without
# parameters and every one of these is back to its default.
set -euo pipefail
source tests/vm/lib/c_common.sh

ko=$(c_module_ko) || c_fail "cannot find the loaded module's file"
trap 'c_destroy c81-1 c81-2 c81-3; c_module_restore "$ko"' EXIT
P=/sys/module/klua/parameters

c_wait 30 rmmod klua 2>/dev/null || c_fail "cannot unload klua: $(rmmod klua 2>&1)"
insmod "$ko" max_states=2 default_memory=262144 default_instructions=5000 event_buffer=4096 ||
	c_fail "insmod with parameters failed"
[[ $(cat $P/max_states) == 2 && $(cat $P/default_memory) == 262144 &&
	$(cat $P/default_instructions) == 5000 && $(cat $P/event_buffer) == 4096 ]] ||
	c_fail "the parameters are not in /sys/module/klua/parameters"

klua state create c81-1
klua state create c81-2 --instructions 1000000
rc=0
klua state create c81-3 2>"$KLUA_CASE_TMP/err" || rc=$?
[[ $rc == 1 ]] && grep -q max_states "$KLUA_CASE_TMP/err" ||
	c_fail "a third state with max_states=2: status $rc, $(cat "$KLUA_CASE_TMP/err")"

[[ $(c_field c81-1 memory_limit) == 262144 ]] || c_fail "memory_limit is $(c_field c81-1 memory_limit)"
[[ $(c_field c81-1 instr_limit) == 5000 ]] || c_fail "instr_limit is $(c_field c81-1 instr_limit)"
[[ $(klua -s c81-1 -e 'local x = 0 for i = 1, 500 do x = x + i end return x') == 125250 ]] ||
	c_fail "a short loop fails within 5000 instructions"
klua --json -s c81-1 -e 'for i = 1, 100000 do end' >"$KLUA_CASE_TMP/out" && c_fail "100000 iterations ran within 5000 instructions"
jq -e '.data.kind == "instructions"' "$KLUA_CASE_TMP/out" >/dev/null || c_fail "instructions: $(cat "$KLUA_CASE_TMP/out")"
klua --json -s c81-2 -e 't = {} for i = 1, 400 do t[i] = string.rep("m", 1000) .. i end' >"$KLUA_CASE_TMP/out" &&
	c_fail "400 KB fit in a 256 KiB state"
jq -e '.data.kind == "memory"' "$KLUA_CASE_TMP/out" >/dev/null || c_fail "memory: $(cat "$KLUA_CASE_TMP/out")"
[[ $(klua -s c81-2 -e 't = nil collectgarbage() return 1') == 1 ]] || c_fail "the state does not work after running out of memory"

klua -s c81-1 -e 'timer.after(1, function() for i = 1, 100 do print(string.rep("e", 100)) end end)'
sleep 1
lost=$(c_field c81-1 lost)
c_note "with a 4 KiB event buffer, $lost of 100 lines were lost"
((lost >= 60)) || c_fail "only $lost of 100 lines of 100 bytes were lost in a 4 KiB buffer"

klua state destroy c81-1
klua state destroy c81-2
c_wait 30 rmmod klua 2>/dev/null || c_fail "cannot unload klua: $(rmmod klua 2>&1)"
insmod "$ko" || c_fail "insmod without parameters failed"
[[ $(cat $P/max_states) == 256 && $(cat $P/default_memory) == 1048576 &&
	$(cat $P/default_instructions) == 1000000 && $(cat $P/event_buffer) == 65536 ]] ||
	c_fail "the defaults did not come back"
for s in c81-1 c81-2 c81-3; do klua state create "$s"; done
[[ $(c_field c81-3 memory_limit) == 1048576 && $(c_field c81-3 instr_limit) == 1000000 ]] ||
	c_fail "a new state does not get the default limits"
[[ $(klua -s c81-3 -e 'for i = 1, 100000 do end return "ok"') == ok ]] || c_fail "the default budget is not back"
