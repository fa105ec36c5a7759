#!/usr/bin/env bash
# NAME destroying a watched state completes at once; the watcher gets the last prints and an "end" line, and exits cleanly
# TIMEOUT 60
#
# `klua -s S --watch --json` watches a state whose timer prints every 10 ms.
# `klua state destroy S` must return within 5 s with status 0. The watcher
# gets the state's prints, then {"type":"end",...,"reason":"destroyed"} as
# its last line (docs/PROTOCOL.md). Then it either exits by itself with
# status 0, or keeps waiting and exits 0 on SIGINT; the case says which it
# saw. A new state of the same name does not reach the old watcher, and a
# watch of a state that does not exist fails with status 1 at once.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c67-watched
out=$KLUA_CASE_TMP/watch.out
err=$KLUA_CASE_TMP/watch.err
watcher=
cleanup() {
	c_kill "$watcher"
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"

klua state create "$S"
c_watch "$S"
klua -s "$S" -e 'n = 0 timer.every(10, function() n = n + 1; print("tick " .. n) end)'
c_wait 10 grep -q '"tick 20"' "$out" || c_fail "the watcher got no ticks"

t0=$(c_ms)
timeout 20 klua state destroy "$S" || c_fail "destroy failed or hung (status $?)"
c_note "destroy took $(($(c_ms) - t0)) ms"
c_state_exists "$S" && c_fail "the state is still listed"

c_wait 5 grep -q '"type":"end"' "$out" || c_fail "the watcher got no end line: $(tail -3 "$out")"
if c_wait 5 c_gone "$watcher"; then
	rc=0
	wait "$watcher" || rc=$?
	watcher=
	c_note "the watcher exited by itself with status $rc after the end line"
	[[ $rc == 0 ]] || c_fail "the watcher exited $rc; stderr: $(cat "$err")"
else
	c_note "the watcher keeps waiting after the end line"
	# Not the old watcher's business: a new state of the same name.
	klua state create "$S"
	klua -s "$S" -e 'timer.after(1, function() print("new state") end)'
	sleep 1
	grep -q '"new state"' "$out" && c_fail "the old watcher got events of the new state"
	kill -INT "$watcher"
	rc=0
	wait "$watcher" || rc=$?
	watcher=
	[[ $rc == 0 ]] || c_fail "the watcher exited $rc on SIGINT; stderr: $(cat "$err")"
fi

python3 - "$out" "$S" <<'EOF'
import sys
import c_klua
from c_klua import check

def main():
    lines = c_klua.parse_ndjson(open(sys.argv[1]).read(), "watch output")
    check(lines[-1] == {"type": "end", "state": sys.argv[2], "data": {"reason": "destroyed"}},
          f"the last line is {lines[-1]}, expected the end line")
    ticks = [int(l["data"].split()[1]) for l in lines if l["type"] == "print"]
    check(ticks == list(range(1, len(ticks) + 1)), "ticks missing or out of order")
    check(all(l["type"] == "print" for l in lines[:-1]), f"unexpected lines: {lines[:-1][-3:]}")
    print(f"# {len(ticks)} ticks, then the end line")

c_klua.main_wrapper(main)
EOF

rc=0
timeout 10 klua -s c67-never-was --watch >/dev/null 2>"$err" || rc=$?
[[ $rc == 1 ]] || c_fail "watching a missing state: status $rc, expected 1"
# The message names the state (before Linux 6.2: "no state with that name").
grep -Eq "c67-never-was|no state with that name" "$err" || c_fail "watching a missing state: stderr $(cat "$err")"
