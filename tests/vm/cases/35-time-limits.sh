#!/usr/bin/env bash
# NAME time: a run past its state's wall-clock limit ends with kind "time" near the limit, the state works on; limits out of range are refused; finalizers at destroy are bounded too
# TIMEOUT 90
#
# default_time (ms) is the time limit of a new state; a chunk that may run
# 10^9 instructions (minutes under emulation) ends with error kind "time"
# once its state's limit (1000 ms here) is past: not before it, and within
# a few seconds of it. A pcall cannot catch it. The state answers at once
# afterwards. A limit above max_time, or under 1 ms, is refused with
# ERANGE. A finalizer that loops forever runs within the limit when its
# state is destroyed, so destroy returns.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c35-time
cleanup() {
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
c_max_instructions 1000000000
echo 1000 >"$C_PARAMS/default_time"
klua state create "$S" --instructions 1000000000

t0=$(c_ms)
rc=0
klua -s "$S" --json -e 'local ok = pcall(function() while true do end end) return ok' >"$KLUA_CASE_TMP/out" 2>&1 || rc=$?
elapsed=$(($(c_ms) - t0))
c_note "the run ended after $elapsed ms: $(cat "$KLUA_CASE_TMP/out")"
[[ $rc == 1 ]] || c_fail "exit status $rc, expected 1"
jq -e -s 'length == 1 and .[0].data.kind == "time" and (.[0].data.message | test("time limit of 1000 ms exceeded$"))' \
	"$KLUA_CASE_TMP/out" >/dev/null || c_fail "expected one error of kind time: $(cat "$KLUA_CASE_TMP/out")"
((elapsed >= 1000)) || c_fail "the run ended after $elapsed ms, before its limit"
((elapsed < 6000)) || c_fail "the run ended $elapsed ms after it began: far past its limit"
[[ $(klua -s "$S" -e 'return 6 * 7') == 42 ]] || c_fail "the state does not answer after the time error"

# Limits out of range, through raw netlink: above max_time, and under 1 ms.
python3 - <<'PY'
import errno, struct, sys
import genl
g = genl.Genl()
K = genl.K
max_ms = int(open("/sys/module/klua/parameters/max_time").read())
for ns in ((max_ms + 1) * 1000000, 999999):
    attrs = genl.attr_str(K["KLUA_ATTR_NAME"], "c35-range") + genl.attr(K["KLUA_ATTR_TIME_LIMIT"], struct.pack("Q", ns))
    try:
        g.klua("KLUA_CMD_CREATE", attrs)
    except genl.Error as e:
        if e.errno != errno.ERANGE or "time limit" not in str(e):
            sys.exit(f"time limit {ns} ns: {e}")
        continue
    sys.exit(f"time limit {ns} ns was accepted")
PY

# A finalizer that never ends: destroy runs it within the state's time.
klua -s "$S" -e 'setmetatable({}, {__gc = function() while true do end end}) collectgarbage()' || true
klua -s "$S" -e 'x = setmetatable({}, {__gc = function() while true do end end})'
t0=$(c_ms)
klua state destroy "$S"
elapsed=$(($(c_ms) - t0))
c_note "destroy with a looping finalizer took $elapsed ms"
((elapsed < 6000)) || c_fail "destroy took $elapsed ms"
