#!/usr/bin/env bash
# NAME timers that stop are freed at once and counted in the state's memory: 100000 after-stop pairs in one exec run in linear time within the cap, and the memory comes back
# TIMEOUT 120
#
# A stopped timer leaves the state's list of active timers at once, and a
# kernel work item frees it (timer_shutdown_sync needs process context).
# Until then its memory counts in the state's memory, so a loop of
# timer.after(...):stop() can neither grow slab outside the cap nor slow
# down under the lock: 10^5 pairs take about 10 times as long as 10^4
# (not 100 times), and afterwards memory_used is back near where it was
# and the slab has not grown by the timers.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c59-stop
cleanup() {
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
c_max_instructions 1000000000
klua state create "$S" --memory 4M --instructions 1000000000

used() { c_field "$S" memory_used; }
pairs() {
	klua -s "$S" -e "local f = function() end for i = 1, $1 do timer.after(100000, f):stop() end collectgarbage() return 0" >/dev/null
}
klua -s "$S" -e 'collectgarbage()' >/dev/null
before=$(used)
slab_before=$(c_settle_slab)

t0=$(c_ms); pairs 10000; t1=$(c_ms)
pairs 100000; t2=$(c_ms)
small=$((t1 - t0)) big=$((t2 - t1))
c_note "10^4 pairs: $small ms, 10^5 pairs: $big ms"
((big < 30 * small + 2000)) || c_fail "10^5 pairs took $big ms against $small ms for 10^4: not linear"

# the reap work has freed them all, and the memory came back
settled() {
	klua -s "$S" -e 'collectgarbage()' >/dev/null
	(($(used) < before + 16384))
}
c_wait 10 settled || c_fail "memory_used is $(used) after the loops, $before before"
slab_after=$(c_settle_slab)
c_note "slab: $slab_before kB before, $slab_after kB after"
((slab_after < slab_before + 4096)) || c_fail "the slab grew by $((slab_after - slab_before)) kB"

# With the state's memory nearly full, stopped timers that wait to be freed
# count: the loop ends with "not enough memory" or runs, never past the cap.
out=$(klua -s "$S" --json -e 'local f = function() end local t = {} for i = 1, 40000 do t[i] = string.rep("x", 64) end for i = 1, 100000 do timer.after(100000, f):stop() end return "done"' 2>&1 || true)
c_note "a full state: $out"
peak=$(c_field "$S" memory_peak)
((peak <= 4 * 1024 * 1024)) || c_fail "memory_peak $peak is past the 4M cap"
[[ $(klua -s "$S" -e 'return 1') == 1 ]] || c_fail "the state does not answer"
