#!/usr/bin/env bash
# NAME a subscriber that stops reading for 2 s gets a lost line with the exact count, and no broken line
# TIMEOUT 60
#
# timer.every(10) prints one short line a tick. A raw subscriber with the
# smallest receive buffer does not read for 2 s, then reads again; another
# subscriber reads all along. See tests/vm/lib/c_slow_subscriber.py for
# what each must get: above all, lines received + lost counts = lines
# printed, every line whole.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c57-slow
trap 'c_destroy "$S"' EXIT
c_destroy "$S"
klua state create "$S"
python3 tests/vm/lib/c_slow_subscriber.py "$S" 10 1 20
c_wait 5 c_field_is "$S" subscribers 0 || c_fail "closed subscribers are still counted"
