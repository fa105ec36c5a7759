#!/usr/bin/env bash
# NAME a 100M-instruction exec runs off the netlink path: genl families register meanwhile, other commands answer, INTERRUPT and DESTROY end it within 100 ms, and it holds bottom halves off only in short slices while UDP between namespaces flows
# TIMEOUT 240
#
# Execs run in klua's kernel worker: the request path only queues them (a
# chunk run inside generic netlink's receive path would hold the lock that
# every family's registration takes). While a state runs `while true do
# end` with a budget of 10^9 instructions (it runs past 10^8 before the
# interrupt):
#  - a module that registers a genl family (wireguard) loads and unloads;
#  - list, create, an exec in another state and destroy of another state
#    answer;
#  - UDP echoes between two network namespaces over veth, every 10 ms,
#    all come back: the exec lets bottom halves (NET_RX) run after every
#    slice; the longest stretch it held its CPU with them off
#    (KLUA_ATTR_HOLD_PEAK) stays within a few slices;
#  - KLUA_CMD_INTERRUPT ends it within 100 ms, and KLUA_CMD_DESTROY of its
#    state returns within 100 ms.
set -euo pipefail
source tests/vm/lib/c_common.sh

cleanup() {
	c_kill "${echo_pid:-}"
	ip netns del c64a 2>/dev/null || true
	ip netns del c64b 2>/dev/null || true
	modprobe -r wireguard 2>/dev/null || true
	c_max_instructions_restore
	for s in c64-run c64-other c64-gone c64-destroy; do c_destroy "$s"; done
}
trap cleanup EXIT
c_max_instructions 1000000000

ip netns add c64a
ip netns add c64b
ip link add c64a0 netns c64a type veth peer name c64b0 netns c64b
ip -n c64a addr add 198.18.64.1/24 dev c64a0
ip -n c64b addr add 198.18.64.2/24 dev c64b0
ip -n c64a link set c64a0 up
ip -n c64b link set c64b0 up
# A UDP echo server in c64b; the client in c64a runs inside the test below.
ip netns exec c64b python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.64.2", 7))
while True:
    data, peer = s.recvfrom(64)
    s.sendto(data, peer)
' &
echo_pid=$!
cat >"$KLUA_CASE_TMP/echo.py" <<'PY'
import socket, struct, sys, time
# Sends a datagram every 10 ms for argv[1] seconds; prints sent, lost, max rtt in ms.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2.0)
end = time.monotonic() + float(sys.argv[1])
sent = lost = 0
worst = 0.0
while time.monotonic() < end:
    t0 = time.monotonic()
    s.sendto(struct.pack("d", t0), ("198.18.64.2", 7))
    sent += 1
    try:
        s.recvfrom(64)
        worst = max(worst, (time.monotonic() - t0) * 1000)
    except socket.timeout:
        lost += 1
    time.sleep(0.01)
print(sent, lost, f"{worst:.1f}")
PY
# the server is up when a second of echoes all come back
echoes() {
	local sent lost worst
	ip netns exec c64a python3 "$KLUA_CASE_TMP/echo.py" 1 >"$KLUA_CASE_TMP/echo0"
	read -r sent lost worst <"$KLUA_CASE_TMP/echo0"
	((sent > 0 && lost == 0))
}
c_wait 30 echoes || c_fail "no UDP echo between the namespaces before the test"

python3 - <<'PY'
import os, subprocess, sys, threading, time
import c_klua, genl
from c_klua import check, Failed
from genl import K, attr_str, attr_u64

def ms(t0):
    return (time.monotonic() - t0) * 1000

def long_exec(name, results):
    g = genl.Genl()
    t0 = time.monotonic()
    try:
        results[name] = (g.exec(name, "while true do end"), time.monotonic())
    except genl.Error as e:
        results[name] = (f"errno {e.errno}: {e}", time.monotonic())

