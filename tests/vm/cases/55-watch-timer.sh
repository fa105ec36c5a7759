#!/usr/bin/env bash
# NAME --watch streams a timer's prints and errors (not its results), t:stop() ends them, SIGINT exits 0
# TIMEOUT 60
#
# `klua -s S --watch --json` runs in the background while timer.every(50)
# prints "tick N", raises an error every 5th tick and returns a value. The
# watcher gets the ticks in order (at least 20 in 3 s), each 5th as a
# {"type":"error"} line of kind "runtime" carrying the message, and never a
# result. After t:stop() (which returns true, then false) no tick follows;
# the last tick seen is the last the callback ran. SIGINT ends the watch
# with status 0, and the subscription is gone (subscribers 0).
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c55-watch
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

klua -s "$S" -e '
	n = 0
	t = timer.every(50, function()
		n = n + 1
		print("tick " .. n)
		if n % 5 == 0 then error("boom " .. n, 0) end
		return "result-" .. n
	end)'
[[ $(c_field "$S" timers) == 1 ]] || c_fail "timers is $(c_field "$S" timers), expected 1"
sleep 3
stopped_at=$(klua -s "$S" -e 'return t:stop(), n')
[[ $stopped_at =~ ^true[[:space:]]+([0-9]+)$ ]] || c_fail "t:stop() gave '$stopped_at'"
last=${BASH_REMATCH[1]}
[[ $(klua -s "$S" -e 'return t:stop()') == false ]] || c_fail "a second t:stop() did not return false"
[[ $(c_field "$S" timers) == 0 ]] || c_fail "timers is $(c_field "$S" timers) after stop"
c_note "the callback ran $last times in ~3 s"
((last >= 20)) || c_fail "only $last ticks in 3 s (period 50 ms)"

# Everything the timer printed up to its stop reaches the watcher; then nothing more.
c_wait 10 grep -q "\"tick $last\"" "$out" || c_fail "tick $last never reached the watcher"
sleep 1

kill -INT "$watcher"
rc=0
wait "$watcher" || rc=$?
watcher=
[[ $rc == 0 ]] || c_fail "--watch exited $rc on SIGINT; stderr: $(cat "$err")"
c_wait 5 c_field_is "$S" subscribers 0 || c_fail "subscribers is $(c_field "$S" subscribers) after the watch ended"

python3 - "$out" "$S" "$last" <<'EOF'
import sys
import c_klua
from c_klua import check

path, state, last = sys.argv[1], sys.argv[2], int(sys.argv[3])

def main():
    lines = c_klua.parse_ndjson(open(path).read(), "watch output")
    for line in lines:
        check(line.get("state") == state, f"a line of another state: {line}")
        check(line["type"] in ("print", "error"), f"unexpected line: {line}")
        check("result-" not in str(line), f"a callback's result became an event: {line}")
    ticks = [l["data"] for l in lines if l["type"] == "print"]
    check(ticks == [f"tick {i}" for i in range(1, last + 1)],
          f"ticks are not 1..{last} in order: {ticks[:5]}...{ticks[-5:]}")
    errors = [l["data"] for l in lines if l["type"] == "error"]
    want = [f"boom {i}" for i in range(5, last + 1, 5)]
    check([e.get("message") for e in errors] == want,
          f"error events {[e.get('message') for e in errors]}, expected {want}")
    check(all(e.get("kind") == "runtime" for e in errors), f"error kinds: {errors[:2]}")
    print(f"# {len(ticks)} ticks and {len(errors)} error events")

c_klua.main_wrapper(main)
EOF
