#!/usr/bin/env bash
# NAME deleting a network namespace destroys its states (1 ms timers, ~15 MB of Lua heap) and frees their memory
# TIMEOUT 90
#
# Two namespaces get three states each, with timers every 1 ms and about
# 3 MB of Lua objects each. Namespace a also has a shell watching one of
# its states, which keeps it alive after `ip netns del` (a socket holds
# its namespace): its states must go on (events still arrive); when the
# watcher ends (SIGINT, status 0) the namespace goes away. Namespace b has
# no process and goes at once. Both deletions return promptly, and Slab
# falls back to within 4 MB of what it was before: the states, their
# timers and their buffers were freed. The kernel log stays clean.
set -euo pipefail
source tests/vm/lib/c_common.sh

a=c86-a b=c86-b
out=$KLUA_CASE_TMP/watch.out
watcher=
cleanup() {
	c_kill "$watcher"
	ip netns del "$a" 2>/dev/null || true
	ip netns del "$b" 2>/dev/null || true
}
trap cleanup EXIT
cleanup

slab0=$(c_settle_slab)
for ns in "$a" "$b"; do
	ip netns add "$ns"
	for s in s1 s2 s3; do
		ip netns exec "$ns" klua state create "$s" --memory 8m
		ip netns exec "$ns" klua -s "$s" -e '
			heap = {} for i = 1, 3000 do heap[i] = string.rep("n", 1000) .. i end
			n = 0
			for i = 1, 3 do timer.every(1, function() n = n + 1; if n % 20 == 0 then print("n " .. n) end end) end'
	done
done
slab1=$(c_settle_slab)
c_note "Slab: $slab0 kB before, $slab1 kB with 6 states"
((slab1 - slab0 > 12000)) || c_fail "the states did not take the memory expected (Slab +$((slab1 - slab0)) kB)"

ip netns exec "$a" klua -s s1 --watch --json >"$out" &
watcher=$!
c_wait 10 grep -q '"n ' "$out" || c_fail "the watcher in a got no events"

t0=$(c_ms)
timeout 20 ip netns del "$b" || c_fail "ip netns del $b failed or hung"
timeout 20 ip netns del "$a" || c_fail "ip netns del $a failed or hung"
c_note "both deletions took $(($(c_ms) - t0)) ms"

# The watcher holds namespace a: its states still run.
lines=$(wc -l <"$out")
sleep 1
(($(wc -l <"$out") > lines)) || c_fail "a's states stopped while a socket still held the namespace"
kill -INT "$watcher"
rc=0
wait "$watcher" || rc=$?
watcher=
[[ $rc == 0 ]] || c_fail "the watcher exited $rc"
python3 -c 'import sys, c_klua; c_klua.parse_ndjson(open(sys.argv[1]).read(), "watch")' "$out" ||
	c_fail "the watcher's output is not clean"

slab2=
end=$(($(date +%s) + 40))
while (($(date +%s) < end)); do
	slab2=$(c_settle_slab)
	((slab2 - slab0 < 4096)) && break
done
c_note "Slab after both namespaces went: $slab2 kB"
((slab2 - slab0 < 4096)) || c_fail "Slab is still $((slab2 - slab0)) kB above the start: the states were not freed"
ip netns list | grep -q c86- && c_fail "a namespace is still listed"
true
