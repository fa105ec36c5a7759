#!/usr/bin/env bash
# NAME --watch whose output pipe stalls 8 s under a heavy stream: only valid lines, and it still exits 0 on SIGINT
# TIMEOUT 60
#
# The real shell watches a state whose timer prints 100 lines of ~400 bytes
# every 5 ms, into a FIFO that nobody reads for 8 s: the shell blocks on
# its stdout, stops reading its socket, and the kernel drops messages for
# it once its receive buffer (4 MiB) is full. That is a slow consumer, an
# everyday thing (a pager, a slow disk). When the reader comes back, every
# line the shell wrote must be a valid JSON object, the shell must not
# report an invalid line from the kernel, the lines shown plus the kernel's
# lost counts must add up to the lines printed, and SIGINT must end it
# with 0.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c57-pipe
fifo=$KLUA_CASE_TMP/fifo
out=$KLUA_CASE_TMP/watch.out
err=$KLUA_CASE_TMP/watch.err
watcher="" reader=""
cleanup() {
	c_kill "$watcher"
	c_kill "$reader"
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
rm -f "$fifo"
mkfifo "$fifo"

klua state create "$S"
# The reader opens the FIFO at once (so the shell can start) but reads only after 8 s.
(
	exec 3<"$fifo"
	sleep 8
	cat <&3 >"$out"
) &
reader=$!
c_watch "$S" "$fifo"

klua -s "$S" -e '
	n = 0
	local pad = string.rep("z", 400)
	t = timer.every(5, function()
		for i = 1, 100 do n = n + 1; print("L" .. n .. " " .. pad) end
	end)'
sleep 7
total=$(klua -s "$S" -e 't:stop() return n')
c_note "the timer printed $total lines"
# A few more events, apart, once the reader drains: they carry owed loss counts.
sleep 3
for _ in 1 2 3 4 5; do
	klua -s "$S" -e 'timer.after(1, function() print("end") end)'
	sleep 0.3
done
c_wait 10 grep -q '"data":"end"' "$out" 2>/dev/null || c_fail "the last events never came out"

kill -INT "$watcher"
rc=0
wait "$watcher" || rc=$?
watcher=
wait "$reader" || true
reader=

python3 - "$out" "$total" <<'EOF'
import sys
import c_klua
from c_klua import check

def main():
    lines = c_klua.parse_ndjson(open(sys.argv[1]).read(), "watch output")
    total = int(sys.argv[2])
    shown = sum(1 for l in lines if l["type"] == "print" and l["data"].startswith("L"))
    ends = sum(1 for l in lines if l["type"] == "print" and l["data"] == "end")
    counts = [l["data"]["count"] for l in lines if l["type"] == "lost" and "count" in l["data"]]
    overruns = sum(1 for l in lines if l["type"] == "lost" and "count" not in l["data"])
    print(f"# {shown} of {total} lines shown; lost counts {counts}; {overruns} socket overruns")
    bad = [l for l in lines if l["type"] == "error"]
    check(not bad, f"the watcher reported errors: {str(bad)[:600]}")
    check(overruns or counts, "the watcher's socket never overflowed: nothing was tested")
    # Lines shown + lost counts = lines printed; the shell may drop one
    # partial line of its own at each overrun, which no count covers.
    # The 5 "end" lines count too.
    missing = total + 5 - shown - ends - sum(counts)
    check(0 <= missing <= 2 * overruns,
          f"{shown} + {ends} lines shown + lost counts {sum(counts)} = "
          f"{shown + ends + sum(counts)}, but {total} + 5 were printed")

c_klua.main_wrapper(main)
EOF
[[ $rc == 0 ]] || c_fail "--watch exited $rc on SIGINT; stderr: $(cat "$err")"
