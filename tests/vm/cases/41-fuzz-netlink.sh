#!/usr/bin/env bash
# NAME fuzz: a million malformed and random netlink messages each get the answer netlink owes them, valid requests interleaved get theirs, and nothing leaks
# TIMEOUT 400
#
# tests/vm/lib/nlfuzz.c, built here, sends random and malformed generic
# netlink messages to the klua family (random commands, flags, versions,
# attributes, lengths; see its header) with valid CREATE, DESTROY, LIST,
# INTERRUPT and EXEC requests interleaved, and checks every answer: each
# message that must be answered is, within 10 s, with an errno nlfuzz
# expects or a well-formed reply; each valid request gets what the model
# of its states says; the state list is as expected at the end, and as it
# was before once nlfuzz has destroyed its states.
#
# A warm-up of 50,000 messages comes first. Then 1,000,000 messages
# (KLUA_NLFUZZ_MESSAGES) must go out within 240 s; afterwards, with
# nlfuzz's states gone, unreclaimable slab (SUnreclaim) may have grown by
# at most 4 MiB and no kmalloc cache by more than 20,000 objects (a leak of
# one object in 50 messages), and the module's reference count is what it
# was. The seed is random (KLUA_FUZZ_SEED sets it) and printed. On the
# debug kernel, which is several times slower, 30,000 messages go
# out, and slab growth is shown but not judged: KASAN's quarantine holds
# freed objects for a while, and kmemleak keeps an object of its own for
# each allocation. The kmemleak scan after the suite looks for leaks there,
# object by object.
set -euo pipefail
source tests/vm/lib/c_common.sh

bin=$KLUA_CASE_TMP/nlfuzz
cc -O2 -Wall -Werror -Iinclude -o "$bin" tests/vm/lib/nlfuzz.c
seed=${KLUA_FUZZ_SEED:-$((RANDOM << 15 | RANDOM))}
warmup=50000
messages=${KLUA_NLFUZZ_MESSAGES:-1000000}
if c_debug_kernel; then
	warmup=3000
	messages=${KLUA_NLFUZZ_MESSAGES:-30000}
fi

# memory FILE: SUnreclaim, then each kmalloc cache's active objects
memory() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	{
		awk '/^SUnreclaim:/ { print "SUnreclaim", $2 * 1024 }' /proc/meminfo
		awk '/^kmalloc-/ { print $1, $2 }' /proc/slabinfo
	} >"$1"
}

"$bin" -s "$((seed + 1000))" -n "$warmup" -t 60 | sed 's/^/warm-up: /'
memory "$KLUA_CASE_TMP/before"
refcnt=$(</sys/module/klua/refcnt)
"$bin" -s "$seed" -n "$messages" -t 240
memory "$KLUA_CASE_TMP/after"

judge_slab=1
! c_debug_kernel || judge_slab=0
python3 - "$KLUA_CASE_TMP/before" "$KLUA_CASE_TMP/after" "$refcnt" "$(</sys/module/klua/refcnt)" "$judge_slab" <<'PY'
import sys
before, after = ({k: int(v) for k, v in (l.split() for l in open(f))} for f in sys.argv[1:3])
judge_slab = sys.argv[5] == "1"
problems = []
grew = after["SUnreclaim"] - before["SUnreclaim"]
print(f"# SUnreclaim {before['SUnreclaim'] >> 10} -> {after['SUnreclaim'] >> 10} KiB ({grew >> 10:+d} KiB)")
if grew > 4 << 20 and judge_slab:
    problems.append(f"SUnreclaim grew by {grew >> 10} KiB")
caches = sorted(((after.get(k, 0) - v, k) for k, v in before.items() if k != "SUnreclaim"),
                reverse=True)
print("# kmalloc caches that grew most (objects): " +
      ", ".join(f"{k} {d:+d}" for d, k in caches[:4]))
if judge_slab:
    problems += [f"{k} grew by {d} objects" for d, k in caches if d > 20000]
else:
    print("# the debug kernel: slab growth is not judged (KASAN's quarantine, kmemleak's objects)")
if sys.argv[3] != sys.argv[4]:
    problems.append(f"module refcount {sys.argv[3]} -> {sys.argv[4]}")
for p in problems:
    print("FAIL " + p)
sys.exit(1 if problems else 0)
PY
