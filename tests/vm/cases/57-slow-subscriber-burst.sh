#!/usr/bin/env bash
# NAME a slow subscriber of bursts (a tick spans several messages) gets only whole lines and exact lost counts
# TIMEOUT 60
#
# As 57-slow-subscriber.sh, but each tick (every 20 ms) prints 40 lines of
# ~430 bytes: 17 KB, more than one EVENT message holds, so a tick goes out
# in several messages (an earlier kernel cut lines between them). The slow
# socket holds a few messages, and when it reads again it rests 5 ms after
# each one, so its buffer stays nearly full. When it misses messages, it
# must still never see half a line glued to another, and the lost counts
# must add up.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c57-burst
trap 'c_destroy "$S"' EXIT
c_destroy "$S"
klua state create "$S"
python3 tests/vm/lib/c_slow_subscriber.py "$S" 20 40 400 16384 5
