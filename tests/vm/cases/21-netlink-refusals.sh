#!/usr/bin/env bash
# NAME netlink: well-formed requests the kernel refuses get their errno and an extack message
# TIMEOUT 120
#
# Through tests/vm/lib/genl.py, bypassing the shell's own checks: a duplicate
# CREATE (EEXIST), every command on a missing state (ENOENT), a 64001-byte
# chunk (E2BIG; 64000 bytes run; a binary chunk fails to compile), limits out of range (ERANGE), a memory
# limit of 0 (ENOMEM), UNSUBSCRIBE without a subscription (ENOENT). Then the
# state still runs, and only the chunks that were accepted counted as runs.
#
# Before 6.2 the kernel drops the message EXEC's checks set (they run in the
# dump's start callback): there, only the errno of those is checked.
set -euo pipefail
source tests/vm/lib/t_common.sh
cleanup() { klua state destroy t21 2>/dev/null || true; }
trap cleanup EXIT
cleanup
klua state create t21

python3 -S - <<'PY'
import struct
from t_nl import *

c = Checks()
name = lambda s: attr_str(ATTR["NAME"], s)
code = lambda b: attr(ATTR["CODE"], b)
exec_ = lambda attrs: c.request(CMD["EXEC"], attrs, flags=NLM_F_DUMP)
missing = r"^no state (named 't21-none'|with that name)$"
start = lambda regex: regex if START_EXTACK else None

c.refused("CREATE of an existing state", lambda: c.request(CMD["CREATE"], name("t21")),
          errno.EEXIST, r"a state with this name already exists")
for cmd in ("DESTROY", "LIST", "SUBSCRIBE", "UNSUBSCRIBE", "INTERRUPT"):
    c.refused(f"{cmd} of a missing state", lambda: c.request(CMD[cmd], name("t21-none")),
              errno.ENOENT, missing)
c.refused("EXEC in a missing state", lambda: exec_(name("t21-none") + code(b"return 1")),
          errno.ENOENT, start(missing))
c.refused("EXEC of 64001 bytes", lambda: exec_(name("t21") + code(b"return 1 --" + b"x" * 63990)),
          errno.E2BIG, start(r"^chunk (of 64001 bytes is larger than the limit of 64000 bytes"
                             r"|larger than the limit \(module parameter max_chunk\))$"))
out = c.g.exec("t21", b"return 1 --" + b"x" * 63989)
c.ok("EXEC of 64000 bytes runs", out == '{"type":"result","state":"t21","data":[1]}\n', out[:200])
out = c.g.exec("t21", b"\x1bLua\x54\x00\x19\x93\r\n\x1a\n")
c.ok("EXEC of a binary chunk ends in a syntax error", out.startswith(
    '{"type":"error","state":"t21","data":{"kind":"syntax","message":"attempt to load a binary chunk'),
    out.strip()[:200])
c.refused("CREATE with a memory limit of 2^64-1",
          lambda: c.request(CMD["CREATE"], name("t21-x") + attr_u64(ATTR["MEMORY_LIMIT"], 2**64 - 1)),
          errno.ERANGE, r"memory limit above the maximum")
c.refused("CREATE with a memory limit of 0",
          lambda: c.request(CMD["CREATE"], name("t21-x") + attr_u64(ATTR["MEMORY_LIMIT"], 0)),
          errno.ENOMEM, r"memory limit is too small")
for n in (0, 100000001, 2**64 - 1):
    c.refused(f"CREATE with an instruction limit of {n}",
              lambda: c.request(CMD["CREATE"], name("t21-x") + attr_u64(ATTR["INSTR_LIMIT"], n)),
              errno.ERANGE, r"instruction limit (must be 1 to 100000000|out of range)")
c.refused("UNSUBSCRIBE without a subscription", lambda: c.request(CMD["UNSUBSCRIBE"], name("t21")),
          errno.ENOENT, r"^this socket is not subscribed to the state$")
c.alive("the state still runs chunks", "t21")
info = c.request(CMD["LIST"], name("t21"))[0][1]
runs = struct.unpack("Q", info[ATTR["RUNS"]])[0]
c.ok("only the three accepted chunks ran", runs == 3, f"runs {runs}")
names = [a[ATTR["NAME"]] for _, a in c.request(CMD["LIST"], flags=NLM_F_DUMP)]
c.ok("no refused CREATE made a state", b"t21-x\0" not in names, str(names)[:200])
c.finish()
PY
