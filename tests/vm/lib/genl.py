"""A raw generic netlink client for klua's VM tests (Python stdlib only).

It speaks the protocol byte by byte, so tests can send what the real shell
never would: missing, mistyped, oversized or unterminated attributes, and
unknown commands. Constants are read from include/uapi/klua.h so that the
header stays the only definition.
"""
import errno
import os
import re
import socket
import struct

NETLINK_GENERIC = 16
NETLINK_CAP_ACK, NETLINK_EXT_ACK = 10, 11
SOL_NETLINK = 270
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLM_F_ACK_TLVS = 0x200


def _uapi():
    here = os.path.dirname(os.path.abspath(__file__))
    text = open(os.path.join(here, "../../../include/uapi/klua.h")).read()
    consts = {}
    for enum in re.findall(r"enum klua_\w+ \{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", enum, flags=re.S)
        for i, name in enumerate(n.strip() for n in body.split(",") if n.strip()):
            consts[name] = i
    for name, val in re.findall(r"#define (KLUA_\w+)\s+(\d+)", text):
        consts[name] = int(val)
    return consts


K = _uapi()


def attr(kind, payload):
    """One netlink attribute, padded to 4 bytes."""
    hdr = struct.pack("HH", 4 + len(payload), kind)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def attr_str(kind, s):
    return attr(kind, s.encode() + b"\0")


def attr_u64(kind, v):
    return attr(kind, struct.pack("Q", v))


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("HH", data)
        if length < 4:
            break
        out[kind & 0x3FFF] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


def extack_msg(mflags, body):
    """The extack message of an NLMSG_ERROR's body ("" if none)."""
    if not mflags & NLM_F_ACK_TLVS:
        return ""
    inner = struct.unpack_from("I", body, 4)[0]
    # the echoed request is capped to its header
    tlvs = parse_attrs(body[4 + 16 if mflags & 0x100 else 4 + inner:])
    if NLMSGERR_ATTR_MSG not in tlvs:
        return ""
    return tlvs[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()


class Error(Exception):
    def __init__(self, errno_, msg):
        super().__init__(f"errno {errno_}: {msg}")
        self.errno = errno_
        self.msg = msg


class Genl:
    """One socket. It reads with a buffer of bufsize bytes and notes the size
    of each datagram in `datagrams`; a datagram cut short raises Error. With
    cap_ack, errors do not echo the request (NETLINK_CAP_ACK)."""

    def __init__(self, bufsize=1 << 20, cap_ack=False):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        if cap_ack:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0
        self.family = None
        self.bufsize = bufsize
        self.datagrams = []

    def close(self):
        self.sock.close()

    def request(self, family, cmd, attrs=b"", flags=NLM_F_ACK, version=1):
        """Sends one request and returns the list of (cmd, attrs) replies.

        Raises Error for an NLMSG_ERROR with a non-zero code.
        """
        self.seq += 1
        payload = struct.pack("BBH", cmd, version, 0) + attrs
        msg = struct.pack("IHHII", 16 + len(payload), family, NLM_F_REQUEST | flags,
                          self.seq, 0) + payload
        self.sock.send(msg)
        replies = []
        while True:
            data, _, rflags, _ = self.sock.recvmsg(self.bufsize)
            if rflags & socket.MSG_TRUNC:
                raise Error(errno.EMSGSIZE, f"a datagram longer than {self.bufsize} bytes was cut")
            self.datagrams.append(len(data))
            while len(data) >= 16:
                length, kind, mflags, seq, _ = struct.unpack_from("IHHII", data)
                body = data[16:length]
                data = data[(length + 3) & ~3:]
                if kind == NLMSG_DONE:
                    # a dump that failed carries its error here
                    code = struct.unpack_from("i", body)[0] if len(body) >= 4 else 0
                    if code < 0:
                        tlvs = parse_attrs(body[4:]) if mflags & NLM_F_ACK_TLVS else {}
                        raise Error(-code, tlvs.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode())
                    return replies
                if kind == NLMSG_ERROR:
                    code = struct.unpack_from("i", body)[0]
                    if code == 0:
                        return replies
                    raise Error(-code, extack_msg(mflags, body))
                replies.append((body[0], parse_attrs(body[4:])))
                if not mflags & NLM_F_MULTI and not flags & NLM_F_DUMP:
                    if not flags & NLM_F_ACK:
                        return replies

    def resolve(self, name="klua"):
        replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                               attr_str(CTRL_ATTR_FAMILY_NAME, name))
        self.family = struct.unpack("H", replies[0][1][CTRL_ATTR_FAMILY_ID][:2])[0]
        return self.family

    def klua(self, cmd, attrs=b"", flags=NLM_F_ACK):
        if self.family is None:
            self.resolve()
        return self.request(self.family, K[cmd], attrs, flags)

    def exec(self, state, code, chunkname=None):
        """Runs code; returns the NDJSON output as one string."""
        attrs = attr_str(K["KLUA_ATTR_NAME"], state) + attr(K["KLUA_ATTR_CODE"], code.encode()
                                                             if isinstance(code, str) else code)
        if chunkname:
            attrs += attr_str(K["KLUA_ATTR_CHUNKNAME"], chunkname)
        replies = self.klua("KLUA_CMD_EXEC", attrs, flags=NLM_F_DUMP)
        return b"".join(a.get(K["KLUA_ATTR_OUTPUT"], b"") for _, a in replies).decode(
            "utf-8", "surrogateescape")
