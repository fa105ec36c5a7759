#!/usr/bin/env bash
# NAME privileges: an unprivileged listener cannot subscribe and receives none of a state's events
#
# As nobody with no capabilities, a process opens generic netlink sockets,
# tries SUBSCRIBE (EPERM), joins every multicast group 1..64 it can (with
# setsockopt and with bind), and listens while root runs a state whose timer
# prints "secret" every 50 ms. Root's own --watch sees "secret" (so the
# events flow); the listener must receive nothing that contains it.
# TIMEOUT 120
set -euo pipefail
source tests/vm/lib/t_common.sh
tmp=$KLUA_CASE_TMP
cleanup() { klua state destroy t32 2>/dev/null || true; }
trap cleanup EXIT
cleanup
rm -f "$tmp/ready" "$tmp/stop" "$tmp/listener.out"
klua state create t32

setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all -- \
	env T_TMP="$tmp" python3 -S - >"$tmp/listener.out" 2>&1 <<'PY' &
import os
import socket
import time
from t_nl import *

tmp = os.environ["T_TMP"]
c = Checks()
c.refused("SUBSCRIBE as nobody", lambda: c.request(CMD["SUBSCRIBE"], attr_str(ATTR["NAME"], "t32")), errno.EPERM)
joined = []
for group in range(1, 65):
    try:
        c.g.sock.setsockopt(genl.SOL_NETLINK, 1, group)  # NETLINK_ADD_MEMBERSHIP
        joined.append(group)
    except OSError:
        pass
other = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, genl.NETLINK_GENERIC)
try:
    other.bind((0, 0xFFFFFFFF))
    bound = "all 32 groups"
except OSError as e:
    other.bind((0, 0))
    bound = errname(e.errno)
print(f"# joined groups {joined}; bind to groups 1-32: {bound}")
open(os.path.join(tmp, "ready"), "w").close()
got = []
for s in (c.g.sock, other):
    s.settimeout(0.1)
while not os.path.exists(os.path.join(tmp, "stop")):
    for s in (c.g.sock, other):
        try:
            got.append(s.recv(65536))
        except socket.timeout:
            pass
        except OSError as e:
            got.append(f"error {errname(e.errno)}".encode())
print(f"# received {len(got)} messages")
c.ok("nothing received contains the secret", not any(b"secret" in m for m in got), repr(got)[:300])
c.finish()
PY
listener=$!

for _ in $(seq 600); do [[ -e $tmp/ready ]] && break; sleep 0.1; done
[[ -e $tmp/ready ]] || { cat "$tmp/listener.out"; echo "the listener did not start"; exit 1; }
klua -s t32 -e 'T = timer.every(50, function() print("secret") end)'
seen=$(timeout 2 klua -s t32 --watch | grep -c secret || true)
echo "root's --watch saw $seen secret lines"
touch "$tmp/stop"
rc=0
wait "$listener" || rc=$?
cat "$tmp/listener.out"
((seen > 0)) || { echo "root saw no events: the listener proves nothing"; exit 1; }
exit $rc
