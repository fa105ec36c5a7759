#!/usr/bin/env bash
# NAME rmmod with live states, 1 ms timers, a watcher and execs in flight: EBUSY only while a dump is open, then clean; insmod again works
# TIMEOUT 120
#
# Three states run timers every 1 ms; a shell watches one of them; a raw
# client holds an exec whose 1 MB result it has not read (the netlink dump
# stays open); a shell runs a loop of 10^7 iterations. rmmod must fail with "in use"
# (EBUSY) while the dump is open, and succeed within 30 s of the client
# closing its socket, with the loop's shell ending in its result or a clean
# error. The watcher gets {"type":"end","data":{"reason":"unloaded"}} and
# ends cleanly (itself, or on SIGINT, with status 0). Without the module
# the shell says so and exits 1. Memory comes back (Slab within 4 MB of
# before the states existed). The same klua.ko is loaded again with its
# defaults, and a state works in it: later cases need the module.
set -euo pipefail
source tests/vm/lib/c_common.sh

ko=$(c_module_ko) || c_fail "cannot find the loaded module's file"
c_note "module file: $ko"
out=$KLUA_CASE_TMP/watch.out
pids=()
holder=
cleanup() {
	c_kill "${pids[@]}" "$holder"
	c_module_restore "$ko"
	echo 100000000 >/sys/module/klua/parameters/max_instructions 2>/dev/null || true
	c_destroy c80-a c80-b c80-c c80-after
}
trap cleanup EXIT

slab0=$(c_settle_slab)
ref0=$(cat /sys/module/klua/refcnt)
echo 1000000000 >/sys/module/klua/parameters/max_instructions
for s in c80-a c80-b c80-c; do
	klua state create "$s" --instructions 1000000000 --memory 8m
	klua -s "$s" -e '
		n = 0
		big = {} for i = 1, 2000 do big[i] = string.rep("b", 100) .. i end
		for i = 1, 4 do timer.every(1, function() n = n + 1; if n % 50 == 0 then print("n " .. n) end end) end'
done
klua -s c80-a --watch --json >"$out" 2>"$KLUA_CASE_TMP/watch.err" &
watcher=$!
pids+=("$watcher")
c_wait 10 c_field_is c80-a subscribers 1 || c_fail "the watcher did not subscribe"

# A dump that stays open: an exec whose output is not read.
fifo=$KLUA_CASE_TMP/holder
rm -f "$fifo"
mkfifo "$fifo"
python3 - "$fifo" <<'EOF' &
import sys
import genl
from genl import K, attr, attr_str
import struct
g = genl.Genl()
g.resolve()
code = b'return string.rep("h", 1000000)'
g.seq += 1
payload = struct.pack("BBH", K["KLUA_CMD_EXEC"], 1, 0) + attr_str(K["KLUA_ATTR_NAME"], "c80-b") + attr(K["KLUA_ATTR_CODE"], code)
g.sock.send(struct.pack("IHHII", 16 + len(payload), g.family, genl.NLM_F_REQUEST | genl.NLM_F_DUMP, g.seq, 0) + payload)
first = g.sock.recv(1 << 16)            # the first part of the reply: the dump is open
with open(sys.argv[1], "w") as f:
    f.write(f"open {len(first)}\n")
with open(sys.argv[1]) as f:            # wait to be told to go
    f.read()
g.close()
EOF
holder=$!
exec 5<"$fifo"
read -r state_of_holder <&5 || c_fail "the holder did not start its exec"
c_note "holder: $state_of_holder"
((ref0 < $(cat /sys/module/klua/refcnt))) || c_fail "an open dump does not hold the module"

klua -s c80-c -e 'local x = 0 for i = 1, 10000000 do x = x + 1 end return x' \
	>"$KLUA_CASE_TMP/loop.out" 2>"$KLUA_CASE_TMP/loop.err" &
looper=$!
pids+=("$looper")
sleep 0.5

rc=0
rmmod klua 2>"$KLUA_CASE_TMP/rmmod.err" || rc=$?
((rc != 0)) || c_fail "rmmod succeeded while a dump was open"
grep -qi 'in use' "$KLUA_CASE_TMP/rmmod.err" || c_fail "rmmod failed, but not with EBUSY: $(cat "$KLUA_CASE_TMP/rmmod.err")"
c_note "rmmod while the dump is open: $(cat "$KLUA_CASE_TMP/rmmod.err")"
c_module_loaded || c_fail "the module is not live after a refused rmmod"
[[ $(klua -s c80-a -e 'return 1') == 1 ]] || c_fail "a state does not work after a refused rmmod"

# Let the holder go: its socket closes, the dump ends.
exec 5<&-
echo go >"$fifo"
wait "$holder" || true
holder=
t0=$(c_ms)
c_wait 30 rmmod klua 2>/dev/null || c_fail "rmmod still fails 30 s after the dump ended: $(rmmod klua 2>&1)"
c_note "rmmod succeeded $(($(c_ms) - t0)) ms after the dump ended"
[[ ! -e /sys/module/klua ]] || c_fail "/sys/module/klua is still there"

rc=0
wait "$looper" || rc=$?
c_note "the loop's shell: status $rc, stdout '$(cat "$KLUA_CASE_TMP/loop.out")', stderr '$(cat "$KLUA_CASE_TMP/loop.err")'"
if [[ $rc == 0 ]]; then
	[[ $(cat "$KLUA_CASE_TMP/loop.out") == 10000000 ]] || c_fail "the loop's result is wrong"
else
	[[ $rc == 1 ]] && grep -q '^klua: ' "$KLUA_CASE_TMP/loop.err" || c_fail "the loop's shell ended badly"
fi

c_wait 5 grep -q '"type":"end"' "$out" || c_fail "the watcher got no end line: $(tail -2 "$out")"
grep -q '"reason":"unloaded"' "$out" || c_fail "the end line does not say unloaded: $(grep end "$out")"
if c_wait 5 c_gone "$watcher"; then
	c_note "the watcher exited by itself"
else
	c_note "the watcher keeps waiting after the end line; SIGINT"
	kill -INT "$watcher"
fi
rc=0
wait "$watcher" || rc=$?
[[ $rc == 0 ]] || c_fail "the watcher ended with status $rc: $(cat "$KLUA_CASE_TMP/watch.err")"
python3 -c '
import sys, c_klua
lines = c_klua.parse_ndjson(open(sys.argv[1]).read(), "watch")
assert lines[-1]["type"] == "end", lines[-1]
' "$out" || c_fail "the watcher's output is not clean"

rc=0
klua state list 2>"$KLUA_CASE_TMP/err" || rc=$?
[[ $rc == 1 ]] || c_fail "state list without the module: status $rc"
c_note "without the module: $(cat "$KLUA_CASE_TMP/err")"

slab1=$(c_settle_slab)
c_note "Slab: ${slab0} kB before the states, ${slab1} kB after rmmod"
((slab1 - slab0 < 4096)) || c_fail "Slab grew by $((slab1 - slab0)) kB"

insmod "$ko" || c_fail "insmod $ko failed"
[[ $(cat /sys/module/klua/parameters/max_instructions) == 100000000 ]] || c_fail "the reloaded module has a changed max_instructions"
[[ -z $(klua state list) || $(klua state list | wc -l) == 1 ]] || c_fail "states survived the reload: $(klua state list)"
klua state create c80-after
[[ $(klua -s c80-after -e 'return "back"') == back ]] || c_fail "the reloaded module does not run Lua"
klua state destroy c80-after
