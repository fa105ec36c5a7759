#!/usr/bin/env bash
# NAME kmemleak-check passes over leaks that are not the module's
# SELFTEST pass
# TIMEOUT 120
# kmemleak-test's leaks (the case before) are still reported: they are not
# klua's, so this passes; --clear then forgets them.
set -euo pipefail
[[ -e /sys/kernel/debug/kmemleak ]] || { echo "no kmemleak: the debug kernel has it"; exit 77; }
out=$(kmemleak-check --module klua --clear)
echo "$out"
# It did see them.
[[ $out =~ ^kmemleak:\ [1-9][0-9]*\ unreferenced\ objects,\ 0\ from\ klua$ ]]
