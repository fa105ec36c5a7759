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
# was. The seed is random (KLUA_FUZZ_SEED sets it) and printed.
set -euo pipefail

bin=$KLUA_CASE_TMP/nlfuzz
cc -O2 -Wall -Werror -Iinclude -o "$bin" tests/vm/lib/nlfuzz.c
seed=${KLUA_FUZZ_SEED:-$((RANDOM << 15 | RANDOM))}
messages=${KLUA_NLFUZZ_MESSAGES:-1000000}

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

"$bin" -s "$((seed + 1000))" -n 50000 -t 60 | sed 's/^/warm-up: /'
memory "$KLUA_CASE_TMP/before"
refcnt=$(</sys/module/klua/refcnt)
"$bin" -s "$seed" -n "$messages" -t 240
memory "$KLUA_CASE_TMP/after"

python3 - "$KLUA_CASE_TMP/before" "$KLUA_CASE_TMP/after" "$refcnt" "$(</sys/module/klua/refcnt)" <<'PY'
import sys
before, after = ({k: int(v) for k, v in (l.split() for l in open(f))} for f in sys.argv[1:3])
problems = []
grew = after["SUnreclaim"] - before["SUnreclaim"]
print(f"# SUnreclaim {before['SUnreclaim'] >> 10} -> {after['SUnreclaim'] >> 10} KiB ({grew >> 10:+d} KiB)")
if grew > 4 << 20:
    problems.append(f"SUnreclaim grew by {grew >> 10} KiB")
caches = sorted(((after.get(k, 0) - v, k) for k, v in before.items() if k != "SUnreclaim"),
                reverse=True)
print("# kmalloc caches that grew most (objects): " +
      ", ".join(f"{k} {d:+d}" for d, k in caches[:4]))
problems += [f"{k} grew by {d} objects" for d, k in caches if d > 20000]
if sys.argv[3] != sys.argv[4]:
    problems.append(f"module refcount {sys.argv[3]} -> {sys.argv[4]}")
for p in problems:
    print("FAIL " + p)
sys.exit(1 if problems else 0)
PY
