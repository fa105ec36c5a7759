#!/usr/bin/env bash
# NAME events: a subscriber's lost line comes where its lines went missing, before any newer line, even while it reads as fast as it can
# TIMEOUT 120
#
# docs/PROTOCOL.md: a "lost" line takes the place of the lines a subscriber
# missed. So, reading the numbered lines a timer prints, a subscriber must
# see each line n right after line n-1, or right after a lost line whose
# count is exactly the lines missed in between. A socket with the smallest
# receive buffer (one message) that reads all the time is full and empty in
# turns, so the kernel's sends to it fail and succeed in quick succession:
# its lost line may fail (EAGAIN) just before a newer message would go
# through. Three such subscribers and one with room to spare read for 8 s
# while the timer prints 4 lines of 100 bytes every 2 ms; then the timer
# stops and single "end" lines follow until each slow subscriber's lost
# count has gone out. Every subscriber's lines must be in place, and lines
# plus lost counts must add up to what was printed.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c73-order
trap 'c_destroy "$S"' EXIT
c_destroy "$S"
klua state create "$S"

python3 - "$S" <<'EOF'
import json
import select
import sys
import time

import c_klua
import genl
from c_klua import check

state = sys.argv[1]


class Audit:
    """Walks a subscriber's lines in order, as they come: how many printed
    lines they account for, and the lost lines among them; fails at the
    first line out of place."""

    def __init__(self, sub, where):
        self.sub, self.where = sub, where
        self.seen, self.accounted, self.losses = 0, 0, 0

    def update(self):
        raw = self.sub.raw
        while self.seen < len(raw):
            text = raw[self.seen]
            self.seen += 1
            try:
                line = json.loads(text)
            except ValueError:
                raise c_klua.Failed(f"{self.where}: line {self.seen} is broken: {text[:200]!r}")
            if line["type"] == "lost":
                count = line["data"]["count"]
                check(isinstance(count, int) and count > 0, f"{self.where}: bad lost line {line}")
                self.accounted += count
                self.losses += 1
                continue
            check(line["type"] == "print" and line["data"].startswith("L"),
                  f"{self.where}: unexpected line {line}")
            n = int(line["data"][1:].split(" ")[0])
            check(n == self.accounted + 1,
                  f"{self.where}: line {self.seen} is L{n} where L{self.accounted + 1} was "
                  f"due (lines or a lost line out of place); before it: "
                  f"{[r[:60] for r in raw[max(0, self.seen - 4):self.seen - 1]]}")
            self.accounted += 1
        return self.accounted


def main():
    g = genl.Genl()
    fast = c_klua.Subscriber(state, rcvbuf=32 << 20)
    slow = [c_klua.Subscriber(state) for _ in range(3)]
    for s in slow:
        s.g.sock.setsockopt(genl.socket.SOL_SOCKET, c_klua.SO_RCVBUFFORCE, 1)
    subs = [fast] + slow
    audits = {s: Audit(s, "the fast subscriber" if s is fast else f"slow subscriber {i}")
              for i, s in enumerate(subs)}
    # "end" lines are numbered like the others: L<n> end
    c_klua.exec_value(g, state, """
        n = 0
        pad = string.rep("x", 100)
        t = timer.every(2, function()
            for i = 1, 4 do n = n + 1; print("L" .. n .. " " .. pad) end
        end)
        return true""")
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        r, _, _ = select.select(subs, [], [], 0.2)
        for s in r:
            s._read_once(0)
            audits[s].update()
    total = c_klua.exec_value(g, state, "t:stop() return n")
    # Each slow subscriber is owed a lost line until a line goes out after
    # its loss: print single lines, numbered on, until all books balance.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        total = c_klua.exec_value(
            g, state, 'timer.after(1, function() n = n + 1; print("L" .. n .. " end") end) '
            'return n + 1')
        for s in subs:
            s.read(0.1)
        if all(audits[s].update() == total for s in slow):
            break
    fast.read_until(lambda f: audits[f].update() == total, 10)
    for s in subs:
        s.read(0.05)
    results = []
    for s in subs:
        a = audits[s]
        check(a.update() == total, f"{a.where}: its lines and lost counts account for "
              f"{a.accounted} lines, but {total} were printed")
        results.append(f"{len(s.raw)} lines with {a.losses} lost lines, {s.overruns} ENOBUFS")
    check(audits[fast].losses == 0, "the fast subscriber lost lines")
    check(sum(audits[s].losses for s in slow) >= 3, "the slow subscribers hardly lost a "
          "line: nothing was tested")
    print(f"# {total} lines printed; " + "; ".join(results))


c_klua.main_wrapper(main)
EOF
