#!/usr/bin/env bash
# NAME netlink: a request whose generic netlink header has another version than 1 (0, 2) is refused
# TIMEOUT 120
#
# include/uapi/klua.h defines version 1 of the family. A CREATE with version
# 0 or 2 in its genlmsghdr must get an error, not create the state.
set -euo pipefail
source tests/vm/lib/t_common.sh
cleanup() { klua state destroy t24v0 2>/dev/null || true; klua state destroy t24v2 2>/dev/null || true; }
trap cleanup EXIT
cleanup

python3 -S - <<'PY'
from t_nl import *

c = Checks()
for v in (0, 2):
    c.refused(f"CREATE with version {v}",
              lambda: c.request(CMD["CREATE"], attr_str(ATTR["NAME"], f"t24v{v}"), version=v), None)
    made = [a for _, a in c.request(CMD["LIST"], flags=NLM_F_DUMP) if a[ATTR["NAME"]] == f"t24v{v}\0".encode()]
    c.ok(f"no state made by version {v}", not made)
c.finish()
PY
