"""Netlink checks for the VM cases 10-39, on top of genl.py.

A case makes a Checks, sends requests the real shell never would, and states
what each must get: refused(label, send, errno, message) for a request the
kernel must refuse (with that errno, and an extack message matching a
regex), ok(label, condition, detail) for anything else. Each check prints
one "ok ..." or "FAIL ..." line; finish() exits 1 if any failed.

    sys.path.insert(0, "tests/vm/lib"); from t_nl import *
"""
import errno
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genl  # noqa: E402
from genl import (K, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, Error,  # noqa: E402,F401
                  attr, attr_str, attr_u64)

ATTR = {k[len("KLUA_ATTR_"):]: v for k, v in K.items() if k.startswith("KLUA_ATTR_")}
CMD = {k[len("KLUA_CMD_"):]: v for k, v in K.items() if k.startswith("KLUA_CMD_")}


def kernel_at_least(major, minor):
    m = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return (int(m.group(1)), int(m.group(2))) >= (major, minor)


# Before 6.2 the kernel drops the extack message that a dump's start
# callback sets (EXEC checks its request there); later kernels pass it on.
START_EXTACK = kernel_at_least(6, 2)


def errname(n):
    return errno.errorcode.get(n, str(n)) if n is not None else "any errno"


class Checks:
    def __init__(self):
        self.g = genl.Genl()
        self.family = self.g.resolve()
        self.failures = 0

    def report(self, label, problems, detail):
        if problems:
            self.failures += 1
            print(f"FAIL {label}: {'; '.join(problems)} [{detail}]")
        else:
            print(f"ok {label} [{detail}]")

    def ok(self, label, condition, detail=""):
        self.report(label, [] if condition else ["check failed"], detail)

    def refused(self, label, send, err, message=None):
        """send() must raise genl.Error with errno err (None: any) and, when
        message is given, an extack message that matches it."""
        try:
            replies = send()
        except Error as e:
            problems = []
            if err is not None and e.errno != err:
                problems.append(f"got {errname(e.errno)}, expected {errname(err)}")
            if message is not None and not re.search(message, e.msg):
                problems.append(f"extack {e.msg!r} does not match {message!r}")
            self.report(label, problems, f"{errname(e.errno)} {e.msg!r}")
            return
        self.report(label, ["the kernel accepted it"], str(replies)[:200])

    def request(self, cmd, attrs=b"", flags=NLM_F_ACK, version=1):
        """A request with a raw command number and raw attributes."""
        return self.g.request(self.family, cmd, attrs, flags, version)

    def alive(self, label, state):
        """The state still runs a chunk."""
        try:
            out = self.g.exec(state, "return 'alive'")
        except Error as e:
            out = f"errno {errname(e.errno)} {e.msg!r}"
        self.ok(label, out == f'{{"type":"result","state":"{state}","data":["alive"]}}\n',
                out.strip()[:200])

    def finish(self):
        if self.failures:
            print(f"{self.failures} checks failed")
            sys.exit(1)
