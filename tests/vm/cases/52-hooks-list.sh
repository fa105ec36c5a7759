#!/usr/bin/env bash
# NAME state list shows each state's hooks (kind, target, runs, errors, missed), in text, in JSON and in the REPL's .hooks; 64 hooks list whole, and stopped ones leave the list
# TIMEOUT 120
#
# A state with a 20 ms timer whose every third callback raises, and a
# one-shot timer that will not fire: `klua state list --json` gives the
# state a "hooks" array with both, their ids as tostring() of the handles
# shows them, "timer" and "every 20 ms" / "after 600000 ms", runs and
# errors that agree with the callback's own count, and nothing missed yet.
# While a chunk runs for a second in the state, the 20 ms timer misses its
# ticks: missed grows. The text table has a HOOKS column and a table of
# hooks; the REPL's .hooks shows the current state's (a "hook" line each
# with --json) and fails cleanly for a state that does not exist. A second
# state's 64 timers (more than one reply datagram holds) are all listed,
# once each, in the order of their ids, under their own state. Stopped
# hooks leave the list at once.
set -euo pipefail
source tests/vm/lib/c_common.sh

A=c52-hooks
B=c52-many
cleanup() {
	c_destroy "$A"
	c_destroy "$B"
}
trap cleanup EXIT
c_destroy "$A"
c_destroy "$B"

