#!/usr/bin/env python3
"""In-kernel Lua against userspace lua5.4, same chunks, same machine.

Kernel time is the state's own TIME_NS counter (time spent running the
chunk, after it was parsed); userspace time is os.clock() around the same
call in lua5.4. Each chunk runs ROUNDS x REPEAT times on each side, the
sides taking turns round by round so that drift of the emulated machine
hits both alike, and the fastest run counts. Prints one line a chunk with the ratio userspace/kernel (above
1.0: the kernel is faster) and the geometric mean.
Also prints the Lua heap of an idle state, and how the guest kernel makes
indirect branches safe (its spectre_v2 line): with retpolines, as on CPUs
without enhanced IBRS (the emulated one here), each of the VM's opcode
dispatches goes through a thunk; bench/run measures both ways.
"""
import math
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../tests/vm/lib"))
from genl import Genl, K, attr_str, attr_u64  # noqa: E402

REPEAT = int(os.environ.get("KLUA_BENCH_REPEAT", "3"))
ROUNDS = int(os.environ.get("KLUA_BENCH_ROUNDS", "3"))

CHUNKS = {
    "fib": "local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end return fib(22)",
    "loop": "local s = 0 for i = 1, 1000000 do s = s + i % 7 end return s",
    "table": "local t = {} for i = 1, 100000 do t[i] = i * 2 end local s = 0 "
             "for _, v in ipairs(t) do s = s + v end return s",
    "string": "local t = {} for i = 1, 20000 do t[#t + 1] = tostring(i) .. ',' end "
              "return #table.concat(t)",
    "closure": "local n = 0 local function inc() n = n + 1 end for i = 1, 300000 do inc() end return n",
    "gsub": "local s = ('hello world '):rep(2000) local c = 0 "
            "for _ = 1, 5 do local _, k = s:gsub('o', '0') c = c + k end return c",
}


def state_stat(g, name, attr):
    replies = g.klua("KLUA_CMD_LIST", attr_str(K["KLUA_ATTR_NAME"], name))
    return struct.unpack("Q", replies[0][1][K[attr]])[0]


def kernel_time(g, name, code):
    best = None
    for _ in range(REPEAT):
        before = state_stat(g, name, "KLUA_ATTR_TIME_NS")
        out = g.exec(name, code)
        if '"type":"result"' not in out:
            sys.exit(f"bench: kernel run failed: {out}")
        dt = state_stat(g, name, "KLUA_ATTR_TIME_NS") - before
        best = dt if best is None else min(best, dt)
    return best / 1e9


def user_time(code):
    prog = ("local f = assert(load(os.getenv('KLUA_CHUNK'))) local best = math.huge "
            f"for _ = 1, {REPEAT} do local t0 = os.clock() f() "
            "local dt = os.clock() - t0 if dt < best then best = dt end end print(best)")
    out = subprocess.run(["lua5.4", "-e", prog], env=dict(os.environ, KLUA_CHUNK=code),
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def spectre_v2():
    try:
        with open("/sys/devices/system/cpu/vulnerabilities/spectre_v2") as f:
            return f.read().split(";")[0].strip()
    except OSError:
        return "unknown"


def main():
    g = Genl()
    name = "bench"
    g.klua("KLUA_CMD_CREATE", attr_str(K["KLUA_ATTR_NAME"], "idle"))
    idle = state_stat(g, "idle", "KLUA_ATTR_MEMORY_USED")
    g.klua("KLUA_CMD_DESTROY", attr_str(K["KLUA_ATTR_NAME"], "idle"))
    print(f"idle state: {idle} bytes of Lua heap ({idle / 1024:.1f} KiB; target < 40 KiB): "
          f"{'ok' if idle < 40 * 1024 else 'OVER'}")

    g.klua("KLUA_CMD_CREATE", attr_str(K["KLUA_ATTR_NAME"], name)
           + attr_u64(K["KLUA_ATTR_MEMORY_LIMIT"], 64 << 20)
           + attr_u64(K["KLUA_ATTR_INSTR_LIMIT"], 100_000_000))
    ratios = []
    print(f"{'chunk':10} {'kernel ms':>10} {'user ms':>10} {'user/kernel':>12}")
    for label, code in CHUNKS.items():
        k = u = math.inf
        for _ in range(ROUNDS):
            k = min(k, kernel_time(g, name, code))
            u = min(u, user_time(code))
        ratios.append(u / k)
        print(f"{label:10} {k * 1e3:10.2f} {u * 1e3:10.2f} {u / k:12.2f}")
    g.klua("KLUA_CMD_DESTROY", attr_str(K["KLUA_ATTR_NAME"], name))
    gm = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"in-kernel Lua speed: {gm:.2f}x userspace lua5.4 (geometric mean; target >= 0.9; "
          f"spectre_v2: {spectre_v2()}): {'ok' if gm >= 0.9 else 'BELOW'}")


if __name__ == "__main__":
    main()
