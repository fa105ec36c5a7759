#!/usr/bin/env bash
# NAME a long exec in one state does not stall execs, creates or lists of other states, even while `state list` waits for it
# TIMEOUT 90
#
# State A runs a loop of ~5 s. Meanwhile, execs in state B (one every
# 0.1 s) must keep answering quickly (each within 1.5 s), before and after a
# `klua state list` is started: the list needs A's counters, but waiting
# for them must not hold up the other states of the namespace. Creating
# and destroying state C must not wait for A either. Each of B's execs
# prints its latency.
set -euo pipefail
source tests/vm/lib/c_common.sh

looper=
cleanup() {
	c_kill "$looper"
	c_max_instructions_restore
	c_destroy c51-a c51-b c51-c
}
trap cleanup EXIT
c_destroy c51-a c51-b c51-c

c_long_state c51-a
klua state create c51-b
# How many iterations make ~5 s here (emulated or not).
per_sec=$(python3 - <<'EOF'
import time, genl, c_klua
g = genl.Genl()
t = time.monotonic()
c_klua.exec_value(g, "c51-a", "local x = 0 for i = 1, 2000000 do x = x + 1 end return x")
print(int(2000000 / (time.monotonic() - t)))
EOF
)
n=$((per_sec * 5))
c_note "a loop of $n iterations (~5 s)"
klua -s c51-a -e "local x = 0 for i = 1, $n do x = x + 1 end return x" >"$KLUA_CASE_TMP/a.out" &
looper=$!
sleep 0.5

python3 - <<'EOF'
import subprocess, time
import c_klua, genl
from c_klua import check

def main():
    g = genl.Genl()
    worst = 0.0
    lister = None
    t0 = time.monotonic()
    for i in range(25):
        if i == 5:
            lister = subprocess.Popen(["klua", "state", "list"], stdout=subprocess.DEVNULL)
        if i == 10:
            t = time.monotonic()
            c_klua.create("c51-c", g=g)
            c_klua.destroy("c51-c", g)
            took = time.monotonic() - t
            print(f"# create and destroy of another state took {took:.2f}s")
            check(took < 1.5, f"create/destroy of another state waited {took:.1f}s for the busy one")
        t = time.monotonic()
        check(c_klua.exec_value(g, "c51-b", f"return {i}") == i, "wrong result from B")
        took = time.monotonic() - t
        worst = max(worst, took)
        print(f"# exec {i} in B at {t - t0:.1f}s took {took:.2f}s"
              + (" (state list running)" if lister and lister.poll() is None else ""))
        check(took < 1.5, f"exec {i} in state B took {took:.1f}s while A was busy")
        time.sleep(0.1)
    lister.wait(timeout=60)

c_klua.main_wrapper(main)
EOF
wait "$looper" || c_fail "A's loop failed: $(cat "$KLUA_CASE_TMP/a.out")"
looper=
