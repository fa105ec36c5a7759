#!/usr/bin/env bash
# NAME netlink: unknown commands, wrong request types and bare headers are refused; the kernel carries on
# TIMEOUT 120
#
# Through tests/vm/lib/genl.py: command numbers the family does not have (0,
# EVENT which is a notification, 9, 99) and requests of the wrong type (EXEC
# without NLM_F_DUMP, CREATE as a dump) get EOPNOTSUPP; a message of only the
# netlink header (a zero-length payload) gets EINVAL; a generic netlink header
# without attributes gets EINVAL with a message; a header that claims more
# bytes than were sent, and an empty datagram, are dropped. After all of
# them the same socket still works and the state still runs.
set -euo pipefail
source tests/vm/lib/t_common.sh
cleanup() { klua state destroy t23 2>/dev/null || true; }
trap cleanup EXIT
cleanup
klua state create t23

python3 -S - <<'PY'
import socket
import struct
from t_nl import *

c = Checks()
name = attr_str(ATTR["NAME"], "t23")
for cmd in (0, CMD["EVENT"], CMD["INTERRUPT"] + 1, 99):
    c.refused(f"command {cmd}", lambda: c.request(cmd, name), errno.EOPNOTSUPP)
c.refused("EXEC as a plain request",
          lambda: c.request(CMD["EXEC"], name + attr(ATTR["CODE"], b"return 1")), errno.EOPNOTSUPP)
c.refused("CREATE as a dump", lambda: c.request(CMD["CREATE"], name, flags=NLM_F_DUMP), errno.EOPNOTSUPP)
c.refused("CREATE without attributes", lambda: c.request(CMD["CREATE"]), errno.EINVAL,
          r"^a state name \(KLUA_ATTR_NAME\) is required$")


def raw(label, data, want):
    """Sends data as it is; want: an errno in an NLMSG_ERROR, or None for no reply."""
    try:
        c.g.sock.send(data)
    except OSError as e:
        c.ok(label, want is None, f"send refused it: {errname(e.errno)}")
        return
    c.g.sock.settimeout(1.0)
    try:
        reply = c.g.sock.recv(65536)
    except socket.timeout:
        c.ok(label, want is None, "no reply")
        return
    finally:
        c.g.sock.settimeout(None)
    kind = struct.unpack_from("H", reply, 4)[0]
    err = -struct.unpack_from("i", reply, 16)[0] if kind == 2 else None
    c.ok(label, kind == 2 and err == want, f"reply type {kind}, {errname(err)}")


hdr = lambda length, seq: struct.pack("IHHII", length, c.family, NLM_F_REQUEST | NLM_F_ACK, seq, 0)
raw("only a netlink header (zero-length payload)", hdr(16, 9001), errno.EINVAL)
raw("a header claiming more bytes than sent", hdr(200, 9002) + struct.pack("BBH", CMD["CREATE"], 1, 0), None)
raw("an empty datagram", b"", None)
raw("three bytes", b"\1\2\3", None)

c.alive("the same socket still runs chunks", "t23")
c.finish()
PY
