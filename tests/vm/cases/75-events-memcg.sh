#!/usr/bin/env bash
# NAME events: the event buffer, filled from a timer in softirq, is charged to the memory cgroup of the state's creator, and given back at destroy
# TIMEOUT 90
#
# The event buffer is memory outside the Lua heap, allocated where print()
# runs: in a timer callback, in softirq, where __GFP_ACCOUNT alone charges
# no one. kernel/events.c charges it to the memory cgroup of the task that
# created the state. A cgroup v2 hierarchy is mounted for the case; a state
# is created by a process in a new cgroup, which then exits (so nothing
# else runs there). With no subscriber, a timer prints 1 KB lines until the
# 64 KiB buffer is full (the state counts lost lines). The cgroup's kernel
# memory (memory.stat slab_unreclaimable) must have grown by at least 48
# KiB (the guest's slub_debug makes each 4 KiB chunk take 12 KiB, so it
# grows by about 200 KiB), and fall back by as much once the state is
# destroyed. A second state, created from the root cgroup, fills its
# buffer too: the cgroup must not grow by it.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c75-charged
R=c75-root
CG=$KLUA_CASE_TMP/cg
cleanup() {
	c_destroy "$S" "$R"
	rmdir "$CG/c75" 2>/dev/null || true
	umount "$CG" 2>/dev/null || true
}
trap cleanup EXIT
c_destroy "$S" "$R"

mkdir -p "$CG"
mount -t cgroup2 none "$CG" || c_fail "cannot mount cgroup2"
grep -qw memory "$CG/cgroup.controllers" || c_fail "no memory controller"
echo +memory >"$CG/cgroup.subtree_control"
mkdir "$CG/c75"

# slab: the cgroup's unreclaimable slab, in bytes (stats are flushed every 2 s)
slab() {
	sleep 2.5
	awk '$1 == "slab_unreclaimable" { print $2 }' "$CG/c75/memory.stat"
}

sh -c 'echo $$ >"$1/c75/cgroup.procs" && exec klua state create "$2"' sh "$CG" "$S"
[[ -z $(cat "$CG/c75/cgroup.procs") ]] || c_fail "a process is left in the cgroup"
klua state create "$R"

fill() {
	klua -s "$1" -e 'pad = string.rep("x", 1000)
		t = timer.every(1, function() for i = 1, 8 do print(pad) end end)'
	c_wait 20 bash -c "(( \$(klua state list --json | jq -r --arg n '$1' \
		'select(.data.name == \$n) | .data.lost') > 0 ))" ||
		c_fail "$1: the buffer did not fill"
	klua -s "$1" -e 't:stop()'
}

m0=$(slab)
fill "$S"
m1=$(slab)
fill "$R"
m2=$(slab)
klua state destroy "$S"
m3=$(slab)
c_note "slab_unreclaimable of the creator's cgroup: $m0 bytes; with its state's buffer" \
	"full $m1; after a root state's buffer filled $m2; after destroy $m3"
((m1 - m0 >= 48 * 1024)) || c_fail "the full buffer added $((m1 - m0)) bytes to the creator's cgroup"
((m2 - m1 < 16 * 1024)) || c_fail "another cgroup's state added $((m2 - m1)) bytes"
((m2 - m3 >= 48 * 1024)) || c_fail "destroy gave back only $((m2 - m3)) bytes"
