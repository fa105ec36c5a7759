#!/usr/bin/env bash
# NAME kmemleak-check fails on what an unloaded module leaked (kmemleak-test)
# SELFTEST fail ^script: exit status 1\nstdout:\n  kmemleak: \d+ unreferenced objects, [1-9]\d* from unloaded modules\n  from an unloaded module:\n +unreferenced object
# TIMEOUT 120
# The debug kernel's samples/kmemleak module leaks on purpose when it loads;
# once it is unloaded, the check must find those objects (within 4 rounds
# of scans: a stale pointer can hide an object for a scan). Skips on a kernel
# without kmemleak.
set -euo pipefail
[[ -e /sys/kernel/debug/kmemleak ]] || { echo "no kmemleak: the debug kernel has it"; exit 77; }
modprobe kmemleak-test
rmmod kmemleak_test
rc=0
kmemleak-check --unloaded --tries 4 >"$KLUA_CASE_TMP/out" || rc=$?
head -n 3 "$KLUA_CASE_TMP/out"
exit "$rc"
