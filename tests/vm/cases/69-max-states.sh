#!/usr/bin/env bash
# NAME max_states: the state after the limit fails with a clear message and no trace; the limit is per namespace
# TIMEOUT 60
#
# The module parameter max_states (writable in /sys/module/klua/parameters)
# is set to the number of states this namespace has plus 3. Three creates
# succeed; the fourth fails with status 1 and a message that names
# max_states, and leaves no state behind. Over raw netlink the errno is
# ENOSPC. Destroying one makes room for one. Another network namespace
# has its own count: it can still create states. The parameter is restored.
set -euo pipefail
source tests/vm/lib/c_common.sh

param=/sys/module/klua/parameters/max_states
old=$(cat "$param")
ns=c69-ns
cleanup() {
	echo "$old" >"$param"
	c_destroy c69-1 c69-2 c69-3 c69-4
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
c_destroy c69-1 c69-2 c69-3 c69-4

have=$(klua state list --json | grep -c '"type":"state"' || true)
echo $((have + 3)) >"$param"
c_note "$have states exist; max_states = $((have + 3))"
klua state create c69-1
klua state create c69-2
klua state create c69-3
rc=0
klua state create c69-4 2>"$KLUA_CASE_TMP/err" || rc=$?
[[ $rc == 1 ]] || c_fail "the create beyond max_states: status $rc, expected 1"
grep -q 'max_states' "$KLUA_CASE_TMP/err" || c_fail "the message does not name max_states: $(cat "$KLUA_CASE_TMP/err")"
c_note "message: $(cat "$KLUA_CASE_TMP/err")"
c_state_exists c69-4 && c_fail "the refused state is listed"

python3 - <<'EOF'
import errno
import c_klua, genl
from c_klua import check

def main():
    try:
        c_klua.create("c69-4")
        raise c_klua.Failed("a raw create beyond max_states succeeded")
    except genl.Error as e:
        check(e.errno == errno.ENOSPC and "max_states" in e.msg,
              f"raw create: errno {e.errno}, message {e.msg!r}")

c_klua.main_wrapper(main)
EOF

# A name that exists gets its own message, even at the limit.
rc=0
klua state create c69-1 2>"$KLUA_CASE_TMP/err" || rc=$?
[[ $rc == 1 ]] && grep -q 'already exists' "$KLUA_CASE_TMP/err" ||
	c_fail "create of an existing name at the limit: status $rc, $(cat "$KLUA_CASE_TMP/err")"

klua state destroy c69-2
klua state create c69-4 || c_fail "no room after a destroy"
[[ $(klua -s c69-4 -e 'return 4') == 4 ]] || c_fail "the new state does not work"

ip netns add "$ns"
ip netns exec "$ns" klua state create c69-other || c_fail "the limit of one namespace applied to another"
[[ $(ip netns exec "$ns" klua -s c69-other -e 'return "other"') == other ]] || c_fail "exec in the other namespace"