def started(name):
    """The exec runs: its state's hold peak is no longer 0."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if c_klua.state(name).get("hold_peak_ns", 0) > 0:
            return
        time.sleep(0.02)
    raise Failed(f"the exec of {name} did not start")

try:
    g = genl.Genl()
    c_klua.create("c64-run", instructions=1_000_000_000)
    c_klua.create("c64-gone", instructions=1_000_000)
    c_klua.create("c64-destroy", instructions=1_000_000_000)
    results = {}
    echo = subprocess.Popen(["ip", "netns", "exec", "c64a", "python3", os.environ["KLUA_CASE_TMP"] + "/echo.py",
                             "8"], stdout=subprocess.PIPE, text=True)
    runner = threading.Thread(target=long_exec, args=("c64-run", results))
    runner.start()
    started("c64-run")
    t_run = time.monotonic()

    # A genl family registers and unregisters meanwhile.
    t0 = time.monotonic()
    subprocess.run(["modprobe", "wireguard"], check=True, timeout=60)
    subprocess.run(["modprobe", "-r", "wireguard"], check=True, timeout=60)
    took = ms(t0)
    print(f"# wireguard loaded and unloaded in {took:.0f} ms during the exec")
    check(runner.is_alive(), "the exec ended before the module test: it proves nothing")
    check(took < 20000, f"loading a genl family took {took:.0f} ms during an exec")

    # Every other command answers.
    t0 = time.monotonic()
    states = c_klua.states(g)
    check("c64-run" in states, "list does not show the running state")
    c_klua.create("c64-other", instructions=1_000_000, g=g)
    out = g.exec("c64-other", "return 6 * 7")
    check('"data":[42]' in out, f"an exec in another state: {out}")
    c_klua.destroy("c64-gone", g=g)
    took = ms(t0)
    print(f"# list, create, exec and destroy of other states took {took:.0f} ms together")
    check(runner.is_alive(), "the exec ended before the other commands: they prove nothing")

    # The exec ends within 100 ms of its interrupt.
    t0 = time.monotonic()
    g.klua("KLUA_CMD_INTERRUPT", attr_str(K["KLUA_ATTR_NAME"], "c64-run"))
    runner.join(10)
    check(not runner.is_alive(), "the exec did not end on its interrupt")
    out, t_end = results["c64-run"]
    took = (t_end - t0) * 1000
    print(f"# the interrupt ended the exec after {took:.1f} ms (it ran {(t0 - t_run):.1f} s)")
    check('"kind":"interrupted"' in out, f"the exec's output: {out}")
    check(took < 100, f"the interrupt took {took:.1f} ms")

    info = c_klua.state("c64-run", g)
    peak = info["hold_peak_ns"] / 1e6
    print(f"# the longest stretch the exec held its CPU with bottom halves off: {peak:.2f} ms")
    # The slice is 500 us. Under qemu's single-threaded TCG the two vCPUs
    # take turns on one host thread, so while the other vCPU runs (here:
    # loading a module) this one stands still and its clock runs on: the
    # stretch seen here includes that. It must still be a small part of
    # the run: without the slices it was the whole run.
    ran = t0 - t_run
    check(peak < 1000 and peak < ran * 1000 / 10,
          f"the exec held bottom halves off for {peak:.2f} ms of its {ran:.1f} s")

    # Destroy of a state whose exec runs returns within 100 ms.
    runner = threading.Thread(target=long_exec, args=("c64-destroy", results))
    runner.start()
    started("c64-destroy")
    t0 = time.monotonic()
    c_klua.destroy("c64-destroy", g=g)
    took = ms(t0)
    runner.join(10)
    print(f"# destroy of a state running an exec returned after {took:.1f} ms")
    check(took < 100, f"destroy took {took:.1f} ms")
    check('"kind":"interrupted"' in results["c64-destroy"][0], f"the destroyed exec: {results['c64-destroy'][0]}")

    sent, lost, worst = echo.communicate(timeout=60)[0].split()
    print(f"# UDP echo during the execs: {sent} sent, {lost} lost, slowest {worst} ms")
    check(int(sent) > 0 and int(lost) == 0, f"UDP echoes were lost during the execs: {sent} sent, {lost} lost")
except Failed as e:
    sys.exit(f"FAILED: {e}")
PY