klua state create "$A" --instructions 100000000
klua state create "$B"
ids=$(klua -s "$A" -e '
	n, raised = 0, 0
	a = timer.every(20, function()
		n = n + 1
		if n % 3 == 0 then raised = raised + 1 error("boom") end
	end)
	b = timer.after(600000, function() end)
	return tostring(a), tostring(b)' --json | jq -r '.data | map(capture("^timer (?<id>[0-9]+) ").id) | join(" ")')
read -r id_a id_b <<<"$ids"
[[ -n $id_a && -n $id_b ]] || c_fail "no ids in tostring of the handles: '$ids'"
sleep 0.5

python3 - "$A" "$B" "$id_a" "$id_b" <<'EOF'
import json, subprocess, sys
import c_klua, genl
from c_klua import check, Failed

A, B, id_a, id_b = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def listed():
    out = subprocess.run(["klua", "state", "list", "--json"], capture_output=True, text=True,
                         check=True).stdout
    return {l["data"]["name"]: l["data"] for l in c_klua.parse_ndjson(out, "state list")}

try:
    g = genl.Genl()
    # The chunk reads its counters first: the list comes after, so it has
    # at least these runs and errors.
    n, raised = c_klua.exec_value(g, A, "return {n, raised}")
    hooks = listed()[A]["hooks"]
    check([h["id"] for h in hooks] == [id_a, id_b], f"hooks {hooks}, expected ids {id_a} {id_b}")
    a, b = hooks
    check(a["kind"] == "timer" and a["target"] == "every 20 ms", f"the periodic timer: {a}")
    check(b["kind"] == "timer" and b["target"] == "after 600000 ms", f"the one-shot timer: {b}")
    check(n >= 3 and a["runs"] >= n and a["errors"] >= raised >= 1, f"runs/errors {a} against n={n} raised={raised}")
    check(a["errors"] <= a["runs"] // 3 + 1, f"more errors than every third run: {a}")
    check(b["runs"] == 0 and b["errors"] == 0 and b["missed"] == 0, f"the one-shot timer ran: {b}")
    check(set(a) == {"id", "kind", "target", "runs", "errors", "missed"}, f"the keys of a hook: {sorted(a)}")
    print(f"# the 20 ms timer: {a['runs']} runs, {a['errors']} errors (the callback counted {n} and {raised})")

    # A chunk that holds the state for a while: the timer misses its ticks.
    before = a["missed"]
    c_klua.exec_value(g, A, "local t = 0 for i = 1, 20000000 do t = t + i end return t")
    a = listed()[A]["hooks"][0]
    check(a["missed"] > before, f"no tick missed while a chunk ran: {a}")
    print(f"# missed while a chunk ran: {a['missed'] - before}")

    # 64 hooks in another state: listed whole, in order, under it.
    c_klua.exec_value(g, B, "ts = {} for i = 1, 64 do ts[i] = timer.every(60000, function() end) end return #ts")
    want = c_klua.exec_value(g, B, "local ids = {} for i = 1, 64 do "
                             "ids[i] = tonumber(tostring(ts[i]):match('^timer (%d+)')) end return ids")
    states = listed()
    got = [h["id"] for h in states[B]["hooks"]]
    check(got == want, f"the 64 hooks of {B}: {got}, expected {want}")
    check([h["id"] for h in states[A]["hooks"]] == [id_a, id_b], f"{A}'s hooks changed: {states[A]['hooks']}")
    check(states[B]["timers"] == 64, f"timers of {B}: {states[B]['timers']}")
    print("# 64 hooks listed whole, in the order of their ids")
except Failed as e:
    sys.exit(f"FAILED: {e}")
EOF

# the text tables
text=$(klua state list)
grep -Eq '^NAME +MEMORY +PEAK +INSTR-LIMIT +TIME-LIMIT +RUNS +ERRORS +TIME +HOLD-PEAK +HOOKS$' <<<"$text" ||
	c_fail "no HOOKS column: $text"
grep -Eq "^$A +.* 2$" <<<"$text" || c_fail "$A does not show 2 hooks: $text"
grep -Eq '^STATE +HOOK +KIND +TARGET +RUNS +ERRORS +MISSED$' <<<"$text" || c_fail "no table of hooks: $text"
grep -Eq "^$A +$id_a +timer +every 20 ms +[0-9]+ +[0-9]+ +[0-9]+$" <<<"$text" ||
	c_fail "no row for the 20 ms timer: $text"
grep -Eq "^$A +$id_b +timer +after 600000 ms +0 +0 +0$" <<<"$text" ||
	c_fail "no row for the one-shot timer: $text"
[[ $(grep -Ec "^$B +[0-9]+ +timer +every 60000 ms " <<<"$text") == 64 ]] ||
	c_fail "not 64 rows for $B: $text"

# the REPL: .hooks of the current state, JSON lines, and a missing state
repl=$(printf '.hooks\n' | klua -i -s "$A")
grep -Eq "^$A +$id_b +timer +after 600000 ms" <<<"$repl" || c_fail ".hooks: $repl"
grep -q "$B" <<<"$repl" && c_fail ".hooks shows another state's hooks: $repl"
# (the state's own events, the timer's errors, may come between: the REPL shows them)
printf '.hooks\n' | klua -i -s "$A" --json | jq -e -s --argjson a "$id_a" \
	'map(select(.type == "hook")) | length == 2 and all(.[]; .state == "'"$A"'") and .[0].data.id == $a' >/dev/null ||
	c_fail ".hooks --json: $(printf '.hooks\n' | klua -i -s "$A" --json)"
rc=0
err=$(printf '.hooks c52-nosuch\n' | klua -i 2>&1 >/dev/null) || rc=$?
grep -q "no state named 'c52-nosuch'\|no state with that name" <<<"$err" || c_fail ".hooks of a missing state: rc $rc, $err"
c_note "the REPL's .hooks of a missing state: $err"

# stopped hooks leave the list at once
klua -s "$A" -e 'a:stop() b:stop()' >/dev/null
klua -s "$B" -e 'for i = 1, 64 do ts[i]:stop() end' >/dev/null
hooks=$(klua state list --json | jq -c "select(.data.name == \"$A\" or .data.name == \"$B\") | .data.hooks")
[[ $hooks == $'[]\n[]' ]] || c_fail "stopped hooks are still listed: $hooks"
klua state list | grep -q '^STATE ' && c_fail "a table of hooks with no hooks: $(klua state list)"
exit 0
