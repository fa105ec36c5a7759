"""Raw sockets at a chosen netlink port id, for the event cases (70-79).

A Port is a generic netlink socket bound with an explicit nl_pid, so that a
case can close a subscriber and bind a new socket to the same port id, and
then see whether the kernel sends the new socket anything that was meant for
the old one. Built on genl.py (requests and constants) and c_klua.py.

    sys.path.insert(0, "tests/vm/lib"); import c_events
"""
import errno
import os
import random
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import c_klua  # noqa: E402
import genl  # noqa: E402
from genl import K, attr_str  # noqa: E402


def family():
    """klua's generic netlink family id."""
    g = genl.Genl()
    try:
        return g.resolve()
    finally:
        g.close()


def port_ids(n, seed=None):
    """n distinct port ids that no process's socket takes by itself: the
    kernel picks a process's pid, then ids from -4096 downwards."""
    rnd = random.Random(seed)
    base = 0x50000000 + rnd.randrange(0, 0x10000000 - n * 2)
    return [base + 2 * i for i in range(n)]


class Port(genl.Genl):
    """A socket bound to port id pid (bind fails with EADDRINUSE while
    another socket holds it). read() counts what arrives."""

    def __init__(self, pid, fam, rcvbuf=None):  # pylint: disable=super-init-not-called
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, genl.NETLINK_GENERIC)
        self.sock.setsockopt(genl.SOL_NETLINK, genl.NETLINK_EXT_ACK, 1)
        if rcvbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, c_klua.SO_RCVBUFFORCE, rcvbuf)
        try:
            self.sock.bind((pid, 0))
        except OSError:
            self.sock.close()
            raise
        self.pid = pid
        self.seq = 0
        self.family = fam
        self.bufsize = 1 << 20
        self.datagrams = []
        self.messages = 0       # messages of klua's family
        self.overruns = 0       # ENOBUFS: the kernel had something for this socket
        self.output = b""       # OUTPUT bytes of those messages

    def subscribe(self, state, rcvbuf=None):
        """Subscribes with a receive buffer of 8 MiB, so that the ACK finds
        room behind the events that come first; then, if given, makes the
        buffer rcvbuf bytes."""
        self.sock.setsockopt(socket.SOL_SOCKET, c_klua.SO_RCVBUFFORCE, 8 << 20)
        self.klua("KLUA_CMD_SUBSCRIBE", attr_str(K["KLUA_ATTR_NAME"], state))
        if rcvbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, c_klua.SO_RCVBUFFORCE, rcvbuf)

    def read(self, seconds):
        """Takes whatever arrives during the next seconds."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return
            try:
                data = self.sock.recv(1 << 20)
            except OSError as e:
                if e.errno != errno.ENOBUFS:
                    raise
                self.overruns += 1
                continue
            while len(data) >= 16:
                length, kind = struct.unpack_from("IH", data)
                if kind == self.family:
                    self.messages += 1
                    self.output += genl.parse_attrs(data[20:length]).get(
                        K["KLUA_ATTR_OUTPUT"], b"")
                data = data[(length + 3) & ~3:]

    def got_anything(self):
        return self.messages or self.overruns

    def describe(self):
        return (f"port {self.pid:#x}: {self.messages} messages, {self.overruns} ENOBUFS, "
                f"output {self.output[:160]!r}")


def bind_when_free(pid, fam, seconds, rcvbuf=None):
    """Binds a Port to pid as soon as its holder lets it go (spinning on
    EADDRINUSE); None if it stayed taken for seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return Port(pid, fam, rcvbuf)
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise
    return None
