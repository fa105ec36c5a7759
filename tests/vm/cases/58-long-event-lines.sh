#!/usr/bin/env bash
# NAME event lines longer than one message (5, 20, 60 KB) reach watchers whole; one beyond the 64 KB buffer is counted lost, in its place
# TIMEOUT 60
#
# Timer callbacks print lines of 5, 20 and 60 KB between short ones, then
# one of 70 KB, which the 64 KB event buffer can't hold, and a short one,
# "c". A raw subscriber and the shell watcher each get the short lines and
# the three long ones whole and exact (a long line travels alone, in a
# larger message), and a lost line with count 1 in place of the 70 KB one:
# after the 60 KB line, before "c" (printed after the loss). Each callback
# starts once the raw subscriber has what the one before printed, so the
# buffer is empty each time and only the 70 KB line can be lost.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c58-long
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

python3 - "$S" "$out" <<'EOF'
import sys, time
import c_klua, genl
from c_klua import check

state, path = sys.argv[1], sys.argv[2]
SIZES = [5000, 20000, 60000]

def expect(lines, who):
    data = [l["data"] if l["type"] == "print" else l for l in lines]
    shown = [d if isinstance(d, dict) or len(d) < 20 else f"<{len(d)} bytes>" for d in data]
    longs = [f"{n}:" + "w" * n for n in SIZES]
    lost = {"type": "lost", "state": state, "data": {"count": 1}}
    got = [d for d in data if d != lost]
    check(got == ["a", longs[0], "b", longs[1], longs[2], "c"], f"{who} got {shown}")
    check(data.count(lost) == 1, f"{who} did not get one lost line with count 1: {shown}")
    # The 70 KB line was lost before "c" was printed: the notice comes first.
    check(data.index(lost) == len(data) - 2, f"{who}: the lost line is not in its place: {shown}")


def main():
    g = genl.Genl()
    sub = c_klua.Subscriber(state, rcvbuf=4 << 20)

    def after(code, last):
        c_klua.exec_value(g, state, f"timer.after(1, function() {code} end) return true")
        check(sub.read_until(lambda s: last.encode() in b"\n".join(s.raw[-3:]), 10),
              f"the raw subscriber did not get {last}")

    after('print("a") print("5000:" .. string.rep("w", 5000)) print("b") '
          'print("20000:" .. string.rep("w", 20000))', '"data":"20000:')
    after('print("60000:" .. string.rep("w", 60000))', '"data":"60000:')
    after('print(string.rep("x", 70000)) print("c")', '"data":"c"')
    sub.read(0.3)                       # a late lost line would come now
    expect(sub.lines(), "the raw subscriber")
    deadline = time.monotonic() + 10
    while '"data":"c"' not in open(path).read() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    expect(c_klua.parse_ndjson(open(path).read(), "shell watcher"), "the shell watcher")
    check(c_klua.state(state, g)["lost"] == 1, "the state's lost counter is not 1")
    print(f"# {sub.events} EVENT messages to the raw subscriber")

c_klua.main_wrapper(main)
EOF
kill -INT "$watcher"
rc=0
wait "$watcher" || rc=$?
watcher=
[[ $rc == 0 ]] || c_fail "the watcher exited $rc"
