#!/usr/bin/env bash
# NAME the interactive shell on a real terminal (tmux): multi-line chunks, history, Tab, Ctrl-C, events above a half-typed line
# TIMEOUT 180
#
# klua runs in a tmux pane, driven with send-keys and read with
# capture-pane. It proves, in order: a function defined over three lines
# (continuation prompt ">>") runs; Up recalls the last line; Tab completes a
# state name after .use, a global's field, and a stdlib module in require;
# Ctrl-C stops `while true do end` in a state with a large instruction limit
# long before the limit would, and the state answers afterwards; Ctrl-C on a
# half-typed line clears it; a timer's print() shows above the prompt while
# a line is half-typed, and the half-typed text is still there and runs;
# .watch streams events until Ctrl-C; Ctrl-D leaves with status 0; the
# history file keeps the multi-line chunk as one entry without consecutive
# duplicates, and the next session recalls it.
set -euo pipefail
source tests/vm/lib/c_common.sh
source tests/vm/lib/c_tmux.sh

# The shell under test (build/cmake/shell/klua, first in PATH).
K=$(command -v klua)
WEB=c90-web
LONG=c90-longname-state
BIG=c90-big
TMUX_SOCKET=klua-c90
HOME_DIR=$KLUA_CASE_TMP/home
STATUS=$KLUA_CASE_TMP/status

cleanup() {
	tm kill-server 2>/dev/null || true
	c_max_instructions_restore
	c_destroy "$WEB" "$LONG" "$BIG"
}
trap cleanup EXIT
c_destroy "$WEB" "$LONG" "$BIG"
mkdir -p "$HOME_DIR"

klua state create "$WEB"
klua state create "$LONG"
# 10^9 instructions take minutes under emulation: only Ctrl-C ends the loop.
c_long_state "$BIG"

start_repl() {
	rm -f "$STATUS"
	# A fresh server with this environment: HOME for the history file.
	HOME=$HOME_DIR XDG_STATE_HOME='' tm_start 120 50 \
		"$K -s $WEB; echo \$? >$STATUS; sleep 600"
	wait_last "^klua:$WEB>\$" 20
}

start_repl
wait_for '^klua [^ ]+: \.help lists the commands'

# A function over three lines: the continuation prompt, then it runs.
line 'function sq(n)'
wait_last "^klua:$WEB>>\$"
line '  return n * n'
wait_last "^klua:$WEB>>\$"
line 'end'
wait_last "^klua:$WEB>\$"
line 'sq(12)'
wait_for '^144$'
wait_last "^klua:$WEB>\$"

# Up recalls the last line; it runs again.
key Up
wait_last "^klua:$WEB> sq\(12\)\$"
key Enter
wait_count '^144$' 2
wait_last "^klua:$WEB>\$"

# Tab completes a state name after .use.
type_text '.use c90-lon'
key Tab
wait_last "^klua:$WEB> \\.use $LONG\$"
key Enter
wait_last "^klua:$LONG>\$"

# Tab completes a global's field and a stdlib module (asked from the kernel).
line 'cfg = {alpha = 41, beta = 2}'
wait_last "^klua:$LONG>\$"
type_text 'cfg.al'
key Tab
wait_last "^klua:$LONG> cfg\\.alpha\$"
line ' + 1'
wait_for '^42$'
type_text 'agg = require("ag'
key Tab
wait_last "^klua:$LONG> agg = require\\(\"agg\"\$" # readline closes the quote
line ')'
line 'agg.total({3, 4})'
wait_for '^7$'
wait_last "^klua:$LONG>\$"

