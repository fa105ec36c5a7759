#!/usr/bin/env bash
# NAME states are per network namespace: invisible, unreachable and independent across namespaces, events included
# TIMEOUT 60
#
# A state created in namespace a is not listed in the initial namespace or
# in namespace b, and exec, subscribe and destroy of its name from there
# fail with "no state named". The same name in three namespaces names three
# states: each exec sees its own globals, destroying one leaves the others,
# and a watcher in a gets only the events of a's state.
set -euo pipefail
source tests/vm/lib/c_common.sh

a=c85-a b=c85-b
watcher=
cleanup() {
	c_kill "$watcher"
	ip netns del "$a" 2>/dev/null || true
	ip netns del "$b" 2>/dev/null || true
	c_destroy c85-same
}
trap cleanup EXIT
cleanup
ip netns add "$a"
ip netns add "$b"
A() { ip netns exec "$a" "$@"; }
B() { ip netns exec "$b" "$@"; }

A klua state create c85-only-a
A klua state list --json | grep -q '"name":"c85-only-a"' || c_fail "not listed in its own namespace"
klua state list --json | grep -q c85-only-a && c_fail "listed in the initial namespace"
B klua state list --json | grep -q c85-only-a && c_fail "listed in namespace b"
rc=0
klua -s c85-only-a -e 'return 1' 2>"$KLUA_CASE_TMP/err" || rc=$?
[[ $rc == 1 ]] && grep -q "no state named 'c85-only-a'" "$KLUA_CASE_TMP/err" ||
	c_fail "exec from the initial namespace: status $rc, $(cat "$KLUA_CASE_TMP/err")"
rc=0
B klua state destroy c85-only-a 2>"$KLUA_CASE_TMP/err" || rc=$?
[[ $rc == 1 ]] || c_fail "destroy from namespace b: status $rc"
rc=0
timeout 10 klua -s c85-only-a --watch 2>"$KLUA_CASE_TMP/err" || rc=$?
[[ $rc == 1 ]] || c_fail "watch from the initial namespace: status $rc"
A klua state list --json | grep -q '"name":"c85-only-a"' || c_fail "gone from its namespace after tries from outside"

klua state create c85-same
A klua state create c85-same
B klua state create c85-same
klua -s c85-same -e 'who = "init"'
A klua -s c85-same -e 'who = "a"'
B klua -s c85-same -e 'who = "b"'
[[ $(klua -s c85-same -e 'return who') == init ]] || c_fail "init's state was changed"
[[ $(A klua -s c85-same -e 'return who') == a ]] || c_fail "a's state was changed"
[[ $(B klua -s c85-same -e 'return who') == b ]] || c_fail "b's state was changed"

# Not through A: a function in the background is a subshell, and SIGINT
# must reach klua itself (ip netns exec execs it).
ip netns exec "$a" klua -s c85-same --watch --json >"$KLUA_CASE_TMP/watch.out" &
watcher=$!
a_watched() {
	[[ $(A klua state list --json | jq -r 'select(.data.name == "c85-same") | .data.subscribers') == 1 ]]
}
c_wait 10 a_watched || c_fail "the watcher in a did not subscribe"
[[ $(c_field c85-same subscribers) == 0 ]] || c_fail "init's state counts a's watcher"
for ns in init a b; do
	cmd=(klua -s c85-same -e "timer.after(1, function() print('from ' .. who) end)")
	case $ns in
	init) "${cmd[@]}" ;;
	a) A "${cmd[@]}" ;;
	b) B "${cmd[@]}" ;;
	esac
done
c_wait 5 grep -q '"from a"' "$KLUA_CASE_TMP/watch.out" || c_fail "a's watcher missed a's event"
sleep 0.5
grep -qE '"from (init|b)"' "$KLUA_CASE_TMP/watch.out" && c_fail "a's watcher got another namespace's event"

B klua state destroy c85-same
[[ $(klua -s c85-same -e 'return who') == init && $(A klua -s c85-same -e 'return who') == a ]] ||
	c_fail "destroying b's state touched another"
kill -INT "$watcher"
wait "$watcher" || c_fail "the watcher in a exited $?"
watcher=
