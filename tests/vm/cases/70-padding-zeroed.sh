#!/usr/bin/env bash
# NAME netlink: every padding byte of every attribute the module sends (exec output of each length mod 4, events) is zero
# TIMEOUT 120
#
# An attribute of L bytes takes NLA_ALIGN(L) bytes in its message; the 1-3
# bytes after it are the kernel's to fill, and whatever is there reaches the
# socket. The guest poisons the kmalloc caches (slub_debug=P), so a byte that
# is never written reads as slab poison. Through a raw socket
# (tests/vm/lib/genl.py's constants, but reading datagrams byte by byte):
#   - EXEC dumps whose output is every length mod 4, in one message and
#     spread over several (the last message of each length mod 4 too), read
#     with a buffer of KLUA_REPLY_MAX and of 1 MiB;
#   - EVENT messages of a subscriber, with lines of every length mod 4.
# In each message, each attribute's padding must be zero and lie within the
# message. The case fails if no attribute had padding at all.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c70-pad
trap 'c_destroy "$S"' EXIT
c_destroy "$S"
klua state create "$S"

python3 - "$S" <<'EOF'
import select
import socket
import struct
import sys
import time

import c_klua
import genl
from c_klua import check
from genl import K, attr, attr_str

state = sys.argv[1]
stats = {"messages": 0, "attributes": 0, "padded": 0}


def check_message(msg, where):
    """Every attribute of one generic netlink message: padding zero and inside."""
    length = struct.unpack_from("I", msg)[0]
    check(length <= len(msg), f"{where}: nlmsg_len {length} beyond the datagram")
    off = 16 + 4                        # nlmsghdr, genlmsghdr
    while off + 4 <= length:
        alen, kind = struct.unpack_from("HH", msg, off)
        check(alen >= 4, f"{where}: attribute of length {alen} at {off}")
        end, aligned = off + alen, off + ((alen + 3) & ~3)
        check(aligned <= length, f"{where}: attribute {kind} ends at {aligned}, past "
              f"the message's {length} bytes")
        pad = msg[end:aligned]
        stats["attributes"] += 1
        if pad:
            stats["padded"] += 1
        check(pad == b"\0" * len(pad), f"{where}: attribute {kind} of {alen - 4} bytes has "
              f"padding {pad.hex()} (not zero)")
        off = aligned
    check(off == length, f"{where}: {length - off} bytes after the last attribute")
    stats["messages"] += 1


def messages(data):
    """The netlink messages of one datagram, as byte strings."""
    out = []
    while len(data) >= 16:
        length = struct.unpack_from("I", data)[0]
        check(length >= 16, f"nlmsg_len {length}")
        out.append(data[:length])
        data = data[(length + 3) & ~3:]
    return out


def exec_raw(g, code, where):
    """Sends an EXEC dump; checks each message; returns the output text."""
    g.seq += 1
    payload = struct.pack("BBH", K["KLUA_CMD_EXEC"], 1, 0) + \
        attr_str(K["KLUA_ATTR_NAME"], state) + attr(K["KLUA_ATTR_CODE"], code.encode())
    g.sock.send(struct.pack("IHHII", 16 + len(payload), g.family,
                            genl.NLM_F_REQUEST | genl.NLM_F_DUMP, g.seq, 0) + payload)
    out = b""
    while True:
        data, _, flags, _ = g.sock.recvmsg(g.bufsize)
        check(not flags & socket.MSG_TRUNC, f"{where}: a datagram was cut")
        for msg in messages(data):
            kind = struct.unpack_from("H", msg, 4)[0]
            if kind == genl.NLMSG_DONE:
                return out.decode()
            check(kind == g.family, f"{where}: message of type {kind}")
            check_message(msg, where)
            out += genl.parse_attrs(msg[20:]).get(K["KLUA_ATTR_OUTPUT"], b"")


def main():
    total = 0
    for bufsize in (K["KLUA_REPLY_MAX"], 1 << 20):
        g = genl.Genl(bufsize)
        g.resolve()
        # One message: the result line of a string of k bytes, every k mod 4.
        for k in range(0, 40):
            where = f"buffer {bufsize}, a {k}-byte result"
            out = exec_raw(g, f"return string.rep('y', {k})", where)
            check(c_klua.parse_ndjson(out, where)[-1]["data"] == ["y" * k], f"{where}: {out!r}")
            total += 1
        # Several messages: lines that span them, ending on each length mod 4.
        for k in (3000, 3001, 3002, 3003, 9000, 9001, 9002, 9003):
            for lines in (1, 3):
                where = f"buffer {bufsize}, {lines} lines of {k} bytes"
                out = exec_raw(g, f"for i = 1, {lines} do print(string.rep('z', {k})) end "
                               "return 1", where)
                got = c_klua.parse_ndjson(out, where)
                check([l["type"] for l in got] == ["print"] * lines + ["result"], where)
                total += 1
        g.close()

    # Events: lines of each length mod 4 from a timer, to a raw subscriber.
    sub = c_klua.Subscriber(state, rcvbuf=4 << 20)
    g = genl.Genl()
    c_klua.exec_value(g, state, """
        n = 0
        t = timer.every(5, function()
            n = n + 1
            print(string.rep("e", n % 13))
            if n == 200 then t:stop() end
        end)
        return true""")
    deadline = time.monotonic() + 30
    events = 0
    while events < 200 and time.monotonic() < deadline:
        r, _, _ = select.select([sub.g.sock], [], [], 1)
        if not r:
            continue
        data = sub.g.sock.recv(1 << 20)
        for msg in messages(data):
            kind = struct.unpack_from("H", msg, 4)[0]
            if kind != sub.g.family:
                continue
            check_message(msg, "an event message")
            sub._take(genl.parse_attrs(msg[20:]).get(K["KLUA_ATTR_OUTPUT"], b""))
            events = len(sub.raw)
    check(events == 200, f"the subscriber got {events} of 200 event lines")
    sub.close()
    print(f"# {total} execs and 200 event lines: {stats['messages']} messages, "
          f"{stats['attributes']} attributes, {stats['padded']} with padding, all zero")
    check(stats["padded"] > 100, "hardly any attribute had padding: nothing was tested")


c_klua.main_wrapper(main)
EOF
