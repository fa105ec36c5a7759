#!/usr/bin/env bash
# NAME hostile: a timer started by a __gc while its state is destroyed never runs (in that state's freed memory or another's)
# TIMEOUT 120
#
# Destroying a state closes its Lua state after stopping its timers; a
# finalizer that runs then can still call timer.after(). Such a timer must
# not stay armed: when it fires, its state is freed. To make a use after free
# visible without KASAN, eight new states are created at once (one may get
# the freed state's memory); none may then run anything (runs, errors and
# timers stay 0) while the timer's time passes, and the kernel log stays
# clean (the runner).
set -euo pipefail
source tests/vm/lib/t_common.sh
cleanup() {
	local i
	for i in a {0..7}; do klua state destroy "t27g-$i" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup

python3 -S - <<'PY'
import struct
import time
from t_nl import *

c = Checks()
name = lambda s: attr_str(ATTR["NAME"], s)
c.request(CMD["CREATE"], name("t27g-a"))
out = c.g.exec("t27g-a", "setmetatable({}, {__gc = function() timer.after(300, function() print('zombie') end) end}) return 1")
c.ok("the finalizer is armed", '"data":[1]' in out, out.strip())
c.request(CMD["DESTROY"], name("t27g-a"))
for i in range(8):
    c.request(CMD["CREATE"], name(f"t27g-{i}"))
time.sleep(1.0)
u64 = lambda a, k: struct.unpack("Q", a[ATTR[k]])[0]
for i in range(8):
    a = c.request(CMD["LIST"], name(f"t27g-{i}"))[0][1]
    got = (u64(a, "RUNS"), u64(a, "ERRORS"), struct.unpack("I", a[ATTR["TIMERS"]])[0])
    c.ok(f"t27g-{i} ran nothing", got == (0, 0, 0), "runs, errors, timers = %d, %d, %d" % got)
c.alive("a new state runs chunks", "t27g-0")
c.finish()
PY
