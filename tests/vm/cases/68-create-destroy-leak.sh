#!/usr/bin/env bash
# NAME 1000 create/use/destroy cycles leak nothing: Slab and MemAvailable come back, the module refcount too
# TIMEOUT 90
#
# Each cycle creates a state, subscribes a socket to it, runs a chunk that
# allocates Lua objects, prints and starts two long timers, then destroys
# the state. A leak of any part of a state (its Lua heap of more than
# 20 KB, its event buffer, its timers) would cost 20 MB or more over 1000
# cycles. After a warm-up of 100 cycles, Slab (kernel objects) may
# grow by at most 4 MB and MemAvailable drop by at most 8 MB over the 1000
# cycles, and the module's reference count must be what it was.
set -euo pipefail
source tests/vm/lib/c_common.sh

python3 - <<'EOF2'
import time
import c_klua, genl
from c_klua import check

CODE = """
    local t = {}
    for i = 1, 100 do t[i] = string.rep("m", 64) .. i end
    print("hello")
    timer.every(60000, function() end)
    timer.after(60000, function() end)
    keep = t
    return #t * 10
"""

def meminfo():
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("2")
    time.sleep(1)
    fields = dict(line.split(":") for line in open("/proc/meminfo"))
    return {k: int(fields[k].split()[0]) for k in ("Slab", "MemAvailable")}

def refcnt():
    return int(open("/sys/module/klua/refcnt").read())

def cycles(g, sub, n):
    for i in range(n):
        name = f"c68-{i % 7}"
        c_klua.create(name, g=g)
        sub.name = name
        sub.subscribe()
        check(c_klua.exec_value(g, name, CODE) == 1000, "the chunk failed")
        c_klua.destroy(name, g)
        sub.raw.clear()

def main():
    g = genl.Genl()
    for i in range(7):
        c_klua.destroy(f"c68-{i}", g, missing_ok=True)
    sub = c_klua.Subscriber("c68-0", rcvbuf=16 << 20, subscribe=False)
    cycles(g, sub, 100)
    before, ref0 = meminfo(), refcnt()
    t0 = time.monotonic()
    cycles(g, sub, 1000)
    took = time.monotonic() - t0
    after, ref1 = meminfo(), refcnt()
    slab = after["Slab"] - before["Slab"]
    avail = before["MemAvailable"] - after["MemAvailable"]
    print(f"# 1000 cycles in {took:.1f}s: Slab {before['Slab']} -> {after['Slab']} kB ({slab:+d}), "
          f"MemAvailable {before['MemAvailable']} -> {after['MemAvailable']} kB, refcnt {ref0} -> {ref1}")
    check(not any(n.startswith("c68-") for n in c_klua.states(g)), "states left behind")
    check(slab < 4096, f"Slab grew by {slab} kB over 1000 cycles")
    check(avail < 8192, f"MemAvailable dropped by {avail} kB over 1000 cycles")
    check(ref1 == ref0, f"module refcount {ref0} -> {ref1}")

c_klua.main_wrapper(main)
EOF2
