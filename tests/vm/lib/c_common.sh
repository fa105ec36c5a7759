# shellcheck shell=bash
# Helpers for the VM cases 50-89: source it from a *.sh case, which runs with
# `set -euo pipefail` in the repo directory.

C_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PYTHONPATH=$C_LIB${PYTHONPATH:+:$PYTHONPATH}

# c_debug_kernel: true on the debug kernel (KASAN, lockdep, kmemleak:
# tools/build-debug-kernel), which runs five to eight times slower than
# Debian's kernels.
c_debug_kernel() {
	[[ -r /proc/config.gz ]] && zgrep -qx 'CONFIG_KASAN=y' /proc/config.gz
}

c_fail() {
	echo "FAILED: $*" >&2
	exit 1
}

c_note() {
	echo "# $*"
}

# c_wait SECONDS CMD...: runs CMD every 0.1 s until it succeeds; fails after SECONDS.
c_wait() {
	local seconds=$1 end
	shift
	end=$(($(date +%s%N) + seconds * 1000000000))
	until "$@"; do
		(($(date +%s%N) < end)) || return 1
		sleep 0.1
	done
}

# c_watch STATE [OUT [ERR]]: `klua -s STATE --watch --json` in the
# background, writing to OUT (default $KLUA_CASE_TMP/watch.out) and ERR
# (default $KLUA_CASE_TMP/watch.err). Sets $watcher to its pid (c_kill it in
# the cleanup) and returns once it has subscribed; fails the case after 10 s.
c_watch() {
	local state=$1 out=${2:-$KLUA_CASE_TMP/watch.out} err=${3:-$KLUA_CASE_TMP/watch.err}
	klua -s "$state" --watch --json >"$out" 2>"$err" &
	watcher=$!
	c_wait 10 c_field_is "$state" subscribers 1 || c_fail "the watcher of $state did not subscribe"
}

# c_gone PID: true when the process has ended.
c_gone() {
	! kill -0 "$1" 2>/dev/null
}

# c_field STATE FIELD: one field of `klua state list --json` for STATE ("" if no state).
c_field() {
	klua state list --json | jq -r --arg n "$1" --arg f "$2" \
		'select(.type == "state" and .data.name == $n) | .data[$f]'
}

# c_field_is STATE FIELD VALUE: true when the field has that value.
c_field_is() {
	[[ $(c_field "$1" "$2") == "$3" ]]
}

# c_state_exists STATE
c_state_exists() {
	klua state list --json | jq -r 'select(.type == "state") | .data.name' | grep -xF -- "$1" >/dev/null
}

