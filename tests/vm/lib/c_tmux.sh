# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Driving a program on a real terminal: a tmux server of the case's own
# (sockets $TMUX_SOCKET-N), one window "repl", keys sent with send-keys and the
# screen read with capture-pane. Source after c_common.sh, with TMUX_SOCKET
# set.

# Each tm_start makes a server on a socket of its own: the one it replaces
# may still be exiting, and a client of its socket would reach it.
tm() { tmux -L "$TMUX_SOCKET-${TM_SERVER:-0}" "$@"; }

# tm_start COLS ROWS CMD: a fresh server (no user config) running the bash
# command line CMD in window "repl", in this environment. Ctrl-C reaches
# every process of the foreground group: the bash around the program traps
# SIGINT (a handler: the program still gets the default disposition), so it
# lives on and the pane with it; a shell that dies of it would take the
# pane, and tmux's server, away.
# A pane whose command ends stays, dead, with its screen (remain-on-exit),
# and the server with it: a failure shows what the program printed last.
tm_start() {
	tm kill-server 2>/dev/null || true
	TM_SERVER=$((${TM_SERVER:-0} + 1))
	tm -f /dev/null new-session -d -s repl -x "$1" -y "$2" bash --norc -c "trap : INT; $3" \; \
		set-option -g remain-on-exit on \; set-option -g exit-empty off
}

# The screen and its scrollback, lines joined, trailing blanks cut.
# "alive", or how the pane's command ended; "no server" if tmux is gone.
pane_state() {
	tm display-message -p -t repl '#{?pane_dead,dead (status #{pane_dead_status}),alive}' 2>/dev/null ||
		echo "no server"
}
screen() { tm capture-pane -p -J -t repl -S - | sed -e 's/[[:space:]]*$//'; }
# The screen's last non-empty line.
last_line() { screen | sed -e '/^$/d' | tail -n 1; }
shows() { screen | grep -qE -- "$1"; }
last_is() { [[ $(last_line) =~ $1 ]]; }
shows_n() { [[ $(screen | grep -cE -- "$1") == "$2" ]]; }

# until_screen SECONDS TEST...: runs TEST every 0.2 s (in this shell: cheap
# while a chunk keeps a CPU busy) until it succeeds; fails after SECONDS.
until_screen() {
	local end=$(($(c_ms) + $1 * 1000))
	shift
	until "$@"; do
		(($(c_ms) < end)) || return 1
		sleep 0.2
	done
}

# wait_for REGEX [SECONDS]: until a line of the screen matches.
wait_for() {
	until_screen "${2:-15}" shows "$1" || c_fail "the screen never showed /$1/ (pane: $(pane_state)); it shows:
$(screen)"
}
# wait_last REGEX [SECONDS]: until the last line matches.
wait_last() {
	until_screen "${2:-15}" last_is "$1" || c_fail "the last line never matched /$1/ (pane: $(pane_state)); the screen shows:
$(screen)"
}
# wait_count REGEX N: until N lines match.
wait_count() {
	until_screen 15 shows_n "$1" "$2" || c_fail "not $2 lines match /$1/ (pane: $(pane_state)); the screen shows:
$(screen)"
}

type_text() { tm send-keys -t repl -l -- "$1"; }
key() { tm send-keys -t repl "$@"; }
# line TEXT: types TEXT and Enter.
line() {
	type_text "$1"
	key Enter
}
