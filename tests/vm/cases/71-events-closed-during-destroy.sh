#!/usr/bin/env bash
# NAME events: watchers that close while their state is destroyed are forgotten; new sockets on their port ids get nothing, then or later
# TIMEOUT 240
#
# A subscriber is a socket, reached by its port id. A socket that closes
# while its state is being destroyed (no longer listed, its end lines not
# yet sent) must still be forgotten: a socket that binds the same port id
# afterwards must get none of that state's prints, nor its end line, nor a
# lost line (docs/PROTOCOL.md: events go to the sockets that subscribed).
# 60 rounds: a state whose timer prints 30 lines of 1 KB every millisecond
# (so that a delivery is in progress when the destroy comes, and the end
# lines wait behind it), 16 subscribers bound to chosen port ids (every
# other one with the smallest receive buffer, so that its end line is owed;
# none reads). A child process destroys the state while this one closes
# each subscriber and at once binds a new socket to its port id, starting
# at a delay that sweeps 0-7.5 ms over the rounds, so that some of the
# closes fall inside the destroy. The new sockets then read for 0.4 s
# (longer than the retry of owed lines): they must get no message of
# klua's family and no ENOBUFS.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c71-destroyed
trap 'c_destroy "$S"' EXIT
c_destroy "$S"

python3 - "$S" <<'EOF'
import os
import select
import sys
import time

import c_events
import c_klua
import genl
from c_klua import check

state = sys.argv[1]
ROUNDS, SUBS = 60, 16


def destroyer(go_r, done_w):
    """Destroys the state each time it reads a byte; writes back how long
    the destroy took, in microseconds."""
    g = genl.Genl()
    while os.read(go_r, 1):
        t0 = time.monotonic()
        c_klua.destroy(state, g)
        os.write(done_w, f"{int((time.monotonic() - t0) * 1e6):8d}".encode())
    os._exit(0)


def spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def main():
    fam = c_events.family()
    go_r, go_w = os.pipe()
    done_r, done_w = os.pipe()
    kid = os.fork()
    if kid == 0:
        os.close(go_w)
        os.close(done_r)
        destroyer(go_r, done_w)
    os.close(go_r)
    os.close(done_w)
    g = genl.Genl()
    bad, took, inside = [], [], 0
    hit_rounds = 0
    for rnd in range(ROUNDS):
        pids = c_events.port_ids(SUBS, seed=rnd)
        c_klua.create(state, g=g)
        c_klua.exec_value(g, state, """
            n = 0
            pad = string.rep("p", 1000)
            timer.every(1, function()
                for i = 1, 30 do n = n + 1; print("tick " .. n .. " " .. pad) end
            end)
            return true""")
        old = [c_events.Port(p, fam) for p in pids]
        for i, port in enumerate(old):
            port.subscribe(state, rcvbuf=1 if i % 2 else None)
        old[0].read(0.01)               # the ticks flow
        os.write(go_w, b"g")
        spin(0.0005 * (rnd % 16))
        new = []
        for port in old:
            port.close()
            p = c_events.bind_when_free(port.pid, fam, 5)
            check(p is not None, f"round {rnd}: port {port.pid:#x} stayed taken after close")
            new.append(p)
        # still destroying once all were rebound: some closes were inside it
        if not select.select([done_r], [], [], 0)[0]:
            inside += 1
        took.append(int(os.read(done_r, 8)))
        deadline = time.monotonic() + 0.4
        while time.monotonic() < deadline:
            for p in new:
                p.read(0.005)
        hits = 0
        for p in new:
            if p.got_anything():
                bad.append(f"round {rnd}: {p.describe()}")
                hits += 1
            p.close()
        hit_rounds += hits > 0
    os.close(go_w)
    os.waitpid(kid, 0)
    took.sort()
    print(f"# {ROUNDS} rounds of {SUBS}: destroy took {took[len(took) // 2]} us (median), "
          f"{took[-1]} us at most; the rebinding ended before the destroy in {inside} rounds; "
          f"{len(bad)} sockets got something, in {hit_rounds} rounds")
    check(not bad, f"{len(bad)} sockets that never subscribed got the destroyed state's "
          f"events: {bad[:3]}")
    check(inside >= ROUNDS // 10, "the sockets were hardly ever rebound while the destroy "
          "ran: nothing was tested")


c_klua.main_wrapper(main)
EOF
