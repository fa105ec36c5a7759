#!/usr/bin/env bash
# NAME destroy ends a long exec (kind interrupted), the execs queued behind it, and a long timer callback at once; a queued client can be killed
# TIMEOUT 120
#
# A runs `while true do end` in a state with a budget of 10^9 instructions
# (minutes under emulation). B (klua -e) and C (a raw client) send an exec
# each, which wait in the kernel for A's run (execs run in a kernel worker;
# their clients wait in the exec's dump). SIGKILL ends C within 3 s: the
# wait is interruptible (an uninterruptible one would leave C in D state,
# and the hung task detector would report it, until A ended). Then `klua state
# destroy` returns within 5 s: A ends with kind "interrupted" and a message
# that the state is being destroyed, exit 1; B fails, exit 1, saying the
# state is gone. The runner checks the kernel log.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c65-long
out_a=$KLUA_CASE_TMP/a
out_b=$KLUA_CASE_TMP/b
pid_a= pid_b= pid_c= pid_spin=
cleanup() {
	c_kill "$pid_spin"
	c_kill "$pid_a"
	c_kill "$pid_b"
	c_kill "$pid_c"
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"

c_long_state "$S"
klua -s "$S" --json -e 'while true do end' >"$out_a" 2>&1 &
pid_a=$!
# A's run has held its CPU for a slice: B and C then queue behind it.
c_wait 30 c_exec_started "$S" || c_fail "A does not run in the kernel: $(cat "$out_a")"
klua -s "$S" --json -e 'return "B ran"' >"$out_b" 2>&1 &
pid_b=$!
python3 - "$S" <<'EOF' &
import sys
import genl
genl.Genl().exec(sys.argv[1], "return 'C ran'")
print("C ran", file=sys.stderr)
EOF
pid_c=$!

# c_state PID LETTER: the process is in that state (D: waiting in the kernel).
c_state() {
	grep -q "^State:[[:space:]]*$2" "/proc/$1/status" 2>/dev/null
}
# gone: no process, or a zombie that has left the kernel
c_exited() {
	[[ ! -e /proc/$1/status ]] || c_state "$1" Z
}
c_wait 20 c_waits_for_exec "$pid_b" || c_fail "B does not wait in the kernel: $(cat "$out_b")"
c_wait 20 c_waits_for_exec "$pid_c" || c_fail "C does not wait in the kernel"
kill -0 "$pid_a" 2>/dev/null || c_fail "A ended before the test: $(cat "$out_a")"
kill -KILL "$pid_c"
c_wait 3 c_exited "$pid_c" || c_fail "C, killed while it waited, is still there: $(grep '^State' "/proc/$pid_c/status")"
wait "$pid_c" 2>/dev/null || true
pid_c=
c_note "C ended on SIGKILL while it waited"

t0=$(c_ms)
klua state destroy "$S"
elapsed=$(($(c_ms) - t0))
c_note "destroy took $elapsed ms"
((elapsed < 5000)) || c_fail "destroy took $elapsed ms"

rc=0
wait "$pid_a" || rc=$?
pid_a=
[[ $rc == 1 ]] || c_fail "A's exit status is $rc, expected 1: $(cat "$out_a")"
jq -e -s 'length == 1 and .[0].type == "error" and .[0].data.kind == "interrupted" and
	(.[0].data.message | test("being destroyed"))' "$out_a" >/dev/null ||
	c_fail "A: expected one interrupted error that says the state is being destroyed, got: $(cat "$out_a")"

rc=0
wait "$pid_b" || rc=$?
pid_b=
[[ $rc == 1 ]] || c_fail "B's exit status is $rc, expected 1: $(cat "$out_b")"
grep -q 'B ran' "$out_b" && c_fail "B ran in the destroyed state: $(cat "$out_b")"
grep -Eq 'destroyed|no state' "$out_b" || c_fail "B's error does not say the state is gone: $(cat "$out_b")"
c_note "A: $(jq -r .data.message "$out_a"); B: $(cat "$out_b")"

# A timer callback that is running ends too, and its error says why: the
# callback may run 10^9 instructions (callback_instructions is raised for
# it, and callback_time: seconds in softirq here), and the destroy comes a
# second into it. Without this, its error would be the spent budget. Execs
# (and so the timers they arm) run on klua's workqueue, which is kept to
# CPU 1 here (its sysfs cpumask), and timers stay where they are armed,
# while this script keeps to CPU 0, which the callback's softirq does not
# hold. CPU 1 is kept busy meanwhile: from 6.9 on, timer_migration=0 no
# longer keeps a timer_list timer at home, and the global timers of an idle
# CPU fire in the softirq of a busy one (CPU 0 here, held for the callback's
# whole budget: an RCU stall and a destroy that came too late). The timer
# fires a second after the exec that arms it: one that fired sooner could
# run in the softirq that the exec's worker runs when it lets go of the
# state lock, and the exec's reply would wait for the whole callback.
S2=c65-callback
param=/sys/module/klua/parameters/callback_instructions
tparam=/sys/module/klua/parameters/callback_time
wqmask=/sys/bus/workqueue/devices/klua/cpumask
old_param=$(cat "$param") old_tparam=$(cat "$tparam") old_mask=$(cat "$wqmask")
old_migration=$(cat /proc/sys/kernel/timer_migration)
trap 'cleanup; c_destroy "$S2"; echo "$old_param" >"$param"; echo "$old_tparam" >"$tparam"; echo "$old_mask" >"$wqmask"; echo "$old_migration" >/proc/sys/kernel/timer_migration' EXIT
echo 1000000000 >"$param"
echo 600000000 >"$tparam"
echo 2 >"$wqmask"
echo 0 >/proc/sys/kernel/timer_migration
taskset -cp 0 $$ >/dev/null
taskset -c 1 bash -c 'while :; do :; done' &
pid_spin=$!
c_destroy "$S2"
klua state create "$S2" --instructions 1000000000
klua -s "$S2" --watch --json >"$KLUA_CASE_TMP/w2" 2>&1 &
pid_a=$!
c_wait 10 c_field_is "$S2" subscribers 1 || c_fail "the watcher of $S2 did not subscribe"
klua -s "$S2" -e 'timer.after(1000, function() local n = 0 while true do n = n + 1 end end)'
sleep 2
t0=$(c_ms)
klua state destroy "$S2"
elapsed=$(($(c_ms) - t0))
c_note "destroy during a callback took $elapsed ms"
((elapsed < 5000)) || c_fail "destroy during a callback took $elapsed ms"
wait "$pid_a" || true
pid_a=
jq -e -s 'any(.[]; .type == "error" and (.data.message | test("being destroyed")))' \
	"$KLUA_CASE_TMP/w2" >/dev/null || c_fail "the callback's error is not in the events: $(cat "$KLUA_CASE_TMP/w2")"
