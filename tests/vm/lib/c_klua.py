"""Helpers for the VM cases 50-89 (concurrency, events, lifecycle, module,
namespaces), on top of genl.py: state descriptions, NDJSON checks, and a raw
event subscriber that can be made slow on purpose.

Import it from a case with:
    sys.path.insert(0, "tests/vm/lib"); import c_klua
"""
import errno
import json
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genl  # noqa: E402
from genl import K, attr_str, parse_attrs  # noqa: E402

SO_RCVBUFFORCE = 33
A = {k: v for k, v in K.items() if k.startswith("KLUA_ATTR_")}
U64_FIELDS = {
    "KLUA_ATTR_MEMORY_USED": "memory_used", "KLUA_ATTR_MEMORY_PEAK": "memory_peak",
    "KLUA_ATTR_MEMORY_LIMIT": "memory_limit", "KLUA_ATTR_INSTR_LIMIT": "instr_limit",
    "KLUA_ATTR_RUNS": "runs", "KLUA_ATTR_ERRORS": "errors", "KLUA_ATTR_TIME_NS": "time_ns",
    "KLUA_ATTR_LOST": "lost", "KLUA_ATTR_STACK_PEAK": "stack_peak",
    "KLUA_ATTR_TIME_LIMIT": "time_limit_ns", "KLUA_ATTR_HOLD_PEAK": "hold_peak_ns",
}
U32_FIELDS = {"KLUA_ATTR_TIMERS": "timers", "KLUA_ATTR_SUBSCRIBERS": "subscribers",
              "KLUA_ATTR_HOOKS": "hook_count"}
U8_FIELDS = {"KLUA_ATTR_CONTEXT": "context"}


class Failed(Exception):
    """A check of a case failed; the message says which and why."""


def check(cond, what):
    if not cond:
        raise Failed(what)


def describe(attrs):
    """A LIST reply's attributes as a dict like `klua state list --json`'s data."""
    info = {"name": attrs[K["KLUA_ATTR_NAME"]].rstrip(b"\0").decode()}
    for key, field in U64_FIELDS.items():
        if K[key] in attrs:
            info[field] = struct.unpack("Q", attrs[K[key]][:8])[0]
    for key, field in U32_FIELDS.items():
        if K[key] in attrs:
            info[field] = struct.unpack("I", attrs[K[key]][:4])[0]
    for key, field in U8_FIELDS.items():
        if K[key] in attrs:
            info[field] = attrs[K[key]][0]
    return info


def states(g=None):
    """All states of this network namespace: {name: info}."""
    g = g or genl.Genl()
    replies = g.klua("KLUA_CMD_LIST", flags=genl.NLM_F_DUMP)
    return {i["name"]: i for i in (describe(a) for _, a in replies)}


def state(name, g=None):
    """One state's description, or None if there is no such state."""
    g = g or genl.Genl()
    try:
        replies = g.klua("KLUA_CMD_LIST", attr_str(K["KLUA_ATTR_NAME"], name))
    except genl.Error as e:
        if e.errno == errno.ENOENT:
            return None
        raise
    return describe(replies[0][1])


def create(name, memory=None, instructions=None, g=None):
    g = g or genl.Genl()
    attrs = attr_str(K["KLUA_ATTR_NAME"], name)
    if memory is not None:
        attrs += genl.attr_u64(K["KLUA_ATTR_MEMORY_LIMIT"], memory)
    if instructions is not None:
        attrs += genl.attr_u64(K["KLUA_ATTR_INSTR_LIMIT"], instructions)
    return g.klua("KLUA_CMD_CREATE", attrs)


def destroy(name, g=None, missing_ok=False):
    g = g or genl.Genl()
    try:
        g.klua("KLUA_CMD_DESTROY", attr_str(K["KLUA_ATTR_NAME"], name))
    except genl.Error as e:
        if not (missing_ok and e.errno == errno.ENOENT):
            raise


def parse_ndjson(text, where=""):
    """The JSON objects of NDJSON text; fails on a line that is not one, or
    on text that does not end with a newline."""
    check(text == "" or text.endswith("\n"), f"{where}: output does not end in a newline: "
          f"{text[-200:]!r}")
    out = []
    for number, line in enumerate(text.split("\n")[:-1], 1):
        try:
            obj = json.loads(line)
        except ValueError:
            raise Failed(f"{where}: line {number} is not JSON: {line[:300]!r}")
        check(isinstance(obj, dict) and "type" in obj,
              f"{where}: line {number} is not a typed object: {line[:300]!r}")
        out.append(obj)
    return out


def exec_lines(g, name, code):
    """Runs code in state name; its output as a list of JSON objects."""
    return parse_ndjson(g.exec(name, code), f"exec in {name}")


def exec_value(g, name, code):
    """Runs code; the first value of its result line (fails on an error line)."""
    lines = exec_lines(g, name, code)
    check(lines and lines[-1]["type"] == "result",
          f"exec in {name} of {code[:80]!r} did not end in a result: {lines}")
    data = lines[-1]["data"]
    return data[0] if data else None


