#!/usr/bin/env bash
# NAME destroying a state whose subscriber's socket is full: destroy returns at once, and the subscriber, once it reads, ends with a lost line and "end"
# TIMEOUT 60
#
# A raw subscriber with the smallest receive buffer does not read while a
# callback prints 200 lines of 250 bytes: its socket fills, the rest is
# owed as a lost count. A second subscriber that reads all along shows when
# everything was sent. The state is destroyed (within 5 s, whatever the
# full socket). Then the slow subscriber reads: it must get the lines that
# fit, a lost line whose count makes up the 200, and {"type":"end"} with
# reason "destroyed" last (docs/PROTOCOL.md: every subscriber learns that
# the state ended). A third full subscriber closes its socket without
# reading, with its end line still owed. Last, the module is unloaded while
# a full socket is owed an end line ("unloaded"): rmmod gives it up and
# completes, and the module loads again.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c67-full
ko=$(c_module_ko) || c_fail "cannot find the loaded module's file"
cleanup() {
	c_module_restore "$ko"
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
klua state create "$S"

python3 - "$S" <<'EOF'
import sys, time
import c_klua, genl
from c_klua import check

state = sys.argv[1]
LINES = 200

def main():
    g = genl.Genl()
    fast = c_klua.Subscriber(state, rcvbuf=4 << 20)
    slow = c_klua.Subscriber(state, rcvbuf=1)
    gone = c_klua.Subscriber(state, rcvbuf=1)
    c_klua.exec_value(g, state, f"""
        timer.after(1, function()
            for i = 1, {LINES} do print("F" .. i .. " " .. string.rep("f", 240)) end
        end)
        return true""")
    check(fast.read_until(lambda s: f'"F{LINES} '.encode() in b"".join(s.raw[-3:]), 10),
          "the reading subscriber did not get every line")
    t0 = time.monotonic()
    c_klua.destroy(state, g)
    took = time.monotonic() - t0
    print(f"# destroy took {took * 1000:.0f} ms")
    check(took < 5, f"destroy took {took:.1f} s")
    check(c_klua.state(state, g) is None, "the state is still listed")
    gone.close()

    end = {"type": "end", "state": state, "data": {"reason": "destroyed"}}
    for who, sub in (("the reading subscriber", fast), ("the full subscriber", slow)):
        got = sub.read_until(lambda s: b'"type":"end"' in b"".join(s.raw[-2:]), 5)
        lines = sub.lines()
        check(got and lines[-1] == end,
              f"{who}: the last line is {lines[-1] if lines else None}, not the end line")
        nums = [int(l["data"][1:].split(" ")[0]) for l in lines if l["type"] == "print"]
        lost = sum(l["data"]["count"] for l in lines if l["type"] == "lost")
        print(f"# {who}: {len(nums)} lines, lost counts {lost}, "
              f"{sub.overruns} ENOBUFS, then the end line")
        check(nums == sorted(set(nums)), f"{who}: lines out of order")
        check(len(nums) + lost == LINES, f"{who}: {len(nums)} lines + lost {lost} != {LINES}")
        check([l["type"] for l in lines].count("end") == 1, f"{who}: more than one end line")
    check(slow.overruns > 0, "the full subscriber's socket never overflowed: nothing was tested")

c_klua.main_wrapper(main)
EOF

klua state create "$S"
python3 - "$S" "$ko" <<'EOF'
import subprocess, sys, time
import c_klua, genl
from c_klua import check

state, ko = sys.argv[1], sys.argv[2]

def main():
    g = genl.Genl()
    fast = c_klua.Subscriber(state, rcvbuf=4 << 20)
    slow = c_klua.Subscriber(state, rcvbuf=1)
    c_klua.exec_value(g, state, """
        timer.after(1, function()
            for i = 1, 100 do print("U" .. i .. " " .. string.rep("u", 240)) end
        end)
        return true""")
    check(fast.read_until(lambda s: b'"U100 ' in b"".join(s.raw[-3:]), 10),
          "the reading subscriber did not get every line")
    g.close()
    t0 = time.monotonic()
    rc = subprocess.run(["rmmod", "klua"]).returncode
    print(f"# rmmod with an end line owed: status {rc}, {(time.monotonic() - t0) * 1000:.0f} ms")
    check(rc == 0, f"rmmod failed: {rc}")
    fast.read_until(lambda s: b'"type":"end"' in b"".join(s.raw[-1:]), 5)
    check(fast.lines()[-1]["data"] == {"reason": "unloaded"}, "the reading subscriber got no end line")
    slow.read(0.5)
    print(f"# the full subscriber read {len(slow.lines())} lines after the unload")
    check(subprocess.run(["insmod", ko]).returncode == 0, "insmod failed")

c_klua.main_wrapper(main)
EOF
