#!/usr/bin/env bash
# NAME memory cap: a 2 MiB state refuses before the kmalloc memory it really holds exceeds 2 MiB, and its books match that memory
# TIMEOUT 60
#
# kmalloc rounds every request up to its slab's object size, so what a state
# holds can be up to twice what it asked for. A chunk builds a chain of
# {string, next} tables, each a 56-byte table (kmalloc-64), its 32-byte array
# (kmalloc-32) and a 232-character string of 257 bytes (kmalloc-512): 345
# bytes asked for, 608 held. It goes on until the state refuses memory.
# The memory held by the kmalloc caches, summed over /sys/kernel/slab/
# kmalloc-*/ (objects in use times object size), grows from before the
# state's creation to the end (after a full collection) by at most the cap
# (and a 32 KiB allowance for what else the guest does meanwhile), and the
# state's memory_used matches that growth. Then the chain and an array
# grown by reallocation are dropped and collected: memory_used falls by what
# the kmalloc caches got back (within 32 KiB of some 2 MiB), so the books
# stay exact when blocks are freed and moved.
set -euo pipefail
source tests/vm/lib/t_common.sh

S=t28-slab
cleanup() { klua state destroy "$S" 2>/dev/null || true; }
trap cleanup EXIT
cleanup

python3 - "$S" <<'EOF'
import glob, os, sys, time
import c_klua, genl
from c_klua import check

state = sys.argv[1]
CAP = 2 << 20
SLACK = 32 << 10

def slab_bytes():
    """Bytes of the objects in use in the kmalloc caches."""
    time.sleep(0.3)             # RCU and deferred frees of other work
    total, seen = 0, set()
    for d in glob.glob("/sys/kernel/slab/kmalloc-*"):
        r = os.path.realpath(d)
        if r in seen:
            continue
        seen.add(r)
        objects = int(open(f"{r}/objects").read().split()[0])
        total += objects * int(open(f"{r}/object_size").read())
    return total

def main():
    g = genl.Genl()
    g.resolve()
    slab_bytes()                # the first reads of these files allocate too
    before = slab_bytes()
    c_klua.create(state, memory=CAP, g=g)
    n = c_klua.exec_value(g, state, """
        local n = 0
        local ok, err = pcall(function()
            while true do
                head = {("%99d%99d%34d"):format(n, n, n), head}
                n = n + 1
            end
        end)
        collectgarbage()
        return not ok and err == "not enough memory" and n""")
    check(n, "the chain did not end in a memory error")
    held = slab_bytes() - before
    used = c_klua.state(state, g)["memory_used"]
    print(f"# {n} links; kmalloc memory grew by {held} bytes; memory_used {used}; "
          f"cap {CAP}; {held * 100 // CAP}% of the cap")
    check(held >= CAP // 2, f"the chain took only {held} bytes: nothing was tested")
    check(held <= CAP + SLACK, f"the state holds {held} bytes of kmalloc memory, "
          f"more than its cap of {CAP}")
    check(abs(used - held) <= SLACK, f"memory_used {used} is not what the state holds: {held}")

    c_klua.exec_value(g, state, """
        head = nil
        local t = {} for i = 1, 5000 do t[i] = i end
        t = nil collectgarbage() collectgarbage() return 1""")
    freed = held - (slab_bytes() - before)
    unbooked = used - c_klua.state(state, g)["memory_used"]
    print(f"# collected: the kmalloc caches got {freed} bytes back, memory_used fell by {unbooked}")
    check(abs(freed - unbooked) <= SLACK,
          f"the books drift: memory_used fell by {unbooked}, kmalloc memory by {freed}")

c_klua.main_wrapper(main)
EOF
