#!/usr/bin/env bash
# NAME the interactive shell starts with no arguments on a terminal, and says clearly when the module is not loaded
# TIMEOUT 120
#
# `klua` alone in a tmux pane opens the shell with no current state: the
# greeting names the states to .use, Lua says there is no state, and
# .create switches the prompt to the new state. Then, with klua.ko
# unloaded, `klua` on a terminal and `klua -i` on a pipe both print
# "klua: the klua kernel module is not loaded: run modprobe klua" and exit
# 1, without a stack dump or an errno number. The module is loaded again
# at the end, whatever happens.
set -euo pipefail
source tests/vm/lib/c_common.sh
source tests/vm/lib/c_tmux.sh

# The shell under test (build/cmake/shell/klua, first in PATH).
K=$(command -v klua)
S=c92-existing
NEW=c92-new
TMUX_SOCKET=klua-c92
OUT=$KLUA_CASE_TMP/out
ko=$(c_module_ko)

cleanup() {
	tm kill-server 2>/dev/null || true
	c_module_restore "$ko"
	c_destroy "$S" "$NEW"
}
trap cleanup EXIT
c_destroy "$S" "$NEW"
klua state create "$S"

HOME=$KLUA_CASE_TMP tm_start 120 40 "$K; echo exit \$?; sleep 600"
wait_last '^klua>$'
wait_for "^no current state: \\.use NAME or \\.create NAME \\(states: .*$S"
line '1 + 1'
wait_for '^klua: no current state: \.use NAME or \.create NAME first$'
line ".create $NEW 1m"
wait_last "^klua:$NEW>\$"
line 'return "in " .. "the new state"'
wait_for '^in the new state$'
line '.quit'
wait_for '^exit 0$'
tm kill-server

rmmod klua
c_module_loaded && c_fail "klua is still loaded"
HOME=$KLUA_CASE_TMP tm_start 120 40 "$K; echo exit \$?; sleep 600"
wait_for '^exit 1$'
screen | grep -qx 'klua: the klua kernel module is not loaded: run modprobe klua' ||
	c_fail "no clear message on a terminal:
$(screen)"
rc=0
echo 'return 1' | "$K" -i -s "$S" >"$OUT" 2>&1 || rc=$?
[[ $rc == 1 ]] || c_fail "klua -i exited $rc without the module"
[[ $(cat "$OUT") == 'klua: the klua kernel module is not loaded: run modprobe klua' ]] ||
	c_fail "klua -i said: $(cat "$OUT")"
