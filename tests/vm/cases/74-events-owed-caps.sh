#!/usr/bin/env bash
# NAME events: end lines owed to full sockets are capped at 64 a socket and 1024 a namespace; those within the caps all arrive once the sockets read
# TIMEOUT 180
#
# When a state ends and a subscriber's socket is full, its end line waits in
# the kernel until the socket takes it (docs/PROTOCOL.md). That memory
# belongs to no state, so it is capped (kernel/events.c): 64 lines a socket,
# 1024 a network namespace, 4096 in all. 16 sockets subscribe to each of 66
# states A0-A65 (16 is the most a state takes); a 17th socket subscribes to
# 8 states B0-B7. Each socket's receive buffer is made the smallest and
# filled with one long line, and all 74 states are destroyed: every end
# line finds its socket full. Then the buffers are made large and the
# sockets read: each of the 16 gets exactly 64 end lines (2 were past its
# cap), and the 17th gets none (the namespace's 1024 were taken, by the A
# states, destroyed first). Lines past the caps are dropped, never sent
# later: nothing more arrives in another 0.5 s.
set -euo pipefail
source tests/vm/lib/c_common.sh

A=66 B=8
cleanup() {
	local i
	for ((i = 0; i < A; i++)); do c_destroy "c74-a$i"; done
	for ((i = 0; i < B; i++)); do c_destroy "c74-b$i"; done
}
trap cleanup EXIT
cleanup

python3 - "$A" "$B" <<'EOF'
import sys
import time

import c_klua
import genl
from c_klua import check

A, B = int(sys.argv[1]), int(sys.argv[2])
a_states = [f"c74-a{i}" for i in range(A)]
b_states = [f"c74-b{i}" for i in range(B)]


def ends(sub):
    return [l for l in sub.lines() if l["type"] == "end"]


def main():
    g = genl.Genl()
    for s in a_states + b_states:
        c_klua.create(s, g=g)
    subs = [c_klua.Subscriber(a_states[0], rcvbuf=8 << 20) for _ in range(16)]
    for sub in subs:
        for s in a_states[1:]:
            sub.name = s
            sub.subscribe()
    last = c_klua.Subscriber(b_states[0], rcvbuf=8 << 20)
    for s in b_states[1:]:
        last.name = s
        last.subscribe()
    for sub in subs + [last]:
        sub.name = None                 # lines of many states
        sub.g.sock.setsockopt(genl.socket.SOL_SOCKET, c_klua.SO_RCVBUFFORCE, 1)
    # one long line fills each socket: nothing else fits behind it
    for s in (a_states[0], b_states[0]):
        c_klua.exec_value(g, s, 'timer.after(1, function() print(string.rep("f", 6000)) end) '
                          'return 1')
    time.sleep(1)
    for s in a_states + b_states:
        c_klua.destroy(s, g)
    for sub in subs + [last]:
        sub.g.sock.setsockopt(genl.socket.SOL_SOCKET, c_klua.SO_RCVBUFFORCE, 8 << 20)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(len(ends(s)) < 64 for s in subs):
        for sub in subs + [last]:
            sub.read(0.02)
    for sub in subs + [last]:
        sub.read(0.5 / 17)
    got = [len(ends(s)) for s in subs]
    print(f"# end lines received by the 16 sockets: {got}; by the 17th: {len(ends(last))}")
    check(all(n == 64 for n in got), f"the sockets subscribed to {A} states got {got} end "
          "lines, expected 64 each (the cap of a socket)")
    check(not ends(last), f"the 17th socket got {len(ends(last))} end lines past the "
          "namespace's cap of 1024")
    for sub in subs:
        names = {l["state"] for l in ends(sub)}
        check(len(names) == 64 and names <= set(a_states), f"end lines of states {names}")
        fills = [l for l in sub.lines() if l["type"] == "print"]
        check(len(fills) == 1 and len(sub.lines()) == 65,
              f"a socket got lines other than its long line and its end lines: "
              f"{[l['type'] for l in sub.lines()][:10]}")


c_klua.main_wrapper(main)
EOF
