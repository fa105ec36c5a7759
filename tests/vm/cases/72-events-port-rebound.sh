#!/usr/bin/env bash
# NAME events: a socket that takes a closing subscriber's port id the moment it is free gets none of its events
# TIMEOUT 150
#
# The kernel lets a port id go (netlink_release unhashes the socket) before
# it tells modules that the socket is gone (NETLINK_URELEASE), and that
# notice may wait behind a delivery in progress. A socket that binds the
# port id in between must not get what was meant for the closed subscriber.
# A state's timer prints 30 lines of 1 KB every millisecond to 6 subscribers
# that never read (so each delivery takes a while) and, in each of 80
# rounds, to 2 subscribers on chosen port ids. For each of these, a child
# process (forked before the subscriber's socket exists, so it holds none of
# its descriptors) spins on bind() to that port id; the subscribers are
# closed, the children bind as soon as they can, read for 0.3 s, and must
# get no message of klua's family and no ENOBUFS. The state stays listed and
# keeps printing; once the others are closed too, it has no subscriber left.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c72-rebound
trap 'c_destroy "$S"' EXIT
c_destroy "$S"
klua state create "$S"

python3 - "$S" <<'EOF'
import os
import sys
import time

import c_events
import c_klua
import genl
from c_klua import check

state = sys.argv[1]
ROUNDS, SUBS = 80, 2


def child(pid, fam, go_r, report_w):
    """Waits for the go byte, binds pid as soon as it is free, reads."""
    os.read(go_r, 1)
    port = c_events.bind_when_free(pid, fam, 10)
    if port is None:
        os.write(report_w, f"port {pid:#x} stayed taken\n".encode())
        os._exit(2)
    port.read(0.3)
    if port.got_anything():
        os.write(report_w, (port.describe() + "\n").encode())
        os._exit(1)
    os._exit(0)


def main():
    fam = c_events.family()
    g = genl.Genl()
    c_klua.exec_value(g, state, """
        n = 0
        pad = string.rep("p", 1000)
        timer.every(1, function()
            for i = 1, 30 do n = n + 1; print("tick " .. n .. " " .. pad) end
        end)
        return true""")
    failures = []
    # Subscribers that never read: each delivery takes longer.
    bystanders = [c_klua.Subscriber(state, rcvbuf=1 << 20) for _ in range(6)]
    for rnd in range(ROUNDS):
        pids = c_events.port_ids(SUBS, seed=1000 + rnd)
        report_r, report_w = os.pipe()
        kids = []
        for pid in pids:
            go_r, go_w = os.pipe()
            k = os.fork()
            if k == 0:
                os.close(go_w)
                os.close(report_r)
                child(pid, fam, go_r, report_w)
            os.close(go_r)
            kids.append((k, go_w))
        os.close(report_w)
        subs = [c_events.Port(pid, fam) for pid in pids]
        for s in subs:
            s.subscribe(state)
        subs[0].read(0.02)              # the ticks flow
        for _, go_w in kids:
            os.write(go_w, b"g")
            os.close(go_w)
        time.sleep(0.001 * (rnd % 4))
        for s in subs:
            s.close()
        for k, _ in kids:
            _, status = os.waitpid(k, 0)
            if status:
                failures.append(f"round {rnd}: child exit {status >> 8}")
        text = b""
        while True:
            chunk = os.read(report_r, 4096)
            if not chunk:
                break
            text += chunk
        os.close(report_r)
        if text:
            failures.append(f"round {rnd}: {text.decode().strip()}")
    check(not failures, f"{len(failures)} of {ROUNDS} rounds went wrong: {failures[:4]}")
    for b in bystanders:
        b.close()
    info = c_klua.state(state, g)
    check(info["subscribers"] == 0, f"{info['subscribers']} subscribers left")
    print(f"# {ROUNDS} rounds of {SUBS} rebinds; no rebound socket got anything; "
          f"{c_klua.exec_value(g, state, 'return n')} ticks printed")


c_klua.main_wrapper(main)
EOF
