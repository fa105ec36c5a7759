#!/usr/bin/env bash
# NAME netlink: no reply datagram is longer than KLUA_REPLY_MAX, whatever the reader's buffer; output and listings of any size still come through whole
# TIMEOUT 120
#
# The protocol lets a client read each reply with one recvmsg() of
# KLUA_REPLY_MAX bytes (3584), without peeking (the shell does so). Through
# tests/vm/lib/genl.py, with a read buffer of exactly KLUA_REPLY_MAX and with
# one of 1 MiB (which makes the kernel allocate larger dump messages): EXEC
# outputs from a 1-byte line to a 100 KB line, lines that end on each side
# of a message boundary, and 3000 short lines arrive exact and in order; a
# LIST dump of 40 states with 64-character names spans several datagrams and
# names every state once. Errors (with NETLINK_CAP_ACK, for a 60 KB chunk
# too), a single state's LIST and CREATE fit as well. No datagram is cut or
# longer than KLUA_REPLY_MAX.
# Then the shell itself (which reads without peeking): the same long line
# and 3000 lines through klua -e, and the 40 states through klua state list.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c24-size
prefix=c24-$(printf 'n%.0s' {1..57}) # names of 64 characters with the number
cleanup() {
	local i
	c_destroy "$S" c24-made
	for i in $(seq 10 49); do c_destroy "$prefix-$i"; done
}
trap cleanup EXIT
cleanup
klua state create "$S"
for i in $(seq 10 49); do klua state create "$prefix-$i"; done

python3 - "$S" "$prefix" <<'EOF'
import json
import sys

import genl
from genl import K, attr_str

state, prefix = sys.argv[1], sys.argv[2]
most = K["KLUA_REPLY_MAX"]
assert most == 3584, most
names = {f"{prefix}-{i}" for i in range(10, 50)}
assert all(len(n) == 64 for n in names)


def fail(msg):
    sys.exit(f"FAILED: {msg}")


for bufsize in (most, 1 << 20):
    g = genl.Genl(bufsize)
    # Lines of these lengths, alone: around one message (the OUTPUT of a
    # dump message is a little under KLUA_REPLY_MAX) and well past it.
    for n in (1, 100, 3000, 3300, 3350, 3400, 3500, 3584, 3700, 4096, 7000, 9000, 100000):
        out = g.exec(state, f"print(string.rep('x', {n})) return {n}")
        lines = [json.loads(l) for l in out.splitlines()]
        if [l["type"] for l in lines] != ["print", "result"]:
            fail(f"{n}-byte line, buffer {bufsize}: got {[l['type'] for l in lines]}")
        if lines[0]["data"] != "x" * n or lines[1]["data"] != [n]:
            fail(f"{n}-byte line, buffer {bufsize}: the line came back with "
                 f"{len(lines[0]['data'])} bytes")
    # Many lines, whose ends fall everywhere in the messages.
    out = g.exec(state, "for i = 1, 3000 do print(string.rep('y', i % 97)) end")
    got = [json.loads(l)["data"] for l in out.splitlines()]
    want = ["y" * (i % 97) for i in range(1, 3001)] + [[]]
    if got != want:
        fail(f"3000 lines, buffer {bufsize}: {len(got)} lines, first difference at "
             f"{next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)}")
    exec_datagrams = len(g.datagrams)
    # The listing: every state once, in several datagrams.
    before = len(g.datagrams)
    listed = [a[K["KLUA_ATTR_NAME"]].rstrip(b"\0").decode()
              for _, a in g.klua("KLUA_CMD_LIST", flags=genl.NLM_F_DUMP)]
    mine = [n for n in listed if n in names]
    if sorted(mine) != sorted(names):
        fail(f"buffer {bufsize}: the listing has {len(mine)} of the 40 states")
    list_datagrams = len(g.datagrams) - before
    if list_datagrams < 3:
        fail(f"buffer {bufsize}: 40 states came in {list_datagrams} datagrams")
    if max(g.datagrams) > most:
        fail(f"buffer {bufsize}: a datagram of {max(g.datagrams)} bytes (KLUA_REPLY_MAX {most})")
    print(f"# buffer {bufsize}: {exec_datagrams} exec and {list_datagrams} listing datagrams, "
          f"the longest {max(g.datagrams)} bytes")
    g.close()

# The other replies, on a socket that reads exactly KLUA_REPLY_MAX with
# NETLINK_CAP_ACK, as klua's: the error for a 60 KB chunk sent to a missing
# state, an error inside ARGS, a LIST of one state, a CREATE, and a LIST
# dump of another protocol version (its error may come in an NLMSG_DONE).
g = genl.Genl(most, cap_ack=True)
g.resolve()
V, ARGS = K["KLUA_ARG_VALUE"], K["KLUA_ATTR_ARGS"]
code = genl.attr(K["KLUA_ATTR_CODE"], b"return 1 --" + b"x" * 60000)
refusals = {
    "a 60 KB chunk for a missing state":
        lambda: g.klua("KLUA_CMD_EXEC", attr_str(K["KLUA_ATTR_NAME"], "c24-none") + code,
                       flags=genl.NLM_F_DUMP),
    "an unterminated argument":
        lambda: g.klua("KLUA_CMD_EXEC", attr_str(K["KLUA_ATTR_NAME"], state) + code +
                       genl.attr(ARGS | 0x8000, genl.attr(V, b"open")), flags=genl.NLM_F_DUMP),
    "a LIST dump of protocol version 9":
        lambda: g.request(g.family, K["KLUA_CMD_LIST"], flags=genl.NLM_F_DUMP, version=9),
}
for what, send in refusals.items():
    try:
        send()
        fail(f"{what}: no error")
    except genl.Error as e:
        if "was cut" in str(e):
            fail(f"{what}: {e}")
one = g.klua("KLUA_CMD_LIST", attr_str(K["KLUA_ATTR_NAME"], state))
if len(one) != 1:
    fail(f"LIST of one state: {len(one)} replies")
g.klua("KLUA_CMD_CREATE", attr_str(K["KLUA_ATTR_NAME"], "c24-made"))
g.klua("KLUA_CMD_DESTROY", attr_str(K["KLUA_ATTR_NAME"], "c24-made"))
if max(g.datagrams) > most:
    fail(f"an error or single reply of {max(g.datagrams)} bytes")
print(f"# errors and single replies: the longest {max(g.datagrams)} bytes")
EOF

# The shell reads without peeking: a longer datagram would fail its read.
n=$(klua -s "$S" -e "print(string.rep('x', 100000))" | wc -c)
[[ $n == 100001 ]] || c_fail "klua -e printed $n bytes of a 100000-byte line (and its newline)"
n=$(klua -s "$S" --json -e "for i = 1, 3000 do print(i) end" | jq -r 'select(.type == "print") | .data' | tail -n1)
[[ $n == 3000 ]] || c_fail "klua -e: the last of 3000 lines is '$n'"
n=$(klua state list --json | jq -r 'select(.type == "state") | .data.name' | grep -c -- "^$prefix-")
[[ $n == 40 ]] || c_fail "klua state list names $n of the 40 states"
c_note "klua: the 100 KB line, 3000 lines and 40 states came through"
