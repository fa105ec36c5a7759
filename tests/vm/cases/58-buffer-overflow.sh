#!/usr/bin/env bash
# NAME events beyond the buffer while no one subscribes: the next watcher gets what fit, then a lost line with the rest
# TIMEOUT 60
#
# With no subscriber, a timer callback prints 3000 lines of ~130 bytes,
# about 390 KB, into an event buffer of 64 KB (module parameter
# event_buffer). The lines that do not fit are counted (the state's "lost"
# in `state list`). A watcher that subscribes later gets the lines that
# fit, B1 onwards in order, then {"type":"lost"} with the count: lines
# shown + lost counts = 3000, and the first count is the state's counter.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c58-overflow
out=$KLUA_CASE_TMP/watch.out
err=$KLUA_CASE_TMP/watch.err
watcher=
cleanup() {
	c_kill "$watcher"
	c_callback_time_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
# 3000 prints in one callback: seconds under emulation
c_callback_time 10000000

klua state create "$S"
[[ $(cat /sys/module/klua/parameters/event_buffer) == 65536 ]] || c_fail "event_buffer is not 64 KiB"
klua -s "$S" -e '
	local pad = string.rep("y", 80)
	timer.after(1, function()
		for i = 1, 3000 do print("B" .. i .. " " .. pad) end
		done = true
	end)'
c_wait 10 test "$(klua -s "$S" -e 'return done')" = true || c_fail "the callback did not run"
lost=$(c_field "$S" lost)
c_note "lines lost while no one subscribed: $lost"
((lost > 2000 && lost < 3000)) || c_fail "state lost counter is $lost; expected most of 3000 lines"

klua -s "$S" --watch --json >"$out" 2>"$err" &
watcher=$!
c_wait 15 grep -q '"type":"lost","state"' "$out" || c_fail "no lost line reached the watcher; stderr: $(cat "$err")"
sleep 0.5
kill -INT "$watcher"
rc=0
wait "$watcher" || rc=$?
watcher=
[[ $rc == 0 ]] || c_fail "--watch exited $rc; stderr: $(cat "$err")"

python3 - "$out" "$lost" <<'EOF2'
import sys
import c_klua
from c_klua import check

def main():
    lines = c_klua.parse_ndjson(open(sys.argv[1]).read(), "watch output")
    state_lost = int(sys.argv[2])
    nums, counts, overruns = [], [], 0
    for l in lines:
        if l["type"] == "print":
            nums.append(int(l["data"][1:].split(" ")[0]))
        elif l["type"] == "lost" and "count" in l["data"]:
            counts.append(l["data"]["count"])
        elif l["type"] == "lost":
            overruns += 1       # the shell's own note: its socket overflowed
        else:
            raise c_klua.Failed(f"unexpected line {l}")
    print(f"# watcher: {len(nums)} lines, lost counts {counts}, {overruns} socket overruns")
    check(nums == sorted(set(nums)) and nums and nums[0] == 1,
          f"lines not B1.. in order: {nums[:5]}")
    check(state_lost in counts,
          f"no lost line carries the state's counter {state_lost}: {counts}")
    check(len(nums) + sum(counts) == 3000,
          f"{len(nums)} lines + lost counts {sum(counts)} != 3000 printed")

c_klua.main_wrapper(main)
EOF2