class Subscriber:
    """A raw socket subscribed to one state's events.

    rcvbuf makes its receive buffer small (the kernel doubles the value and
    keeps a floor). read() collects the OUTPUT bytes of EVENT messages and
    counts the ENOBUFS errors that tell the socket lost messages; lines()
    splits what was read into lines, dropping a partial line at each
    overrun the way a careful client must.
    """

    def __init__(self, name, rcvbuf=None, subscribe=True):
        self.name = name
        self.g = genl.Genl()
        self.g.resolve()
        if rcvbuf is not None:
            # SO_RCVBUFFORCE (root) goes beyond net.core.rmem_max.
            self.g.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
        self.pending = b""      # bytes of a line not yet complete
        self.raw = []           # every line, complete, as bytes
        self.overruns = 0
        self.events = 0
        self.other_names = 0    # EVENT messages that named another state
        if subscribe:
            self.subscribe()

    def fileno(self):
        return self.g.sock.fileno()

    def _send(self, cmd):
        self.g.seq += 1
        payload = struct.pack("BBH", K[cmd], 1, 0) + attr_str(K["KLUA_ATTR_NAME"], self.name)
        msg = struct.pack("IHHII", 16 + len(payload), self.g.family,
                          genl.NLM_F_REQUEST | genl.NLM_F_ACK, self.g.seq, 0) + payload
        self.g.sock.send(msg)
        return self.g.seq

    def _request(self, cmd, timeout=10):
        """Sends cmd and reads until its ACK, keeping events that arrive first."""
        seq = self._send(cmd)
        deadline = time.monotonic() + timeout
        while True:
            result = self._read_once(deadline - time.monotonic(), want_seq=seq)
            if result is not None:
                return result

    def subscribe(self):
        code, msg = self._request("KLUA_CMD_SUBSCRIBE")
        if code:
            raise genl.Error(code, msg)

    def unsubscribe(self):
        code, msg = self._request("KLUA_CMD_UNSUBSCRIBE")
        if code:
            raise genl.Error(code, msg)

    def _take(self, data):
        chunk = self.pending + data
        *lines, self.pending = chunk.split(b"\n")
        self.raw.extend(lines)

    def _read_once(self, timeout, want_seq=None):
        """Reads one datagram (waiting at most timeout). Returns (code, extack)
        when it held the ACK or error for want_seq, else None."""
        r, _, _ = select.select([self.g.sock], [], [], max(timeout, 0))
        if not r:
            if want_seq is not None:
                raise Failed(f"no answer to request {want_seq} on the subscriber socket")
            return None
        try:
            data = self.g.sock.recv(1 << 20)
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            # Messages were lost: the partial line can't be completed.
            self.overruns += 1
            self.pending = b""
            return None
        answer = None
        while len(data) >= 16:
            length, kind, mflags, seq, _ = struct.unpack_from("IHHII", data)
            body = data[16:length]
            data = data[(length + 3) & ~3:]
            if kind == genl.NLMSG_ERROR:
                if seq == want_seq:
                    code = -struct.unpack_from("i", body)[0]
                    answer = (code, genl.extack_msg(mflags, body))
                continue
            if kind != self.g.family or body[0] != K["KLUA_CMD_EVENT"]:
                continue
            attrs = parse_attrs(body[4:])
            self.events += 1
            name = attrs.get(K["KLUA_ATTR_NAME"], b"").rstrip(b"\0").decode()
            if name != self.name:
                self.other_names += 1
            self._take(attrs.get(K["KLUA_ATTR_OUTPUT"], b""))
        return answer

    def read(self, seconds, pause=0.0):
        """Reads whatever arrives during the next seconds, resting pause
        seconds after each message (a reader that can't keep up)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._read_once(deadline - time.monotonic())
            if pause:
                time.sleep(pause)

    def read_until(self, pred, seconds):
        """Reads until pred(self) is true; False if seconds passed first."""
        deadline = time.monotonic() + seconds
        while not pred(self):
            if time.monotonic() >= deadline:
                return False
            self._read_once(min(0.2, deadline - time.monotonic()))
        return True

    def lines(self):
        """Every complete line so far, parsed; fails on a broken one."""
        out = []
        for number, line in enumerate(self.raw, 1):
            try:
                obj = json.loads(line)
            except ValueError:
                raise Failed(f"subscriber of {self.name}: event line {number} of "
                             f"{len(self.raw)} is broken: {line[:300]!r}")
            check(isinstance(obj, dict), f"event line {number} is not an object: {line!r}")
            out.append(obj)
        return out

    def close(self):
        self.g.close()


def main_wrapper(fn):
    """Runs fn() as a case's main: Failed becomes a message and exit 1."""
    try:
        fn()
    except Failed as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
