#!/usr/bin/env bash
# NAME at most 64 execs wait for a state: the 65th gets EBUSY with a clear message; the waiting ones run in order once the state is free, and an interrupt for a port ends that port's waiting exec without running it
# TIMEOUT 180
#
# Each waiting exec is a copy of its chunk in kernel memory, so a state
# takes a bounded number. A long exec holds the state; 64 clients queue
# behind it (each one socket with its dump open), the 65th is refused at
# once. One of the 64 is interrupted by port while it waits: it ends with
# "interrupted before it ran". Then the long exec is interrupted, and the
# others run, in the order they came (each appends its number to a list).
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c63-queue
cleanup() {
	c_max_instructions_restore
	c_destroy "$S"
}
trap cleanup EXIT
c_destroy "$S"
c_max_instructions 1000000000
klua state create "$S" --instructions 1000000000 --memory 8M

python3 - "$S" <<'PY'
import errno, os, socket, struct, sys, threading, time
import c_klua, genl
from c_klua import check, Failed
from genl import K, attr, attr_str, attr_u64

name = sys.argv[1]
try:
    long_g = genl.Genl()
    out = {}
    # The long exec is the state's first: its hold peak is 0 until it has
    # run a slice (an earlier exec would have set it, and the clients below
    # would then find the state idle).
    t = threading.Thread(target=lambda: out.setdefault(
        "long", long_g.exec(name, "order = {} while true do end")))
    t.start()
    deadline = time.monotonic() + 30
    while c_klua.state(name).get("hold_peak_ns", 0) == 0:
        check(time.monotonic() < deadline, "the long exec did not start")
        time.sleep(0.02)

    # 64 clients send an exec and wait; no one reads yet.
    waiting = []
    for i in range(64):
        g = genl.Genl()
        g.resolve()
        g.seq += 1
        payload = struct.pack("BBH", K["KLUA_CMD_EXEC"], 1, 0) + attr_str(K["KLUA_ATTR_NAME"], name) + \
            attr(K["KLUA_ATTR_CODE"], f"order[#order + 1] = {i} return {i}".encode())
        g.sock.send(struct.pack("IHHII", 16 + len(payload), g.family,
                                genl.NLM_F_REQUEST | genl.NLM_F_DUMP, g.seq, 0) + payload)
        waiting.append(g)
    time.sleep(0.5)
    g65 = genl.Genl()
    try:
        g65.exec(name, "return 'ran'")
        raise Failed("the 65th exec was accepted")
    except genl.Error as e:
        check(e.errno == errno.EBUSY, f"the 65th exec: {e}")
        # Linux before 6.5 drops the extack of a dump's start (EXEC is a dump)
        release = tuple(int(x) for x in os.uname().release.split(".")[:2])
        check("too many execs" in str(e) or (release < (6, 5) and e.msg == ""),
              f"the 65th exec's message: {e}")
    print("# the 65th waiting exec was refused with EBUSY")

    # Interrupt the 10th by its port, while it waits.
    port = waiting[10].sock.getsockname()[0]
    long_g2 = genl.Genl()
    long_g2.klua("KLUA_CMD_INTERRUPT", attr_str(K["KLUA_ATTR_NAME"], name) +
                 attr(K["KLUA_ATTR_PORTID"], struct.pack("I", port)))

    # Free the state: interrupt the long exec (by its port).
    long_g2.klua("KLUA_CMD_INTERRUPT", attr_str(K["KLUA_ATTR_NAME"], name) +
                 attr(K["KLUA_ATTR_PORTID"], struct.pack("I", long_g.sock.getsockname()[0])))
    t.join(30)
    check('"kind":"interrupted"' in out.get("long", ""), f"the long exec: {out}")

    def read_all(g):
        replies = []
        while True:
            data = g.sock.recv(g.bufsize)
            while len(data) >= 16:
                length, kind, mflags, seq, _ = struct.unpack_from("IHHII", data)
                body = data[16:length]
                data = data[(length + 3) & ~3:]
                if kind == genl.NLMSG_DONE:
                    return b"".join(replies).decode()
                if kind == genl.NLMSG_ERROR:
                    raise Failed(f"error {struct.unpack_from('i', body)[0]}")
                a = genl.parse_attrs(body[4:])
                replies.append(a.get(K["KLUA_ATTR_OUTPUT"], b""))

    for i, g in enumerate(waiting):
        text = read_all(g)
        if i == 10:
            check('"kind":"interrupted"' in text and "before it ran" in text, f"exec 10: {text}")
        else:
            check(f'"data":[{i}]' in text, f"exec {i}: {text}")
    order = c_klua.exec_value(genl.Genl(), name, "return table.concat(order, ',')")
    expect = ",".join(str(i) for i in range(64) if i != 10)
    check(order == expect, f"the execs ran in the order {order}")
    print("# the 63 others ran in the order they came; the interrupted one never ran")
except Failed as e:
    sys.exit(f"FAILED: {e}")
PY
