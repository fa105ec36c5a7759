#!/usr/bin/env bash
# NAME privileges: every klua command sent raw by an unprivileged process gets EPERM and changes nothing
# TIMEOUT 120
#
# As nobody with no capabilities, tests/vm/lib/genl.py sends each command of
# the family (CREATE, DESTROY, LIST as a request and as a dump, EXEC,
# SUBSCRIBE, UNSUBSCRIBE, INTERRUPT), well formed, naming a state that
# exists: each gets EPERM. Resolving the family stays allowed. Then, as root:
# the state exists, never ran, has no subscriber, and no state was created.
set -euo pipefail
source tests/vm/lib/t_common.sh
cleanup() { klua state destroy t31 2>/dev/null || true; klua state destroy t31-new 2>/dev/null || true; }
trap cleanup EXIT
cleanup
klua state create t31

setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all -- \
	python3 -S - <<'PY'
from t_nl import *

c = Checks()
c.ok("an unprivileged process resolves the family", c.family > 0, f"family {c.family}")
name = attr_str(ATTR["NAME"], "t31")
requests = {
    "CREATE": (attr_str(ATTR["NAME"], "t31-new"), NLM_F_ACK),
    "DESTROY": (name, NLM_F_ACK),
    "LIST": (name, NLM_F_ACK),
    "LIST dump": (b"", NLM_F_DUMP),
    "EXEC": (name + attr(ATTR["CODE"], b"x = 1"), NLM_F_DUMP),
    "SUBSCRIBE": (name, NLM_F_ACK),
    "UNSUBSCRIBE": (name, NLM_F_ACK),
    "INTERRUPT": (name, NLM_F_ACK),
}
for label, (attrs, flags) in requests.items():
    cmd = CMD[label.split()[0]]
    c.refused(f"{label} as nobody", lambda: c.request(cmd, attrs, flags=flags), errno.EPERM)
c.finish()
PY

state=$(klua state list --json | jq -c 'select(.data.name | startswith("t31")) | [.data.name, .data.runs, .data.subscribers]')
echo "as root: $state"
[[ $state == '["t31",0,0]' ]]