# c_kill PID...: SIGKILL to the background jobs given (empty ones are
# skipped), reaped quietly. For cleanups.
c_kill() {
	local p
	for p in "$@"; do
		[[ -n $p ]] || continue
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

# c_destroy STATE...: destroys the states that exist (for cleanups).
c_destroy() {
	local s
	for s in "$@"; do
		klua state destroy "$s" 2>/dev/null || true
	done
}

# c_long_times: raises the time limits of new states (default_time and
# max_time) to 10 minutes, for cases whose runs take long under emulation;
# c_max_instructions_restore (in the case's cleanup) puts them back.
C_PARAMS=/sys/module/klua/parameters
c_long_times() {
	C_OLD_MAX_TIME=${C_OLD_MAX_TIME:-$(cat "$C_PARAMS/max_time")}
	C_OLD_DEFAULT_TIME=${C_OLD_DEFAULT_TIME:-$(cat "$C_PARAMS/default_time")}
	echo 600000 >"$C_PARAMS/max_time"
	echo 600000 >"$C_PARAMS/default_time"
}

# c_max_instructions N: raises the module's max_instructions to N, so that a
# chunk can run for minutes under emulation, and the time limits with it
# (c_long_times); c_max_instructions_restore (in the case's cleanup) puts
# the first values back.
c_max_instructions() {
	C_OLD_MAX_INSTRUCTIONS=${C_OLD_MAX_INSTRUCTIONS:-$(cat "$C_PARAMS/max_instructions")}
	echo "$1" >"$C_PARAMS/max_instructions"
	c_long_times
}
c_max_instructions_restore() {
	if [[ -n ${C_OLD_MAX_INSTRUCTIONS:-} ]]; then
		echo "$C_OLD_MAX_INSTRUCTIONS" >"$C_PARAMS/max_instructions"
	fi
	if [[ -n ${C_OLD_MAX_TIME:-} ]]; then
		echo "$C_OLD_DEFAULT_TIME" >"$C_PARAMS/default_time"
		echo "$C_OLD_MAX_TIME" >"$C_PARAMS/max_time"
	fi
}

# c_callback_time US: sets the module's callback_time (a timer callback's
# wall-clock limit, in us) for a case whose callbacks do much work, since
# emulation runs them many times slower than a real CPU;
# c_callback_time_restore (in the cleanup) puts the first value back.
c_callback_time() {
	C_OLD_CALLBACK_TIME=${C_OLD_CALLBACK_TIME:-$(cat "$C_PARAMS/callback_time")}
	echo "$1" >"$C_PARAMS/callback_time"
}
c_callback_time_restore() {
	if [[ -n ${C_OLD_CALLBACK_TIME:-} ]]; then
		echo "$C_OLD_CALLBACK_TIME" >"$C_PARAMS/callback_time"
	fi
}

# c_long_state NAME: creates a state that may run 10^9 instructions a run
# (minutes under emulation), so that only an interrupt or the end of the
# case stops its loops; c_max_instructions_restore in the cleanup.
c_long_state() {
	c_max_instructions 1000000000
	klua state create "$1" --instructions 1000000000
}

# c_exec_started STATE: an exec of STATE has run for at least a slice (its
# hold peak, KLUA_ATTR_HOLD_PEAK, is no longer 0). Every exec sets the peak
# when it ends, so this tells of a state's first exec only. Execs run in a
# kernel worker, not in the client's process.
c_exec_started() {
	python3 - "$1" <<'PY'
import struct, sys
import genl
g = genl.Genl()
replies = g.klua("KLUA_CMD_LIST", genl.attr_str(genl.K["KLUA_ATTR_NAME"], sys.argv[1]))
peak = struct.unpack("Q", replies[0][1][genl.K["KLUA_ATTR_HOLD_PEAK"]][:8])[0]
sys.exit(0 if peak > 0 else 1)
PY
}

# c_waits_for_exec PID: the process waits in the kernel for its exec (in
# the exec dump, or before it in the request).
c_waits_for_exec() {
	grep -q 'klua_nl_exec' "/proc/$1/stack" 2>/dev/null
}

# c_ms: milliseconds since the epoch.
c_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# c_meminfo FIELD: a /proc/meminfo value in kB.
c_meminfo() {
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# c_settle_slab: lets freed objects reach the slab counters (RCU, deferred
# work) and prints Slab in kB.
c_settle_slab() {
	sync
	echo 2 >/proc/sys/vm/drop_caches 2>/dev/null || true
	sleep 1
	c_meminfo Slab
}

# c_module_ko: the path of the klua.ko that is loaded now, to load it again.
# The runner loads the module from the results share (a copy of the
# --module file); tools/vm from the share too; by hand it is build/modules.
# When the module has a srcversion, the file must match it.
c_module_ko() {
	local loaded ko
	c_module_loaded || {
		echo "klua is not loaded" >&2
		return 1
	}
	loaded=$(cat /sys/module/klua/srcversion 2>/dev/null || true)
	for ko in "${KLUA_VM_OUT:-/tmp/vm-out}/klua.ko" "build/modules/$(uname -r)/klua.ko"; do
		[[ -f $ko ]] || continue
		if [[ -z $loaded || $(modinfo -F srcversion "$ko") == "$loaded" ]]; then
			echo "$ko"
			return 0
		fi
	done
	echo "no klua.ko found for the loaded module" >&2
	return 1
}

# c_module_loaded: true when klua is loaded and live.
c_module_loaded() {
	[[ $(cat /sys/module/klua/initstate 2>/dev/null) == live ]]
}

# c_module_restore KO: loads KO with default parameters if klua is not
# loaded, or is loaded with parameters other than the defaults. For traps.
c_module_restore() {
	local ko=$1
	if c_module_loaded && [[ $(cat /sys/module/klua/parameters/max_states) == 256 &&
		$(cat /sys/module/klua/parameters/default_memory) == 1048576 &&
		$(cat /sys/module/klua/parameters/default_instructions) == 1000000 &&
		$(cat /sys/module/klua/parameters/event_buffer) == 65536 ]]; then
		return 0
	fi
	if c_module_loaded; then
		c_wait 30 rmmod klua 2>/dev/null || echo "cannot unload klua to restore it" >&2
	fi
	insmod "$ko" || echo "cannot load $ko again" >&2
}
