#!/usr/bin/env bash
# NAME two watchers get the same events; timer.after fires once; a closed or killed subscriber is forgotten
# TIMEOUT 60
#
# A shell watcher and a raw genl.py subscriber watch one state (subscribers
# 2). timer.after(300) prints once and timer.every(40) prints numbered
# lines: both watchers get exactly the same lines, the one-shot line once.
# Closing the raw socket without UNSUBSCRIBE, then SIGKILL of the shell,
# each take the subscriber count down by one: the kernel forgets sockets
# that are gone. Events sent after that reach no one and break nothing.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c56-two
out=$KLUA_CASE_TMP/watch.out
watcher=
cleanup() {
	c_kill "$watcher"
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"

klua state create "$S"
c_watch "$S"

python3 - "$S" "$out" "$watcher" <<'EOF'
import os, signal, sys, time
import c_klua, genl
from c_klua import check

state, path, watcher = sys.argv[1], sys.argv[2], int(sys.argv[3])

def main():
    g = genl.Genl()
    raw = c_klua.Subscriber(state)
    check(c_klua.state(state, g)["subscribers"] == 2, "subscribers is not 2 with two watchers")
    c_klua.exec_value(g, state, """
        once = timer.after(300, function() print("once") end)
        n = 0
        t = timer.every(40, function() n = n + 1; print("n" .. n) end)
        return true""")
    check(c_klua.state(state, g)["timers"] == 2, "timers is not 2")
    raw.read(2.5)
    last = c_klua.exec_value(g, state, "t:stop() return n")
    check(c_klua.state(state, g)["timers"] == 0, "timers is not 0 after the one-shot fired "
          "and the periodic one stopped")
    check(c_klua.exec_value(g, state, "return once:stop()") is False,
          "stop() of a one-shot timer that fired did not return false")
    want = ["once"] + [f"n{i}" for i in range(1, last + 1)]
    raw.read_until(lambda r: f'"n{last}"'.encode() in b"".join(r.raw), 10)
    got = [l["data"] for l in raw.lines()]
    check(sorted(got) == sorted(want) and got.count("once") == 1,
          f"raw subscriber got {got}, expected {want} (in some order)")
    deadline = time.monotonic() + 10
    while f'"n{last}"' not in open(path).read() and time.monotonic() < deadline:
        time.sleep(0.1)
    shell = [l["data"] for l in c_klua.parse_ndjson(open(path).read(), "shell watcher")]
    check(shell == got, f"the two watchers differ:\nshell {shell}\nraw   {got}")
    print(f"# both watchers got the same {len(got)} lines")

    raw.close()          # no UNSUBSCRIBE: the kernel must notice the socket is gone
    time.sleep(0.3)
    check(c_klua.state(state, g)["subscribers"] == 1,
          "closing a subscribed socket did not remove its subscription")
    os.kill(watcher, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while c_klua.state(state, g)["subscribers"] != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    check(c_klua.state(state, g)["subscribers"] == 0,
          "a killed watcher's subscription was not removed")
    # Events with no one to get them.
    c_klua.exec_value(g, state, 't = timer.every(5, function() print("nobody") end) return 1')
    time.sleep(0.5)
    c_klua.exec_value(g, state, "return t:stop()")

c_klua.main_wrapper(main)
EOF
wait "$watcher" 2>/dev/null || true
watcher=