# Ctrl-C interrupts a chunk that would run for seconds; the state answers after.
line ".use $BIG"
wait_last "^klua:$BIG>\$"
line 'while true do end'
sleep 2
[[ $(last_line) == "klua:$BIG> while true do end" ]] || c_fail "the loop did not keep running:
$(screen)"
t0=$(c_ms)
key C-c
# The kernel's error, or the shell's own when the Ctrl-C came before the
# chunk was sent (a slow host can take that long to send it). The
# terminal's echo of "^C" may come after the line break the shell writes.
wait_for '^(\^C)?klua: interrupted( error: interrupted|$)' 20
elapsed=$(($(c_ms) - t0))
wait_last "^klua:$BIG>( \\^C)?\$" 30
c_note "Ctrl-C ended the loop in $elapsed ms"
((elapsed < 10000)) || c_fail "Ctrl-C took $elapsed ms to end the loop"
line 'return 6 * 7'
wait_count '^42$' 2

# Ctrl-C on a half-typed line clears it (and leaves a continuation).
type_text 'garbage that is never run'
key C-c
wait_last "^klua:$BIG>\$"
line 'do'
wait_last "^klua:$BIG>>\$"
key C-c
wait_last "^klua:$BIG>\$"
line '"cleared" .. "!"'
wait_for '^cleared!$'

# An event arrives while a line is half-typed: it shows above the prompt,
# and the half-typed text is intact and runs.
line ".use $WEB"
wait_last "^klua:$WEB>\$"
klua -s "$WEB" -e 'timer.after(1500, function() print("tick-from-a-timer") end)'
type_text 'half = "typed'
wait_for '^tick-from-a-timer$' 20
wait_last "^klua:$WEB> half = \"typed\$"
screen | sed -e '/^$/d' | tail -n 2 | head -n 1 | grep -qx 'tick-from-a-timer' ||
	c_fail "the event is not right above the prompt:
$(screen)"
line ' text"'
line 'half'
wait_for '^typed text$'

# .watch streams the state's events until Ctrl-C.
klua -s "$WEB" -e 'n = 0; w = timer.every(100, function() n = n + 1; print("watched " .. n) end)'
line '.watch'
wait_for "^watching '$WEB': Ctrl-C stops"
wait_for '^watched 5$'
key C-c
wait_last "^klua:$WEB>\$"
line 'w:stop()'
wait_for '^true$'

# Errors are red on a terminal.
line 'error("red")'
wait_for '^klua: runtime error: stdin:1: red$'
# (tmux writes the colour its own way: "\e[1m\e[31m" or "\e[1;31m".)
tm capture-pane -p -e -t repl -S - | grep 'runtime error: stdin:1: red' | grep -q $'\e\\[[0-9;]*31m' ||
	c_fail "the error is not red on a terminal: $(tm capture-pane -p -e -t repl -S - | grep 'red' | od -c | head)"

# Ctrl-D leaves with status 0.
key C-d
c_wait 10 test -s "$STATUS" || c_fail "Ctrl-D did not end klua:
$(screen)"
[[ $(cat "$STATUS") == 0 ]] || c_fail "klua exited $(cat "$STATUS") after Ctrl-D"

# The history: one entry for the function, sq(12) once (run twice in a row).
hist=$HOME_DIR/.local/state/klua/history
[[ -f $hist ]] || c_fail "no history file at $hist"
grep -qxF 'function sq(n)\n  return n * n\nend' "$hist" || c_fail "the function is not one entry:
$(cat "$hist")"
[[ $(grep -cx 'sq(12)' "$hist") == 1 ]] || c_fail "sq(12) is in the history $(grep -cx 'sq(12)' "$hist") times"
[[ $(stat -c %a "$hist") == 600 ]] || c_fail "the history file has mode $(stat -c %a "$hist")"

# A new session recalls the last session's last entry.
start_repl
key Up
wait_last "^klua:$WEB> error\\(\"red\"\\)\$"
key C-u
line '.quit'
c_wait 10 test -s "$STATUS" || c_fail ".quit did not end klua"
[[ $(cat "$STATUS") == 0 ]] || c_fail "klua exited $(cat "$STATUS") after .quit"
