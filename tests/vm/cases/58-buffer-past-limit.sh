#!/usr/bin/env bash
# NAME a callback's error line may use room beyond the full event buffer; the lines printed after it are lost, not buffered past the limit
# TIMEOUT 60
#
# With no subscriber, one callback prints 1000 lines of ~130 bytes into the
# 64 KB event buffer (about half fit), then raises an error of 3000
# characters: an error line has 4 KB of room beyond the limit, so it is
# kept. A later callback prints 1000 more lines: the buffer is past its
# limit, so every one of them is lost. A subscriber then gets the A lines
# that fit, a lost line, the error line, and a lost line with the B lines:
# no B line, and lines + lost counts = 2001.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c58-past
trap 'c_destroy "$S"' EXIT
c_destroy "$S"
klua state create "$S"
[[ $(cat /sys/module/klua/parameters/event_buffer) == 65536 ]] || c_fail "event_buffer is not 64 KiB"

python3 - "$S" <<'EOF'
import sys, time
import c_klua, genl
from c_klua import check

state = sys.argv[1]

def main():
    g = genl.Genl()
    c_klua.exec_value(g, state, """
        local pad = string.rep("y", 80)
        timer.after(1, function()
            for i = 1, 1000 do print("A" .. i .. " " .. pad) end
            error(string.rep("e", 3000))
        end)
        timer.after(100, function()
            for i = 1, 1000 do print("B" .. i .. " " .. pad) end
            done = true
        end)
        return true""")
    deadline = time.monotonic() + 10
    while c_klua.exec_value(g, state, "return done == true") is not True:
        check(time.monotonic() < deadline, "the callbacks did not run")
        time.sleep(0.1)
    sub = c_klua.Subscriber(state, rcvbuf=4 << 20)
    sub.read_until(lambda s: s.raw and b'"type":"lost"' in s.raw[-1] and
                   any(b'"type":"error"' in l for l in s.raw), 10)
    sub.read(0.3)
    lines = sub.lines()
    kinds = [l["type"] for l in lines]
    prints = [l["data"].split(" ")[0] for l in lines if l["type"] == "print"]
    counts = [l["data"]["count"] for l in lines if l["type"] == "lost"]
    print(f"# {len(prints)} lines, lost counts {counts}, {kinds.count('error')} error line; "
          f"state lost counter {c_klua.state(state, g)['lost']}")
    check(not [p for p in prints if p.startswith("B")],
          f"{len([p for p in prints if p.startswith('B')])} B lines were buffered past the limit")
    check(kinds.count("error") == 1, f"{kinds.count('error')} error lines")
    check(prints == [f"A{i}" for i in range(1, len(prints) + 1)], "A lines missing or out of order")
    check(len(prints) + sum(counts) + 1 == 2001,
          f"{len(prints)} lines + lost {sum(counts)} + 1 error != 2001")

c_klua.main_wrapper(main)
EOF
