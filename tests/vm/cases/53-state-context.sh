#!/usr/bin/env bash
# NAME a state created --context hardirq is locked with interrupts off: chunks, timers, prints, a long exec beside its timer and destroy all work, and the kernel log stays clean; a bad context is refused
# TIMEOUT 120
#
# The context is chosen when a state is created and shows in `state list
# --json` ("softirq" by default). A hardirq state runs the same things as
# a softirq one, with its lock (and its event ring's) taken with
# interrupts off: a chunk, a 5 ms timer that prints to a watcher, a long
# chunk (its slices let interrupts in) while the timer misses its ticks,
# and a destroy during all that. On the debug kernel lockdep checks the
# irq-safe locking. A context the module does not know is refused: by the
# shell (usage, exit 2) and by the module (an out-of-range attribute).
set -euo pipefail
source tests/vm/lib/c_common.sh

H=c53-hard
D=c53-default
watcher=
cleanup() {
	c_kill "$watcher"
	c_destroy "$H"
	c_destroy "$D"
}
trap cleanup EXIT
c_destroy "$H"
c_destroy "$D"

klua state create "$H" --context hardirq --instructions 100000000
klua state create "$D"
got=$(klua state list --json | jq -r "select(.data.name == \"$H\" or .data.name == \"$D\") | \"\(.data.name)=\(.data.context)\"" | sort | tr '\n' ' ')
[[ $got == "$D=softirq $H=hardirq " ]] || c_fail "contexts: $got"

[[ $(klua -s "$H" -e 'return 6 * 7') == 42 ]] || c_fail "a chunk in the hardirq state"

klua -s "$H" --watch --json >"$KLUA_CASE_TMP/watch" 2>&1 &
watcher=$!
c_wait 10 c_field_is "$H" subscribers 1 || c_fail "the watcher did not subscribe"
klua -s "$H" -e 'n = 0 t = timer.every(5, function() n = n + 1 if n % 10 == 0 then print("tick " .. n) end end)'
c_wait 20 grep -q '"tick 30"' "$KLUA_CASE_TMP/watch" || c_fail "the timer's prints did not reach the watcher: $(cat "$KLUA_CASE_TMP/watch")"

# a long chunk: the timer misses ticks meanwhile, and runs again after
before=$(klua -s "$H" -e 'return n')
out=$(klua -s "$H" -e 'local s = 0 for i = 1, 10000000 do s = s + i end return s')
[[ $out == 50000005000000 ]] || c_fail "the long chunk: $out"
sleep 0.3
after=$(klua -s "$H" -e 'return n')
((after > before)) || c_fail "the timer stopped after the long chunk: $before -> $after"
missed=$(klua state list --json | jq -r "select(.data.name == \"$H\") | .data.hooks[0].missed")
((missed > 0)) || c_fail "no tick missed during the long chunk"
c_note "the timer ran $before then $after times; it missed $missed ticks"

# destroy while the timer fires and a chunk runs
klua -s "$H" -e 'local s = 0 for i = 1, 50000000 do s = s + i end return s' >/dev/null 2>&1 &
long=$!
sleep 0.5
klua state destroy "$H"
wait "$long" || true
rc=0
wait "$watcher" || rc=$?
watcher=
tail -n 1 "$KLUA_CASE_TMP/watch" | jq -e '.type == "end" and .data.reason == "destroyed"' >/dev/null ||
	c_fail "the watcher did not end with an end line: $(tail -n 3 "$KLUA_CASE_TMP/watch")"

# bad contexts
rc=0
err=$(klua state create c53-bad --context nmi 2>&1) || rc=$?
[[ $rc == 2 ]] && grep -q "softirq or hardirq" <<<"$err" || c_fail "--context nmi: exit $rc, $err"
python3 - <<'EOF'
import errno, sys
import genl
from genl import K, attr, attr_str
g = genl.Genl()
for value in (0, 3, 255):
    try:
        g.klua("KLUA_CMD_CREATE", attr_str(K["KLUA_ATTR_NAME"], "c53-bad") + attr(K["KLUA_ATTR_CONTEXT"], bytes([value])))
        sys.exit(f"FAILED: context {value} was accepted")
    except genl.Error as e:
        if e.errno not in (errno.EINVAL, errno.ERANGE):
            sys.exit(f"FAILED: context {value}: {e}")
print("# contexts 0, 3 and 255 are refused")
EOF
c_state_exists c53-bad && c_fail "a state with a bad context exists"
exit 0
