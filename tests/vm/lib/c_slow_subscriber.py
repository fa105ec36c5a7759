"""A subscriber that stops reading, then resumes: what it must get.

    c_slow_subscriber.py STATE PERIOD_MS LINES_PER_TICK LINE_BYTES [RCVBUF [PAUSE_MS]]

A timer prints LINES_PER_TICK numbered lines of about LINE_BYTES bytes every
PERIOD_MS ms. A raw socket with a small receive buffer (RCVBUF, default the
smallest there is: one message) subscribes and does not read for 2 s, so the
kernel cannot deliver to it; a second subscriber with a large buffer reads
all along. Then the slow one reads again for 2 s (resting PAUSE_MS after
each message, default 0; a rest keeps its buffer nearly full). The timer is
stopped, and short "end" lines follow one by one until the slow
subscriber's books balance: a loss count is owed until the next event goes
out.

What must hold for the slow subscriber:
  - every line it gets is a whole JSON object, whichever messages it
    missed (it drops a partial line when recv() reports ENOBUFS, as a
    client must);
  - it gets at least one {"type":"lost"} line, with a positive count;
  - numbered lines arrive in increasing order, and the lines it got plus
    the counts of its lost lines are exactly the lines printed (the timer's
    and the "end" lines).
The fast subscriber gets every line, in order, and no lost line.
"""
import sys
import time

import c_klua
import genl
from c_klua import check


def numbered(lines, where):
    """The numbers of the "L<n> ..." print lines, the sum of lost counts, and
    the number of "end" lines."""
    nums, lost, ends = [], 0, 0
    for line in lines:
        if line["type"] == "lost":
            count = line["data"]["count"]
            check(isinstance(count, int) and count > 0, f"{where}: bad lost line {line}")
            lost += count
        elif line["type"] == "print" and line["data"].startswith("L"):
            nums.append(int(line["data"][1:].split(" ")[0]))
        elif line["type"] == "print" and line["data"] == "end":
            ends += 1
        else:
            raise c_klua.Failed(f"{where}: unexpected line {line}")
    return nums, lost, ends


def main():
    state, period, per_tick, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rcvbuf = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    pause = int(sys.argv[6]) / 1000 if len(sys.argv) > 6 else 0.0
    g = genl.Genl()
    fast = c_klua.Subscriber(state, rcvbuf=32 << 20)
    slow = c_klua.Subscriber(state, rcvbuf=rcvbuf)
    check(c_klua.state(state, g)["subscribers"] == 2, "subscribers is not 2")
    c_klua.exec_value(g, state, f"""
        n = 0
        pad = string.rep("x", {size})
        t = timer.every({period}, function()
            for i = 1, {per_tick} do n = n + 1; print("L" .. n .. " " .. pad) end
        end)
        return true""")
    fast.read(2.0)                      # the slow subscriber does not read
    slow.read(2.0, pause)               # now it does
    total = c_klua.exec_value(g, state, "t:stop() return n")
    deadline = time.monotonic() + 15
    ends = 0                        # "end" lines printed
    while time.monotonic() < deadline:
        c_klua.exec_value(g, state, 'timer.after(1, function() print("end") end) return 1')
        ends += 1
        for sub in (fast, slow):
            sub.read(0.3)
        try:
            nums, lost, ends_got = numbered(slow.lines(), "slow subscriber")
        except c_klua.Failed:
            break                   # a broken line: reported below
        if len(nums) + ends_got + lost == total + ends:
            break

    fast.read_until(lambda f: f'"L{total} '.encode() in b"".join(f.raw[-200:]), 15)
    fast_nums, fast_lost, _ = numbered(fast.lines(), "fast subscriber")
    check(fast_nums == list(range(1, total + 1)) and fast_lost == 0 and fast.overruns == 0,
          f"the fast subscriber missed lines: got {len(fast_nums)} of {total}, "
          f"lost {fast_lost}, {fast.overruns} overruns")

    slow_lines = slow.lines()           # fails on a broken line
    nums, lost, ends_got = numbered(slow_lines, "slow subscriber")
    kinds = [l["type"] for l in slow_lines]
    print(f"# timer printed {total} lines; the slow subscriber got {len(nums)}, "
          f"{kinds.count('lost')} lost lines counting {lost}, {slow.overruns} ENOBUFS; "
          f"{slow.events} messages")
    check(kinds.count("lost") >= 1, "the slow subscriber got no lost line")
    check(nums == sorted(set(nums)), "the slow subscriber's lines are out of order or repeated")
    check(len(nums) + ends_got + lost == total + ends,
          f"got {len(nums)} + {ends_got} lines + lost counts {lost} = "
          f"{len(nums) + ends_got + lost}, but {total} + {ends} were printed")
    info = c_klua.state(state, g)
    print(f"# state lost counter (lines the buffer could not hold): {info['lost']}")


c_klua.main_wrapper(main)
