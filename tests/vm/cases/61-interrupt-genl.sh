#!/usr/bin/env bash
# NAME KLUA_CMD_INTERRUPT from another process ends a busy exec (even under pcall), or only the exec of the port it names; idle or unknown states answer cleanly
# TIMEOUT 60
#
# One process execs a loop that could run for minutes, another sends
# KLUA_CMD_INTERRUPT over its own socket: the exec's last line is an error
# of kind "interrupted". A loop that catches errors with pcall can't hold
# the interrupt off. With KLUA_ATTR_PORTID it ends only the exec sent from
# that netlink port. Interrupting an idle state is acknowledged and does not
# touch the next exec; a state that does not exist gives ENOENT with a
# message naming it (a fixed "no state with that name" before Linux 6.2).
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c61-genl
cleanup() {
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
c_max_instructions 1000000000

python3 - "$S" <<'EOF2'
import errno, multiprocessing, struct, sys, time
import c_klua, genl
from c_klua import check
from genl import K, attr, attr_str

state = sys.argv[1]

def run(code, out):
    try:
        g = genl.Genl()
        out.put(g.sock.getsockname()[0])    # the exec's netlink port
        out.put(c_klua.exec_lines(g, state, code))
    except Exception as e:
        out.put(f"{type(e).__name__}: {e}")

def interrupt(g, name, port=None):
    attrs = attr_str(K["KLUA_ATTR_NAME"], name)
    if port is not None:
        attrs += attr(K["KLUA_ATTR_PORTID"], struct.pack("I", port))
    g.klua("KLUA_CMD_INTERRUPT", attrs)

def interrupted_run(g, code, targeted=False):
    out = multiprocessing.Queue()
    p = multiprocessing.Process(target=run, args=(code, out))
    p.start()
    port = out.get(timeout=20)
    time.sleep(1.5)
    check(p.is_alive(), "the loop ended by itself")
    if targeted:
        # Another port's interrupt leaves this exec alone.
        interrupt(g, state, port ^ 1)
        interrupt(g, state, g.sock.getsockname()[0])
        time.sleep(1.5)
        check(p.is_alive(), "an interrupt for another port ended the exec")
    t0 = time.monotonic()
    interrupt(g, state, port if targeted else None)
    lines = out.get(timeout=20)
    elapsed = time.monotonic() - t0
    p.join()
    check(isinstance(lines, list), f"exec failed: {lines}")
    check(lines[-1]["type"] == "error" and lines[-1]["data"]["kind"] == "interrupted"
          and "interrupted" in lines[-1]["data"]["message"],
          f"expected an interrupted error, got {lines}")
    check(elapsed < 3, f"the exec ended {elapsed:.1f}s after the interrupt")
    return lines

def main():
    g = genl.Genl()
    c_klua.create(state, instructions=10**9, g=g)
    interrupted_run(g, "while true do end")
    check(c_klua.exec_value(g, state, "return 1 + 1") == 2, "the state does not work after")
    interrupted_run(g, "while true do end", targeted=True)
    check(c_klua.exec_value(g, state, "return 1 + 1") == 2, "the state does not work after")

    lines = interrupted_run(g, """
        caught = 0
        while true do
            local ok = pcall(function() while true do end end)
            caught = caught + 1
        end""")
    print(f"# under pcall: {lines[-1]['data']['message']}")
    check(c_klua.exec_value(g, state, "return caught") <= 1,
          "pcall caught the interrupt and the loop went on")

    interrupt(g, state)                       # idle: nothing runs
    check(c_klua.exec_value(g, state, "local x = 0 for i = 1, 200000 do x = x + i end return x")
          == 200000 * 200001 // 2, "an interrupt of an idle state hit the next exec")

    try:
        interrupt(g, "c61-no-such-state")
        raise c_klua.Failed("interrupting a missing state succeeded")
    except genl.Error as e:
        # Before 6.2 the kernel has no formatted extack: a fixed message.
        check(e.errno == errno.ENOENT and ("c61-no-such-state" in e.msg
                                           or e.msg == "no state with that name"),
              f"missing state: errno {e.errno}, message {e.msg!r}")

c_klua.main_wrapper(main)
EOF2
