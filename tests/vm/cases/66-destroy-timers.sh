#!/usr/bin/env bash
# NAME destroy while timers fire every 1-10 ms in 5 states (with subscribers, nested and self-stopping timers), 4 rounds
# TIMEOUT 90
#
# Each round creates 5 states; each gets 8 periodic timers (1, 2, 5 and
# 10 ms) that print, one that starts one-shot timers from its callback,
# one that stops itself, and one that raises errors; two states have a
# subscriber that reads. After 0.7 s all five are destroyed while their
# timers fire. Each destroy must finish within 5 s, the states must be
# gone, the subscribers must have got lines and, last, an "end" line; the
# kernel log must stay clean (checked by the runner).
set -euo pipefail
source tests/vm/lib/c_common.sh

states=(c66-a c66-b c66-c c66-d c66-e)
trap 'c_destroy "${states[@]}"' EXIT
c_destroy "${states[@]}"

python3 - "${states[@]}" <<'EOF'
import sys, time
import c_klua, genl
from c_klua import check

states = sys.argv[1:]
SETUP = """
    n = 0
    for i, ms in ipairs({1, 1, 2, 2, 5, 5, 10, 10}) do
        timer.every(ms, function() n = n + 1; if n % 7 == 0 then print("t" .. i .. " " .. n) end end)
    end
    timer.every(3, function() timer.after(1, function() print("nested") end) end)
    local self_stop
    self_stop = timer.every(1, function() if n > 50 then self_stop:stop() end end)
    timer.every(4, function() error("boom") end)
    return true
"""

def main():
    g = genl.Genl()
    for rnd in range(4):
        for s in states:
            c_klua.create(s, g=g)
        subs = [c_klua.Subscriber(s, rcvbuf=4 << 20) for s in states[:2]]
        for s in states:
            check(c_klua.exec_value(g, s, SETUP) is True, f"setup of {s} failed")
        for sub in subs:
            sub.read(0.35)
        times = []
        for s in states:
            t = time.monotonic()
            c_klua.destroy(s, g)
            times.append(time.monotonic() - t)
        check(max(times) < 5, f"round {rnd}: a destroy took {max(times):.1f}s")
        left = set(c_klua.states(g)) & set(states)
        check(not left, f"round {rnd}: still listed after destroy: {left}")
        for sub in subs:
            check(sub.read_until(lambda x: b'"type":"end"' in b"\n".join(x.raw), 10),
                  f"round {rnd}: the subscriber of {sub.name} got no end line")
            lines = sub.lines()
            check(len(lines) > 1, f"round {rnd}: the subscriber of {sub.name} got too little")
            check(lines[-1]["type"] == "end" and lines[-1]["data"] == {"reason": "destroyed"},
                  f"round {rnd}: last line {lines[-1]}, expected the end line")
            check(sum(l["type"] == "end" for l in lines) == 1, "more than one end line")
            sub.close()
        print(f"# round {rnd}: destroys took {', '.join(f'{t * 1000:.0f}' for t in times)} ms")

c_klua.main_wrapper(main)
EOF
