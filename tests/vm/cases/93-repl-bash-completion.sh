#!/usr/bin/env bash
# NAME shell/completion/klua.bash completes options, state commands, the kernel's state names and files
# TIMEOUT 60
#
# The script is sourced with stand-ins for the two bash-completion helpers
# it uses (_init_completion, _filedir), so that the case needs no
# bash-completion package; COMPREPLY is checked for each command line.
# State names come from the running kernel through `klua state list`.
set -euo pipefail
source tests/vm/lib/c_common.sh

A=c93-alpha
B=c93-beta
cleanup() { c_destroy "$A" "$B"; }
trap cleanup EXIT
c_destroy "$A" "$B"
klua state create "$A"
klua state create "$B"

_init_completion() {
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	words=("${COMP_WORDS[@]}")
	cword=$COMP_CWORD
}
_filedir() { COMPREPLY+=("<files${1:+ *.$1}>"); }
source shell/completion/klua.bash
[[ $(complete -p klua) == "complete -F _klua klua" ]] || c_fail "not registered: $(complete -p klua)"

# completions FILTER WORDS...: the completions of the command line WORDS
# (the last word is the one being completed) that match the grep regex
# FILTER, sorted, space-separated.
completions() {
	local filter=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_klua
	printf '%s\n' "${COMPREPLY[@]}" | { grep -e "$filter" || true; } | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}
# check WANT WORDS...: all the completions are WANT.
check() {
	local want=$1 got
	shift
	got=$(completions '' "$@")
	[[ $got == "$want" ]] || c_fail "[$*]: got '$got', want '$want'"
}
# check_states WANT WORDS...: the completions that are states of this case
# (c93-...) are WANT.
check_states() {
	local want=$1 got
	shift
	got=$(completions '^c93-' "$@")
	[[ $got == "$want" ]] || c_fail "[$*]: got '$got', want '$want'"
}

check '<files *.lua> state' klua st
check 'create destroy list' klua state ''
check 'create' klua state cr
check '--context --instructions --json --memory --time' klua state create web --
check 'hardirq softirq' klua state create web --context ''
check '--json' klua state list --
check '--json' klua --j
check '--interactive' klua --inter
check '--watch' klua -s web --w
check '' klua -s web -e ''
check '<files>' klua -s web script.lua ''
check '<files *.lua> state' klua -s web ''
check_states "$A $B" klua -s c93-
check_states "$A" klua --state c93-a
check_states "$B" klua state destroy c93-b
check_states "$A $B" klua -i -s c93
