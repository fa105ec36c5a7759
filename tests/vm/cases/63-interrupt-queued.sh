#!/usr/bin/env bash
# NAME SIGINT to `klua -e` or `klua -i` whose chunk waits behind another client's run of the state interrupts that chunk once it starts, and leaves the other run alone
# TIMEOUT 240
#
# The kernel forgets an interrupt that comes before the chunk runs (here,
# while it waits for the state's other exec), so the shell sends it again
# every 100 ms until its request ends. Without that, B's loop would run its
# 10^9 instructions (minutes under emulation). The interrupt names B's
# netlink port, so A, another client's run, goes on to its end.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c63-queued
out_a=$KLUA_CASE_TMP/a
out_b=$KLUA_CASE_TMP/b
pid_a= pid_b=
cleanup() {
	c_kill "$pid_a"
	c_kill "$pid_b"
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"

c_long_state "$S"
# queued_interrupt LABEL KLUA-ARGS...: runs A, a chunk that ends by itself
# seconds later, then B (klua with KLUA-ARGS) on the same state, which waits
# in the kernel until A's run ends; SIGINT to B must end B's chunk. B reads
# its standard input from $in_b.
queued_interrupt() {
	local label=$1
	shift
	klua -s "$S" --json -e 'local x = 0 for i = 1, 150000000 do x = x + 1 end return x' >"$out_a" 2>&1 &
	pid_a=$!
	sleep 1
	klua "$@" <"$in_b" >"$out_b" 2>&1 &
	pid_b=$!
	sleep 1
	kill -0 "$pid_a" 2>/dev/null || c_fail "$label: A ended too soon to keep B waiting: $(cat "$out_a")"
	kill -0 "$pid_b" 2>/dev/null || c_fail "$label: B ended by itself: $(cat "$out_b")"
	local t0 rc=0
	kill -INT "$pid_b"
	# B's chunk starts when A's run ends (seconds, depending on the
	# machine); the interrupt, sent again meanwhile, must end it then.
	wait "$pid_a" || c_fail "$label: A failed: $(cat "$out_a")"
	pid_a=
	t0=$(c_ms)
	for _ in $(seq 50); do
		kill -0 "$pid_b" 2>/dev/null || break
		sleep 0.1
	done
	elapsed=$(($(c_ms) - t0))
	kill -0 "$pid_b" 2>/dev/null && c_fail "$label: B still runs ${elapsed} ms after A ended"
	wait "$pid_b" || rc=$?
	pid_b=
	c_note "$label: B ended within ${elapsed} ms of A's end"
	[[ $rc == 1 ]] || c_fail "$label: B's exit status is $rc, expected 1: $(cat "$out_b")"
	# A ran to its end: B's interrupts name B's netlink port.
	[[ $(jq -c -s . "$out_a") == '[{"type":"result","state":"'"$S"'","data":[150000000]}]' ]] ||
		c_fail "$label: A did not run to its end: $(cat "$out_a")"
}

in_b=/dev/null
queued_interrupt "klua -e" -s "$S" --json -e 'while true do end'
jq -e -s 'length == 1 and .[0].type == "error" and .[0].data.kind == "interrupted"' "$out_b" >/dev/null ||
	c_fail "klua -e: expected one error line of kind interrupted, got: $(cat "$out_b")"

# The interactive shell reading a pipe goes on with the next line.
in_b=$KLUA_CASE_TMP/in
printf 'while true do end\nreturn "next"\n' >"$in_b"
queued_interrupt "klua -i" -i -s "$S" --json
[[ $(jq -c -s '[.[] | if .type == "error" then .data.kind else .data end]' "$out_b") == '["interrupted",["next"]]' ]] ||
	c_fail "klua -i: expected the interrupted error, then the next line's result, got: $(cat "$out_b")"

[[ $(klua -s "$S" -e 'return 7') == 7 ]] || c_fail "the state does not work after the interrupts"
