# shellcheck shell=bash
# Helpers for the VM cases 10-39 (the shell, Lua semantics, JSON, errors and
# limits, hostile chunks, privileges). Source it from a RUN line or a *.sh
# case; cwd is the repo.

# Without forking: cases start many shells, and each fork costs in the VM.
T_LIB=${BASH_SOURCE[0]%/*}
[[ $T_LIB == /* ]] || T_LIB=$PWD/$T_LIB
export PYTHONPATH=$T_LIB${PYTHONPATH:+:$PYTHONPATH}

# The most kernel stack a state's runs may use: half of the 16 KiB stack.
# KASAN (the debug kernel) doubles both the stack and klua's budget of it
# (KLUA_STACK_SCALE in kernel/lua/luaconf.h): its red zones make frames
# larger.
T_STACK_MAX=8192
if [[ -r /proc/config.gz ]] && zgrep -qx 'CONFIG_KASAN=y' /proc/config.gz; then
	T_STACK_MAX=16384
fi

# t_field STATE FIELD: one numeric field of `klua state list --json` for
# STATE (empty if there is no such state).
t_field() {
	local list
	list=$(klua state list --json)
	if [[ $list =~ \"name\":\"$1\"[^}]*\"$2\":([0-9]+) ]]; then
		echo "${BASH_REMATCH[1]}"
	fi
}

# t_rep TEXT N: TEXT repeated N times, without spawning anything.
t_rep() {
	local out="" chunk=$1 n=$2
	while ((n > 0)); do
		if ((n & 1)); then
			out+=$chunk
		fi
		chunk+=$chunk
		n=$((n >> 1))
	done
	printf '%s' "$out"
}

# t_stack STATE: prints "stack_peak N < T_STACK_MAX" and succeeds, or prints
# "stack_peak N >= T_STACK_MAX" and fails.
t_stack() {
	local peak
	peak=$(t_field "$1" stack_peak)
	if [[ -n $peak ]] && ((peak < T_STACK_MAX)); then
		echo "stack_peak $peak < $T_STACK_MAX"
	else
		echo "stack_peak ${peak:-unknown} >= $T_STACK_MAX"
		return 1
	fi
}

# t_hostile STATE KINDS ARGS...: runs `klua -s STATE --json ARGS...`, a
# chunk that must end in a Lua error of one of KINDS (a regex such as
# 'memory|instructions'), and prints three lines:
#   KIND: MESSAGE   of the error line it ended with
#   alive           when the state runs a chunk afterwards
#   stack_peak ...  (t_stack)
# It fails unless the chunk failed (exit 1) with an error line of one of
# KINDS last, the state is still usable, and the state's runs stayed within
# T_STACK_MAX bytes of kernel stack. Cases check MESSAGE with EXPECT_REGEX.
t_hostile() {
	local state=$1 kinds=$2 out rc=0 last kind ok=0
	shift 2
	out=$(klua -s "$state" --json "$@") || rc=$?
	last=${out##*$'\n'}
	if [[ $rc == 1 && $last =~ ^\{\"type\":\"error\",\"state\":\"$state\",\"data\":\{\"kind\":\"([a-z]+)\",\"message\":\"(([^\"\\]|\\.)*)\" ]]; then
		kind=${BASH_REMATCH[1]}
		echo "$kind: ${BASH_REMATCH[2]}"
		if ! [[ $kind =~ ^($kinds)$ ]]; then
			echo "kind $kind is not one of $kinds"
			ok=1
		fi
	else
		echo "no error line (exit $rc): ${last:0:300}"
		ok=1
	fi
	if [[ $(klua -s "$state" -e 'return "alive"') == alive ]]; then
		echo alive
	else
		echo "the state does not run chunks any more"
		ok=1
	fi
	t_stack "$state" || ok=1
	return $ok
}
