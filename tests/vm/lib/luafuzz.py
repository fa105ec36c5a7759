#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""luafuzz: random Lua chunks against klua's states (Python stdlib only).

    luafuzz.py gen [--seed S] [--index I | --count N] [--skip NAME]...
    luafuzz.py run [--seed S] [--count N] [--seconds T] [--skip NAME]...
    luafuzz.py check FILE [--skip NAME]...
    luafuzz.py hazards

`gen` prints chunks (on any machine); `run` and `check` need the module (in
the VM, as root). Chunk I of seed S is the same on every machine and every
run: `gen --seed S --index I` prints the chunk that a run reported.

The generator writes programs over the whole environment a state has
(klua-lua(7)): the base functions, string, table, math, utf8, coroutine,
timer, require; with extreme arguments (huge counts, empty strings,
math.maxinteger and math.mininteger, NaN and inf where a state can only
fail on them), hostile metatables whose metamethods return extremes, error
with odd values or yield, C functions used as metamethods, callbacks and
readers (their work is not charged to the budget), deep nesting,
coroutines that wrap errors, pcall and error with odd values,
string.format and string.pack directives, patterns with many captures and
backtracking, runs that fill the memory and go on, and values that are
hard to write as JSON.

`run` feeds chunks one by one, each in its own EXEC request, to a state with
a modest memory limit and instruction budget, through a worker process that
owns the netlink socket (a chunk that hangs in the kernel takes its caller
with it: the supervisor stays free to report it). Every chunk must end
within --deadline seconds with output that klua-lua(7) allows: print and
lost lines, then one result line or an error line of a known kind, all
valid UTF-8 and JSON. Every --probe chunks a probe checks that the state
still computes and that its memory_used fits what Lua holds; the kernel
log must stay clean (the guest runner's own list of problems). At the
first failure it prints the seed, the chunk's index and the chunk cut down
to the lines (and earlier chunks, if it needs them) that still fail, and
exits 1. A chunk that overruns its deadline is interrupted; one that does
not end even then is a hang: it is printed whole with the kernel log (and
the CPUs' backtraces), and the run exits 3 (the worker stays stuck).

--skip NAME keeps a known hazard from failing the run (`hazards` lists
them): a guard, Lua run in the state first, makes the construct raise an
error instead of reaching the kernel, or the outcome is counted instead of
failed. The generator still writes them.
"""
import argparse
import base64
import json
import os
import random
import re
import select
import signal
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# ---------------------------------------------------------------------------
# Known hazards: constructs that hang the kernel today. Each has a guard, Lua
# run once in the state, which turns the construct into a Lua error; a run
# skips a hazard by installing its guard. Found by this fuzzer or known from
# issue 10; tests/vm/cases/40-fuzz-lua-found.sh has a reproducer of each.
# ---------------------------------------------------------------------------

GUARD_PRELUDE = """
local function luafuzz_skip(what) error("luafuzz: skipped a known hazard (" .. what .. ")", 3) end
local function luafuzz_int(v) local ok, n = pcall(math.tointeger, v) return ok and n or nil end
local function luafuzz_len(t)
  local mt = getmetatable(t)
  if type(mt) == "table" and rawget(mt, "__len") ~= nil then
    local n = luafuzz_int(#t)
    if n and (n > 100000 or n < -100000) then return true end
  end
  return false
end
"""

HAZARDS = {
    # string.rep of an empty string (with an empty or no separator) a huge
    # number of times loops without allocating or charging anything.
    "str-rep-empty": """
do local rep = string.rep
  string.rep = function(s, n, sep)
    local c = luafuzz_int(n)
    if (s == "" or s == nil) and (sep == nil or sep == "") and c and c > 1000000 then
      luafuzz_skip("str-rep-empty") end
    return rep(s, n, sep)
  end
end""",
    # table.insert and table.remove shift elements up to #t, which __len
    # decides: math.maxinteger loops for good.
    "table-insert-len": """
do local insert = table.insert
  table.insert = function(t, ...)
    if luafuzz_len(t) then luafuzz_skip("table-insert-len") end
    return insert(t, ...)
  end
end""",
    "table-remove-len": """
do local remove = table.remove
  table.remove = function(t, ...)
    if luafuzz_len(t) then luafuzz_skip("table-remove-len") end
    return remove(t, ...)
  end
end""",
    # table.concat reads t[i] .. t[j] through __index; a C function there
    # (table.concat itself returns "") is called for each, uncharged.
    "table-concat-index": """
do local concat = table.concat
  table.concat = function(t, sep, i, j)
    local mt = getmetatable(t)
    if type(mt) == "table" and rawget(mt, "__index") ~= nil then
      local a, b = luafuzz_int(i) or 1, luafuzz_int(j)
      if j == nil then b = luafuzz_int(#t) end
      if a and b and b > a and (b - a > 100000 or b - a < 0) then
        luafuzz_skip("table-concat-index") end
    end
    return concat(t, sep, i, j)
  end
end""",
    # collectgarbage() is a full collection, O(heap), charged nothing; as a
    # C callback (a load reader, __index, a gsub replacement) it runs once
    # for each element or byte. The guard makes each call a Lua call that
    # charges in proportion to the heap, as a fix would.
    "gc-uncharged": """
do local gc = collectgarbage
  collectgarbage = function(...)
    for _ = 1, gc("count") // 4 do end
    return gc(...)
  end
end""",
    # Not a guard: a memory error that comes after a C stack overflow was
    # caught in the same run is reported with the stack overflow's message
    # (kind memory, message "C stack overflow: ..."). With this, such a line
    # is counted, not failed.
    "memory-kind-message": None,
    # Not a guard: C work that is charged nothing or one unit, but is
    # proportional to bytes (compiling, comparing long strings, copying
    # them in string.upper, string.format, ...) lets a run take far longer
    # than its budget. With this, a chunk that overruns its deadline and
    # that the interrupt then ends is counted, not failed.
    "slow-uncharged": None,
}


def guard_code(skip):
    unknown = [s for s in skip if s not in HAZARDS]
    if unknown:
        raise SystemExit(f"luafuzz: unknown hazard {', '.join(unknown)} (see `luafuzz.py hazards`)")
    guards = [HAZARDS[s] for s in skip if HAZARDS[s]]
    if not guards:
        return None
    return GUARD_PRELUDE + "\n".join(guards)


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------

def lstr(data):
    """A Lua string literal for bytes, or for a str of code points below 256
    (one byte each; others in UTF-8)."""
    if isinstance(data, str):
        try:
            data = data.encode("latin-1")
        except UnicodeEncodeError:
            data = data.encode("utf-8", "surrogateescape")
    out = ['"']
    for b in data:
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append("\\%03d" % b)
    out.append('"')
    return "".join(out)


INTS = [
    "0", "1", "-1", "2", "3", "7", "8", "16", "31", "32", "33", "63", "64", "65", "100", "127",
    "128", "255", "256", "1000", "4096", "65535", "65536", "100000", "1000000", "16777216",
    "2147483647", "2147483648", "-2147483648", "4294967295", "4294967296", "(1 << 40)",
    "(1 << 62)", "(1 << 63)", "0x7fffffff", "0xffffffffffffffff", "math.maxinteger",
    "math.mininteger", "(math.maxinteger - 1)", "(math.mininteger + 1)", "-math.maxinteger",
    "(math.maxinteger // 2)", "(2 ^ 53)", "(2 ^ 63)", "(7 / 2)", "(-7 // 2)", "(-1 >> 1)",
]
HUGE_COUNTS = [
    "math.maxinteger", "(math.maxinteger - 1)", "(1 << 62)", "(1 << 40)", "(1 << 32)",
    "2147483647", "2147483648", "1000000000", "100000000", "16777216", "1000000", "100000",
]
# Numbers a state does not have: each fails at run time (none is a
# malformed numeral, which would end the whole chunk at compile time).
NOT_NUMBERS = [
    "(0 / 0)", "(1 / 0)", "(-1 // 0)", "(1 % 0)", "math.huge", "-math.huge", "math.pi",
    "tonumber('inf')", "tonumber('nan')", "tonumber('1e308')", "tonumber('0x1p4')",
    "tonumber('-0.0')", "math.tointeger('1.5')", "(0 ^ -1)", "(2 ^ -1)",
]
STRS = [
    '""', '"a"', '"abc"', '"\\0"', '"\\0\\0\\0"', '"%"', '"%%"', '"%d"', '"(.-)"', '" "',
    '"\\n"', '"\\255"', '"\\255\\254\\253"', '"\\192\\128"', '"\\237\\160\\128"',
    '"\\244\\144\\128\\128"', '"\\u{7FFFFFFF}"', '"\\u{10FFFF}"', '"\\u{D7FF}"', '"é"',
    '"10"', '"0x10"', '" 12 "', '"-0"', '"9223372036854775807"', '"9223372036854775808"',
    '"-9223372036854775808"', '"1e3"', '"inf"', '"nan"', '"0x"', '"1.5"', '"$base64:"',
    '("x"):rep(1000)', '("ab"):rep(5000)', '("\\255"):rep(300)', '("a"):rep(40)',
    '("()"):rep(50)', '("%"):rep(33)', '("\\0"):rep(100)', '("é"):rep(100)',
]
C_FUNCS = [
    "rawlen", "rawequal", "rawget", "rawset", "type", "tostring", "tonumber", "select", "error",
    "print", "next", "pairs", "ipairs", "assert", "pcall", "xpcall", "getmetatable",
    "setmetatable", "collectgarbage", "load", "require", "warn", "string.rep", "string.sub",
    "string.len", "string.format", "string.char", "string.byte", "string.upper",
    "string.reverse", "string.gsub", "string.find", "string.pack", "string.unpack",
    "table.concat", "table.unpack", "table.pack", "table.insert", "table.remove", "table.sort",
    "table.move", "math.max", "math.min", "math.abs", "math.random", "math.ult",
    "math.tointeger", "math.type", "math.fmod", "utf8.char", "utf8.len", "utf8.codepoint",
    "utf8.offset", "coroutine.yield", "coroutine.running", "coroutine.isyieldable",
    "coroutine.wrap", "coroutine.create", "coroutine.status", "coroutine.close",
    "timer.after", "timer.every",
]
ODD_ERRORS = [
    "nil", "false", "true", "0", "math.mininteger", '""', "{}", "error", "coroutine.running()",
    "setmetatable({}, {__tostring = function() error('tostring fails') end})",
    "setmetatable({}, {__tostring = function() return {} end})",
    "setmetatable({}, {__name = 42})", "setmetatable({}, {__name = ('n'):rep(1000)})",
    "('e'):rep(10000)", "'\\255\\254'", "{{{}}}",
]
LIBS = {
    "string": ["byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match",
               "pack", "packsize", "rep", "reverse", "sub", "unpack", "upper", "dump"],
    "table": ["concat", "insert", "move", "pack", "remove", "sort", "unpack"],
    "math": ["abs", "ceil", "floor", "fmod", "max", "min", "random", "sqrt", "tointeger",
             "type", "ult", "exp", "log", "sin", "modf", "randomseed"],
    "utf8": ["char", "codes", "codepoint", "len", "offset"],
    "coroutine": ["close", "create", "isyieldable", "resume", "running", "status", "wrap",
                  "yield"],
}
BASE = ["assert", "collectgarbage", "error", "getmetatable", "ipairs", "load", "next", "pairs",
        "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select",
        "setmetatable", "tonumber", "tostring", "type", "warn", "xpcall"]
METAMETHODS = ["__len", "__index", "__newindex", "__eq", "__lt", "__le", "__concat", "__call",
               "__tostring", "__name", "__close", "__gc", "__add", "__sub", "__mul", "__div",
               "__mod", "__pow", "__unm", "__idiv", "__band", "__shl", "__bnot", "__mode",
               "__metatable", "__pairs"]


# The parser nests in C, and a state may use 5120 bytes of kernel stack: a
# chunk that nests deeper than about 18 levels of brackets, or 4 function
# literals, fails whole with kind stack. nesting() estimates the stack a
# line needs in those units; the generator keeps most lines within
# NESTING_MAX and lets a few go beyond.
NESTING_MAX = 14
TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[A-Za-z_]\w*|[^\s\w]')
OPENERS = {"(": 1, "{": 1, "[": 1, "function": 3.5, "do": 1.5, "if": 1.5, "repeat": 1.5}
CLOSERS = {")", "}", "]", "end", "until"}


def nesting(text):
    stack, depth, peak = [], 0.0, 0.0
    for tok in TOKENS.findall(text):
        if tok in OPENERS:
            stack.append(OPENERS[tok])
            depth += stack[-1]
            peak = max(peak, depth)
        elif tok in CLOSERS and stack:
            depth -= stack.pop()
    return peak


class Gen:
    """The chunks of one seed; chunk(i) depends only on the seed and i."""

    # Levels of nested expressions, function literals and blocks: the
    # kernel stack lets the parser nest only a dozen or so function literals.
    MAX_DEPTH = 3

    def __init__(self, seed):
        self.seed = seed

    def chunk(self, index):
        """Chunk index as a list of lines, one top-level statement each."""
        self.r = random.Random(f"{self.seed}:{index}")
        self.depth = 0
        self.vars = []          # (name, kind) of the locals in scope
        self.serial = 0
        r = self.r
        lines = []
        for _ in range(r.randint(1, 5)):
            for _ in range(8):
                saved = len(self.vars)
                line = self.define()
                if nesting(line) <= NESTING_MAX or r.random() < 0.03:
                    break
                del self.vars[saved:]
            lines.append(line)
        for _ in range(r.choice([1, 2, 4, 8, 12, 20])):
            for _ in range(8):
                stmt = self.top_stmt()
                if nesting(stmt) <= NESTING_MAX or r.random() < 0.03:
                    break
            lines.append(stmt)
        if r.random() < 0.6:
            lines.append("return " + ", ".join(self.ret_value() for _ in range(r.randint(1, 3))))
        elif r.random() < 0.15:
            lines.append(f"error({self.odd_error()}, {r.choice(['0', '1', '2', '3', 'math.maxinteger'])})")
        text = "\n".join(lines)
        if len(text) > 60000:       # max_chunk is 64000 bytes
            return lines[:1]
        return lines

    # -- names and scopes ---------------------------------------------------

    def fresh(self, prefix="v"):
        self.serial += 1
        return f"{prefix}{self.serial}"

    def var(self, kinds):
        """A local in scope of one of kinds, or None."""
        found = [n for n, k in self.vars if k in kinds]
        return self.r.choice(found) if found else None

    def scoped(self, fn):
        """fn() with its locals dropped afterwards, one level deeper."""
        saved = len(self.vars)
        self.depth += 1
        try:
            return fn()
        finally:
            self.depth -= 1
            del self.vars[saved:]

    # -- values -------------------------------------------------------------

    def int(self):
        r = self.r
        x = r.random()
        if x < 0.35:
            return str(r.randint(-3, 10))
        if x < 0.85:
            return r.choice(INTS)
        if x < 0.9:
            return r.choice(NOT_NUMBERS)
        if x < 0.95:
            v = self.var(["int"])
            if v:
                return v
        return f"({self.int()} {r.choice(['+', '-', '*', '//', '%', '<<', '>>', '~', '&', '|'])} {self.int()})"

    def count(self):
        """A repetition count: often huge."""
        r = self.r
        x = r.random()
        if x < 0.45:
            return r.choice(HUGE_COUNTS)
        if x < 0.8:
            return str(r.choice([0, 1, 2, 3, 10, 100, 1000, 10000]))
        return self.int()

    def str(self):
        r = self.r
        x = r.random()
        if x < 0.55:
            return r.choice(STRS)
        if x < 0.7:
            n = r.choice([1, 2, 3, 8, 30])
            return lstr(bytes(r.randrange(256) for _ in range(n)))
        if x < 0.8:
            v = self.var(["str"])
            if v:
                return v
        if x < 0.88:
            return lstr(self.pattern())
        if x < 0.94:
            return f"({self.str()}):rep({r.choice(['0', '1', '3', '100', '1000', '70000'])})"
        return f"tostring({self.any(leaf=True)})"

    def table(self):
        r = self.r
        x = r.random()
        if x < 0.2:
            return "{}"
        if x < 0.4:
            return "{" + ", ".join(self.any(leaf=True) for _ in range(r.randint(1, 6))) + "}"
        if x < 0.5:
            return "{1, nil, 3, nil, 5}"
        if x < 0.6:
            return f"table.pack({', '.join(self.any(leaf=True) for _ in range(r.randint(0, 4)))})"
        if x < 0.7:
            n = r.choice(["10", "100", "1000", "10000", "100000"])
            return f"table.move({{}}, 1, 0, 1, (function() local t = {{}} for i = 1, {n} do t[i] = i end return t end)())"
        if x < 0.8:
            v = self.var(["tab", "obj"])
            if v:
                return v
        return self.obj()

    def cfunc(self):
        return self.r.choice(C_FUNCS)

    def func(self):
        """A function value: C, or Lua returning, raising or yielding extremes."""
        r = self.r
        x = r.random()
        if x < 0.3:
            return self.cfunc()
        if x < 0.4:
            v = self.var(["fn"])
            if v:
                return v
        if self.depth >= self.MAX_DEPTH - 1:
            return r.choice([self.cfunc(), "function(...) return ... end",
                             f"function() error({r.choice(ODD_ERRORS[:8])}) end"])
        kind = r.randrange(8)
        if kind == 0:
            return f"function(...) return {self.extreme()} end"
        if kind == 1:
            return f"function(...) error({self.odd_error()}) end"
        if kind == 2:
            return "function(...) return ... end"
        if kind == 3:
            return f"function(...) return coroutine.yield({self.extreme()}) end"
        if kind == 4:
            return f"function(a, b) return a {r.choice(['<', '<=', '==', '..', '+'])} b end"
        if kind == 5:
            which = r.choice(["1", "2", "-1", '"#"', "math.maxinteger", "math.mininteger"])
            return f"function(...) return select({which}, ...) end"
        return self.scoped(lambda: "function(...) " + self.block(r.randint(1, 2)) +
                           f" return {self.any(leaf=True)} end")

    def extreme(self):
        """A value a metamethod or callback returns: the edge of some range."""
        r = self.r
        return r.choice([
            "math.maxinteger", "math.mininteger", "0", "-1", "1", '""', "nil", "false", "true",
            "{}", "('x'):rep(100000)", "('x'):rep(10)", "print", "coroutine.running()",
            "-math.maxinteger", "2147483648", "(1 << 31)", "'10'", "'\\255'",
            "setmetatable({}, {__index = function() error('nested') end})",
        ] + [self.int(), self.str()])

    def odd_error(self):
        return self.r.choice(ODD_ERRORS + [self.extreme()])

    def handler(self, mm):
        """A metamethod: extreme return, error, C function, recursion, ..."""
        r = self.r
        if mm == "__name":
            return r.choice(["42", '""', "'\\255'", "('n'):rep(1000)", "{}", "'timer'", '"%s%s%n"'])
        if mm == "__mode":
            return r.choice(['"k"', '"v"', '"kv"', '""', "1"])
        if mm == "__metatable":
            return r.choice(["false", "{}", '"locked"', "nil"])
        x = r.random()
        if x < 0.25:
            return self.cfunc()
        if x < 0.45:
            return f"function() return {self.extreme()} end"
        if x < 0.55:
            return f"function() error({self.odd_error()}) end"
        if x < 0.62 and mm in ("__index", "__newindex"):
            return r.choice(["{}", '""', "_G", "string", "setmetatable({}, {__index = function(t, k) return k end})"])
        if x < 0.7:
            # recursion through C: each level a C call into Lua
            op = {"__index": "t[k]", "__len": "#t", "__concat": "t .. k", "__eq": "t == k",
                  "__lt": "t < k", "__le": "t <= k", "__call": "t(k)", "__tostring": "tostring(t)",
                  "__unm": "-t", "__add": "t + k"}.get(mm, "t[k]")
            return f"function(t, k) return {op} end"
        if x < 0.78:
            return "function() return coroutine.yield() end"
        if x < 0.86 and mm == "__gc":
            return r.choice([
                "function(o) setmetatable({}, getmetatable(o)) end",
                "function(o) G1 = o end",
                "function() while true do end end",
                "function() collectgarbage() end",
                "function() error(setmetatable({}, {__tostring = error})) end",
                "function() local t = {} for i = 1, 100000 do t[i] = i end end",
            ])
        if x < 0.92 and mm == "__close":
            return r.choice(["function(o, e) error(e) end", "function() coroutine.yield() end",
                             "function(o, e) return e end", "42", "function() while true do end end"])
        return self.func()

    def metatable(self):
        r = self.r
        names = r.sample(METAMETHODS, r.randint(1, 5))
        if r.random() < 0.3 and "__len" not in names:
            names.append("__len")
        if r.random() < 0.3 and "__index" not in names:
            names.append("__index")
        return "{" + ", ".join(f"{n} = {self.handler(n)}" for n in names) + "}"

    def obj(self):
        """A hostile object: a table with a metatable of extreme metamethods."""
        r = self.r
        if r.random() < 0.1:
            v = self.var(["obj"])
            if v:
                return v
        if self.depth >= self.MAX_DEPTH:
            return "setmetatable({}, {__len = function() return math.maxinteger end})"
        self.depth += 1
        try:
            content = r.choice(["{}", "{1, 2, 3}", "{n = 1}", "{[math.maxinteger] = 1}"])
            return f"setmetatable({content}, {self.metatable()})"
        finally:
            self.depth -= 1

    def thread(self):
        return self.r.choice([
            f"coroutine.create({self.func()})",
            "coroutine.running()",
            "coroutine.create(function(...) coroutine.yield(...) error('after yield') end)",
            "coroutine.create(function() local x <close> = setmetatable({}, {__close = function() error('close') end}) coroutine.yield() end)",
        ])

    def any(self, leaf=False):
        r = self.r
        x = r.random()
        if x < 0.25:
            return self.int()
        if x < 0.5:
            return self.str()
        if x < 0.58:
            return r.choice(["nil", "true", "false"])
        if x < 0.65:
            v = self.var(["int", "str", "tab", "obj", "fn", "any", "co"])
            if v:
                return v
        if leaf or self.depth >= self.MAX_DEPTH:
            return r.choice(["{}", "print", "coroutine.running()", "''", "0"])
        if x < 0.75:
            return self.table()
        if x < 0.83:
            return self.obj()
        if x < 0.9:
            return self.func()
        if x < 0.93:
            return self.thread()
        return self.expr()

    def args(self, kinds):
        """Arguments for a parameter list such as "sii" (string, ints); a few
        get a value of the wrong type, and some calls get extra ones."""
        r = self.r
        out = []
        for k in kinds:
            if r.random() < 0.08:
                out.append(self.any(leaf=True))
                continue
            out.append({"s": self.str, "i": self.int, "n": self.count, "t": self.table,
                        "o": self.obj, "f": self.func, "a": self.any, "p": self.pat_lit,
                        "F": self.fmt_lit, "P": self.pack_lit, "c": self.thread,
                        "m": self.ms}[k]())
        while out and r.random() < 0.15:
            out.pop()
        if r.random() < 0.05:
            out += [self.any(leaf=True) for _ in range(r.randint(1, 3))]
        return ", ".join(out)

    # -- strings with structure ---------------------------------------------

    def pattern(self):
        r = self.r
        atoms = [".", "%a", "%d", "%s", "%w", "%x", "%p", "%c", "%g", "%u", "%l", "a", "b", "x",
                 "[a-z]", "[^%s]", "[%]]", "[%a_]", "%b()", "%bxy", "%f[%w]", "%f[%z]", "%1",
                 "\0", "\xff", "[\0-\x7f]"]
        bad = ["%", "[a", "(", ")", "%b", "%f", "%9", "[]", "[^", "%z(", "(()", "[%"]
        x = r.random()
        if x < 0.07:
            return r.choice(bad)
        if x < 0.14:
            n = r.choice([31, 32, 33, 40])
            return "(" * n + "a" + ")" * n
        if x < 0.2:
            return "(a*)" * r.randint(3, 20) + "b"
        if x < 0.25:
            return "()" * r.choice([1, 31, 32, 33])
        if x < 0.3:
            return ".-" * r.randint(2, 30) + "$"
        out = []
        if r.random() < 0.2:
            out.append("^")
        for _ in range(r.randint(1, 6)):
            a = r.choice(atoms)
            if r.random() < 0.4 and not a.startswith("%b") and not a.startswith("%f"):
                a += r.choice("*+-?")
            if r.random() < 0.15:
                a = "(" + a + ")"
            out.append(a)
        if r.random() < 0.1:
            out.append("$")
        return "".join(out)

    def pat_lit(self):
        if self.r.random() < 0.85:
            return lstr(self.pattern())
        return self.str()

    def fmt(self):
        r = self.r
        out = []
        for _ in range(r.randint(1, 4)):
            if r.random() < 0.2:
                out.append(r.choice(["x", " ", "%%", "\xff"]))
                continue
            spec = "%" + "".join(r.sample("-+ #0", r.randint(0, 3)))
            if r.random() < 0.5:
                spec += str(r.choice([0, 1, 5, 9, 10, 30, 99, 100, 1000]))
            if r.random() < 0.3:
                spec += "." + str(r.choice([0, 1, 3, 20, 99, 100]))
            spec += r.choice("diouxXcaAeEfFgGqsp%" + "zlnhI")
            out.append(spec)
        return "".join(out)

    def fmt_lit(self):
        return lstr(self.fmt()) if self.r.random() < 0.9 else self.str()

    def pack(self):
        r = self.r
        out = []
        for _ in range(r.randint(1, 5)):
            o = r.choice(["<", ">", "=", "!", "!1", "!3", "!16", "!17", "b", "B", "h", "H", "i",
                          "I", "l", "L", "j", "J", "T", "f", "d", "n", "s", "z", "x", "X", "Xi8",
                          "Xz", " ", "c", "i16", "I17", "i0", "s1", "s16", "c0"])
            if o in ("i", "I", "s", "c") and r.random() < 0.6:
                o += r.choice(["1", "2", "3", "7", "8", "9", "15", "16", "17", "100", "1000000",
                               "2147483647", "9223372036854775807", "99999999999999999999"])
            out.append(o)
        return "".join(out)

    def pack_lit(self):
        return lstr(self.pack()) if self.r.random() < 0.9 else self.str()

    def ms(self):
        return self.r.choice(["1", "0", "-1", "86400000", "86400001", "math.maxinteger",
                              "math.mininteger", "10", "1000", "60000", "'5'", "nil"])

    # -- expressions ---------------------------------------------------------

    def libcall(self):
        """A call of a library function with extreme arguments."""
        r = self.r
        calls = [
            ("string.rep", "sns"), ("string.rep", "sn"), ("string.byte", "sii"),
            ("string.char", "iii"), ("string.find", "spia"), ("string.match", "spi"),
            ("string.gmatch", "sp"), ("string.gsub", "spsi"), ("string.gsub", "spfi"),
            ("string.gsub", "spti"), ("string.format", "Faaa"), ("string.format", "Fi"),
            ("string.format", "Fs"), ("string.pack", "Paaa"), ("string.packsize", "P"),
            ("string.unpack", "Psi"), ("string.sub", "sii"), ("string.len", "s"),
            ("string.lower", "s"), ("string.upper", "s"), ("string.reverse", "s"),
            ("string.dump", "f"),
            ("table.concat", "tsii"), ("table.concat", "osii"), ("table.insert", "oia"),
            ("table.insert", "oa"), ("table.insert", "tia"), ("table.remove", "oi"),
            ("table.remove", "o"), ("table.remove", "ti"), ("table.move", "oiiio"),
            ("table.move", "tiiit"), ("table.pack", "aaa"), ("table.unpack", "oii"),
            ("table.unpack", "tii"), ("table.sort", "of"), ("table.sort", "tf"),
            ("math.abs", "i"), ("math.ceil", "i"), ("math.floor", "i"), ("math.fmod", "ii"),
            ("math.max", "iii"), ("math.min", "iii"), ("math.random", "ii"),
            ("math.random", "i"), ("math.sqrt", "i"), ("math.tointeger", "a"),
            ("math.type", "a"), ("math.ult", "ii"), ("math.exp", "i"), ("math.randomseed", "i"),
            ("utf8.char", "iii"), ("utf8.codepoint", "siia"), ("utf8.len", "siia"),
            ("utf8.offset", "sii"), ("utf8.codes", "sa"),
            ("coroutine.wrap", "f"), ("coroutine.create", "f"), ("coroutine.resume", "ca"),
            ("coroutine.status", "c"), ("coroutine.close", "c"), ("coroutine.running", ""),
            ("coroutine.isyieldable", ""), ("coroutine.yield", "a"),
            ("select", "ia"), ("select", "iaaa"), ("tonumber", "si"), ("tonumber", "a"),
            ("tostring", "o"), ("tostring", "a"), ("rawlen", "a"), ("rawequal", "aa"),
            ("rawget", "oa"), ("rawset", "oaa"), ("next", "oa"), ("next", "ta"),
            ("getmetatable", "a"), ("setmetatable", "to"), ("type", "a"), ("assert", "aa"),
            ("pcall", "faa"), ("xpcall", "ffa"), ("error", "ai"), ("print", "aoa"),
            ("collectgarbage", "Ci"), ("load", "saaa"), ("load", "f"), ("require", "R"),
            ("warn", "ss"), ("ipairs", "o"), ("pairs", "o"), ("timer.after", "mf"),
            ("timer.every", "mf"),
        ]
        name, kinds = r.choice(calls)
        if "C" in kinds or "R" in kinds:
            if "C" in kinds:
                opt = r.choice(['"collect"', '"step"', '"count"', '"incremental"', '"generational"',
                                '"isrunning"', '"stop"', '"restart"', '"setpause"', '"bogus"', "nil"])
                return f"{name}({opt}, {self.int()})"
            mod = r.choice(['"agg"', '"string"', '"table"', '"_G"', '"io"', '"os"', '"debug"',
                            '""', '"agg.x"', '"../agg"', "('a'):rep(10000)", "nil", "{}"])
            return f"{name}({mod})"
        return f"{name}({self.args(kinds)})"

    def agg_call(self):
        r = self.r
        fn = r.choice(["count(%s, %s, %s)" % (self.table(), self.any(leaf=True), self.int()),
                       "top(%s, %s)" % (self.table(), self.count()),
                       "log2(%s)" % self.int(),
                       "hist(%s, %s)" % (self.table(), self.int()),
                       "total(%s)" % self.table()])
        return f"require('agg').{fn}"

    def expr(self):
        r = self.r
        if self.depth >= self.MAX_DEPTH:
            return self.any(leaf=True)
        self.depth += 1
        try:
            x = r.random()
            if x < 0.4:
                return self.libcall()
            if x < 0.45:
                return self.agg_call()
            if x < 0.6:
                a, b = self.any(), self.any()
                op = r.choice(["+", "-", "*", "/", "//", "%", "^", "..", "==", "~=", "<", "<=",
                               ">", ">=", "&", "|", "~", "<<", ">>", "and", "or"])
                return f"({a} {op} {b})"
            if x < 0.68:
                return f"{r.choice(['#', '-', '~', 'not '])}({self.any()})"
            if x < 0.74:
                return f"({self.any()})[{self.any(leaf=True)}]"
            if x < 0.8:
                m = r.choice(["rep", "byte", "sub", "upper", "format", "len", "find", "gsub",
                              "match", "reverse", "nope"])
                return f"({self.str()}):{m}({self.int()}, {self.any(leaf=True)})"
            if x < 0.85:
                return f"({self.obj()})({self.any(leaf=True)})"
            if x < 0.9:
                return f"select(2, pcall({self.func()}, {self.any(leaf=True)}))"
            if x < 0.95:
                return f"coroutine.wrap({self.func()})({self.any(leaf=True)})"
            return self.deep()
        finally:
            self.depth -= 1

    def deep(self):
        """Deep nesting: built at run time, or written out in a chunk that
        load() compiles (the kernel stack allows a few dozen levels of the
        parser; a chunk that nests deeper fails whole, with kind stack)."""
        r = self.r
        n = r.choice([8, 16, 30, 100, 200, 1000, 100000])
        kind = r.randrange(10)
        if kind == 0 and r.random() < 0.1:
            m = r.choice([5, 10, 20])
            return "{" * m + "}" * m
        shapes = [("(", ")"), ("{", "}"), ("{a = ", "}"), ("f(", ")"), ("a[", "]"),
                  ("function() return ", " end"), ("-", ""), ("not ", ""), ("#", ""), ("'x' .. ", "")]
        if kind <= 3:
            a, b = r.choice(shapes)
            return f"load('return ' .. ({lstr(a)}):rep({n}) .. '1' .. ({lstr(b)}):rep({n}))"
        if kind == 4:
            return f"load(('do '):rep({n}) .. ('end '):rep({n}))"
        if kind == 5:
            return "pcall(" * min(n, 8) + "error" + ")" * min(n, 8)
        if kind == 6:
            return f"(function() local function f(n) if n == 0 then return {self.extreme()} end return coroutine.wrap(f)(n - 1) end return f({n}) end)()"
        if kind == 7:
            return f"(function() local function f(n) if n == 0 then return 0 end return select(2, pcall(f, n - 1)) end return f({n}) end)()"
        if kind == 8:
            return f"(function() local t = {{}} for i = 1, {n} do t = {{t}} end return t end)()"
        return f"load(('return ' .. ('a.'):rep({n}) .. 'b'))"

    def ret_value(self):
        """A value for the chunk to return: hard for the JSON writer."""
        r = self.r
        x = r.random()
        if x < 0.3:
            return self.any()
        if x < 0.4:
            n = r.choice([30, 31, 32, 33, 40])
            return f"(function() local t = 1 for i = 1, {n} do t = {{t}} end return t end)()"
        if x < 0.5:
            return "(function() local t = {} t.t = t return t end)()"
        if x < 0.6:
            keys = ["1", "2", "0", "-1", "math.maxinteger", "math.mininteger", "true", "false",
                    '"$base64:x"', '"\\255"', '""', "{}", "print", "coroutine.running()", "(2^53)"]
            items = ", ".join(f"[{r.choice(keys)}] = {self.any(leaf=True)}" for _ in range(r.randint(1, 4)))
            return "{" + items + "}"
        if x < 0.7:
            return lstr(bytes(r.randrange(256) for _ in range(r.randint(0, 20))))
        if x < 0.75:
            return "('\\255'):rep(100000)"
        if x < 0.8:
            return "table.unpack((function() local t = {} for i = 1, 250 do t[i] = {i, tostring(i)} end return t end)())"
        return self.expr()

    # -- statements ----------------------------------------------------------

    def define(self):
        """local NAME = value, of a kind the later statements pick by."""
        r = self.r
        kind = r.choice(["int", "str", "tab", "obj", "obj", "fn", "co", "any"])
        gen = {"int": self.int, "str": self.str, "tab": self.table, "obj": self.obj,
               "fn": self.func, "co": self.thread, "any": self.any}[kind]
        name = self.fresh()
        value = gen()
        self.vars.append((name, kind))
        attrib = ""
        if r.random() < 0.03:
            attrib = r.choice([" <const>", " <close>"])
        return f"local {name}{attrib} = {value}"

    def fill(self):
        """Fills the state's memory, and keeps what it took until the chunk
        ends: what follows runs with (almost) no memory left."""
        r = self.r
        name = self.fresh("fill")
        # few objects: at the cap every allocation collects all, uncharged
        size = r.choice(["64", "1000", "10000", "10000"])
        return (f"local {name} = {{}} pcall(function() while true do "
                f"{name}[#{name} + 1] = ('x'):rep({size}) .. #{name} end end)")

    def top_stmt(self):
        x = self.r.random()
        if x < 0.02:
            return self.fill()
        if x < 0.75:
            saved = len(self.vars)      # its locals are the function's
            stmt = self.stmt()
            del self.vars[saved:]
            return f"pcall(function() {stmt} end)"
        return self.stmt()

    def block(self, n):
        return " ".join(self.stmt() for _ in range(n))

    def stmt(self):
        r = self.r
        if self.depth >= self.MAX_DEPTH:
            return f"local _ = {self.any(leaf=True)}"
        x = r.random()
        if x < 0.3:
            return f"local _ = {self.expr()}"
        if x < 0.36:
            return self.define()
        if x < 0.4:
            return f"G{r.randint(1, 5)} = {self.any()}"
        if x < 0.48:
            return self.hazard()
        if x < 0.53:
            return self.scoped(lambda: self.loop())
        if x < 0.58:
            return self.scoped(lambda: self.coro())
        if x < 0.62:
            return self.scoped(lambda: self.tbc())
        if x < 0.66:
            return self.gc()
        if x < 0.7:
            return self.timer()
        if x < 0.74:
            return f"print({self.args('aoa')})"
        if x < 0.78:
            return self.metaop()
        if x < 0.8:
            return self.sabotage()
        if x < 0.85:
            return f"error({self.odd_error()}, {r.choice(['0', '1', '2', 'math.maxinteger', 'math.mininteger'])})"
        if x < 0.9:
            return self.scoped(lambda: f"if {self.any()} then {self.block(1)} else {self.block(1)} end")
        if x < 0.94:
            return f"local _ = xpcall({self.func()}, {self.func()}, {self.any(leaf=True)})"
        return f"local _ = {self.agg_call()}"

    def loop(self):
        r = self.r
        x = r.random()
        body = lambda: self.block(r.randint(1, 2))
        if x < 0.35:
            a, b = self.int(), self.int()
            step = r.choice(["", ", 1", ", -1", ", 0", ", math.maxinteger", ", math.mininteger",
                             f", {self.int()}"])
            i = self.fresh("i")
            self.vars.append((i, "int"))
            return f"for {i} = {a}, {b}{step} do {body()} end"
        if x < 0.55:
            k, v = self.fresh("k"), self.fresh("x")
            self.vars += [(k, "any"), (v, "any")]
            it = r.choice(["pairs", "ipairs"])
            return f"for {k}, {v} in {it}({self.table()}) do {body()} end"
        if x < 0.7:
            c = self.fresh("c")
            self.vars.append((c, "str"))
            return f"for {c} in string.gmatch({self.str()}, {self.pat_lit()}) do {body()} end"
        if x < 0.8:
            p, c = self.fresh("p"), self.fresh("c")
            self.vars += [(p, "int"), (c, "int")]
            return f"for {p}, {c} in utf8.codes({self.str()}) do {body()} end"
        if x < 0.9:
            return f"while true do {body()} end"
        return f"repeat {body()} until {self.any(leaf=True)}"

    def coro(self):
        r = self.r
        co = self.fresh("co")
        x = r.random()
        if x < 0.4:
            self.vars.append((co, "fn"))
            return (f"local {co} = coroutine.wrap(function(...) {self.block(r.randint(1, 2))} "
                    f"coroutine.yield({self.extreme()}) error({self.odd_error()}) end) "
                    f"for _ = 1, 3 do pcall({co}, {self.any(leaf=True)}) end")
        if x < 0.7:
            self.vars.append((co, "co"))
            return (f"local {co} = coroutine.create({self.func()}) "
                    f"local _ = {{coroutine.resume({co}, {self.any(leaf=True)})}} "
                    f"local _ = coroutine.status({co}), coroutine.close({co}), coroutine.resume({co})")
        if x < 0.85:
            return ("local co = coroutine.wrap(function() local t <close> = setmetatable({}, "
                    f"{{__close = {self.handler('__close')}}}) coroutine.yield(1) end) co() "
                    "local _ = coroutine.close and nil")
        return (f"local {co} = coroutine.create(function() return pcall(coroutine.yield, "
                f"{self.any(leaf=True)}) end) coroutine.resume({co}) coroutine.resume({co}, "
                f"{self.extreme()}) coroutine.close({co})")

    def tbc(self):
        r = self.r
        v = self.fresh("tb")
        value = r.choice([self.obj(), "nil", "false", "{}", "42",
                          f"setmetatable({{}}, {{__close = {self.handler('__close')}}})"])
        return f"do local {v} <close> = {value} {self.block(1)} end"

    def gc(self):
        r = self.r
        x = r.random()
        if x < 0.4:
            return (f"for _ = 1, {r.choice(['1', '10', '100'])} do setmetatable({{}}, "
                    f"{{__gc = {self.handler('__gc')}}}) end collectgarbage()")
        if x < 0.7:
            opt = r.choice(['"collect"', '"step"', '"incremental"', '"generational"', '"stop"',
                            '"restart"', '"count"'])
            return f"collectgarbage({opt}, {self.int()})"
        mode = r.choice(['"k"', '"v"', '"kv"'])
        return (f"local w = setmetatable({{}}, {{__mode = {mode}}}) "
                f"for i = 1, 100 do w[{{}}] = {{}} w[i] = {{}} end collectgarbage() local _ = #w")

    def timer(self):
        r = self.r
        t = self.fresh("tm")
        x = r.random()
        fn = self.scoped(lambda: "function() " + self.block(r.randint(1, 2)) + " end")
        if x < 0.5:
            return f"local {t} = timer.after({self.ms()}, {fn}) {t}:stop() {t}:stop()"
        if x < 0.7:
            return f"local {t} = timer.every({self.ms()}, {fn}) {t}:stop()"
        if x < 0.8:
            return f"local _ = timer.after({r.choice(['1', '2', '10', '100'])}, {fn})"
        if x < 0.9:
            return f"for _ = 1, {r.choice(['10', '65', '100'])} do timer.after(60000, print) end"
        return (f"local {t} = timer.after(60000, print) local m = getmetatable({t}) "
                f"local _ = m and m.__index and pcall(m.__index.stop, {self.any(leaf=True)}) {t}:stop()")

    def metaop(self):
        o, p = self.obj(), self.any(leaf=True)
        op = self.r.choice([f"#{o}", f"{o} .. {p}", f"{p} .. {o}", f"{o} == {o}", f"{o} < {p}",
                            f"{o} <= {p}", f"{o}[{p}]", f"{o}({p})", f"tostring({o})",
                            f"-{o}", f"{o} + {p}", f"~{o}", f"{o} // {p}",
                            f"string.format('%s %q', {o}, 1)", f"table.concat({{{o}}})"])
        if op.startswith(o) or op.startswith("#") or op.startswith("-") or op.startswith("~"):
            return f"local _ = {op}"
        return f"local _ = {op}"

    def sabotage(self):
        """Changes that outlive the chunk: the state is made anew regularly."""
        return self.r.choice([
            "getmetatable('').__index = function(s, k) return string[k] end",
            "getmetatable('').__add = nil",
            "setmetatable(_G, {__index = function(t, k) error('no global ' .. tostring(k)) end})",
            "setmetatable(_G, nil)",
            "string.rep = string.rep",
            "G1 = setmetatable({}, {__gc = function() G1 = nil end})",
            "table.unpack = nil",
            "print = function() error('print') end",
        ])

    def hazard(self):
        """Shapes around uncharged loops: C code iterating over what a
        metamethod or argument decides, with C functions as callbacks."""
        r = self.r
        cf = self.cfunc()
        big = self.count()
        s1 = r.choice(['""', '"x"', '"\\0"'])
        sep = r.choice(["", ', ""', ', "x"'])
        templates = [
            lambda: f"local _ = #string.rep({s1}, {big}{sep})",
            lambda: f"table.insert(setmetatable({{}}, {{__len = function() return {big} end}}), {r.choice(['', '1, '])}{self.any(leaf=True)})",
            lambda: f"table.remove(setmetatable({{}}, {{__len = function() return {big} end}}){r.choice(['', ', 1', ', 2'])})",
            lambda: f"table.remove(setmetatable({{}}, {{__len = function() return {big} end, __index = {cf}, __newindex = {cf}}}), 1)",
            lambda: f"table.insert(setmetatable({{}}, {{__len = function() return {big} end, __index = {cf}, __newindex = {cf}}}), 1, 0)",
            lambda: f"local _ = table.concat(setmetatable({{}}, {{__index = {cf}}}), {self.str()}, 1, {big})",
            lambda: f"local _ = table.concat(setmetatable({{}}, {{__index = {cf}, __len = function() return {big} end}}))",
            lambda: f"local _ = table.unpack(setmetatable({{}}, {{__index = {cf}}}), 1, {big})",
            lambda: f"table.move(setmetatable({{}}, {{__index = {cf}, __newindex = {cf}}}), 1, {big}, 2)",
            lambda: f"table.sort(setmetatable({{}}, {{__len = function() return {big} end, __index = {cf}, __newindex = {cf}}}), {cf})",
            lambda: f"local _ = load({cf})",
            lambda: f"local _ = load({cf}, nil, 't', setmetatable({{}}, {{__index = {cf}}}))",
            lambda: f"local _ = string.gsub(({self.str()}):rep(1000), {self.pat_lit()}, {cf})",
            lambda: f"local _ = string.gsub(({self.str()}):rep(1000), '', setmetatable({{}}, {{__index = {cf}}}))",
            lambda: f"local _ = utf8.len(({self.str()}):rep({r.choice(['1000', '100000'])}), {self.int()}, {self.int()})",
            lambda: f"local _ = utf8.offset(({self.str()}):rep(1000), {big}, {self.int()})",
            lambda: f"local _ = utf8.codepoint(({self.str()}):rep(1000), 1, {big})",
            lambda: f"local _ = string.byte(({self.str()}):rep(1000), {self.int()}, {big})",
            lambda: f"local _ = select({big}, {self.any(leaf=True)})",
            lambda: f"local _ = string.format({lstr(r.choice(['%099d', '%-99s', '%99.99f', '%q', '%s']) * r.randint(1, 40))}, {self.any(leaf=True)})",
            lambda: f"local _ = ({self.str()}):rep({r.choice(['100', '10000', '1000000'])}):find({self.pat_lit()})",
            lambda: f"local _ = string.find(('a'):rep({r.choice(['100', '5000', '50000'])}), ('a*'):rep({r.choice(['5', '20', '40'])}) .. 'b')",
            lambda: f"local _ = string.find(('a'):rep(50000), ('a'):rep(1000) .. 'b', 1, true)",
            lambda: f"local _ = string.pack({lstr(r.choice(['s', 'z', 'c1000', 'Xi16', '!16i3', 'i16']) * r.randint(1, 50))}, {self.any(leaf=True)})",
            lambda: f"local _ = tostring(setmetatable({{}}, {{__name = ('n'):rep({r.choice(['10', '100000'])})}}))",
            lambda: f"local _ = coroutine.wrap({cf})({self.any(leaf=True)})",
            lambda: f"local _ = xpcall({cf}, {cf}, {self.any(leaf=True)})",
            lambda: f"local _ = next({{}}, {self.any(leaf=True)})",
            lambda: f"local _ = {{table.unpack({{}}, {self.int()}, {self.int()})}}",
            lambda: f"local _ = require('agg').top(setmetatable({{}}, {{__index = {cf}, __pairs = {cf}}}), {big})",
        ]
        return r.choice(templates)()


# ---------------------------------------------------------------------------
# Checking one exec's output (klua-lua(7), JSON OUTPUT)
# ---------------------------------------------------------------------------

KINDS = {"runtime", "syntax", "memory", "instructions", "stack", "error", "json",
         "interrupted", "time"}
ERROR_KEYS = ["kind", "message", "traceback", "chunk", "line"]


def valid_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def check_string(v, where):
    """A JSON string of the module: a str, or {"$base64": ...} of bytes that
    are not valid UTF-8. Returns a problem or None."""
    if isinstance(v, str):
        return None
    if isinstance(v, dict) and list(v) == ["$base64"] and isinstance(v["$base64"], str):
        try:
            raw = base64.b64decode(v["$base64"], validate=True)
        except ValueError:
            return f"{where}: bad base64 {v['$base64'][:80]!r}"
        if valid_utf8(raw):
            return f"{where}: valid UTF-8 written as $base64: {raw[:80]!r}"
        return None
    return f"{where}: not a string: {str(v)[:120]}"


def check_output(raw, state, interrupted=False, tolerate=(), tolerated=None):
    """What is wrong with an exec's output (bytes), or None. Also returns the
    last line's object. tolerate: hazards whose lines are counted in
    tolerated, not failed."""
    tolerated = {} if tolerated is None else tolerated
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"output is not valid UTF-8 ({e})", None
    if not text.endswith("\n"):
        return f"output does not end in a newline: {text[-200:]!r}", None
    lines = text.split("\n")[:-1]
    objs = []
    for n, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            return f"line {n} is not JSON ({e}): {line[:300]!r}", None
        if not isinstance(obj, dict) or list(obj) != ["type", "state", "data"]:
            return f"line {n} is not {{type, state, data}}: {line[:300]!r}", None
        objs.append(obj)
    if not objs:
        return "no output at all", None
    for n, o in enumerate(objs, 1):
        last = n == len(objs)
        where = f"line {n} ({o['type']})"
        if o["state"] != state:
            return f"{where}: state {o['state']!r}, not {state!r}", None
        t, d = o["type"], o["data"]
        if t in ("result", "error") and not last:
            return f"{where}: a final line before the end", None
        if last and t not in ("result", "error"):
            return f"{where}: the last line is not a result or an error", None
        if t == "print":
            p = check_string(d, where)
            if p:
                return p, None
        elif t == "lost":
            if not (isinstance(d, dict) and list(d) == ["count"] and isinstance(d["count"], int)
                    and d["count"] > 0):
                return f"{where}: bad lost data {d}", None
            if n != len(objs) - 1:
                return f"{where}: a lost line that is not just before the last", None
        elif t == "result":
            if not isinstance(d, list):
                return f"{where}: data is not an array", None
        elif t == "error":
            if not isinstance(d, dict) or list(d) != [k for k in ERROR_KEYS if k in d] \
                    or "kind" not in d or "message" not in d:
                return f"{where}: bad error data {str(d)[:300]}", None
            if d["kind"] not in KINDS or (d["kind"] == "interrupted" and not interrupted):
                return f"{where}: unexpected error kind {d['kind']!r}: {str(d)[:300]}", None
            p = check_string(d["message"], where + " message")
            if p:
                return p, None
            if d["kind"] in ("syntax", "json") and len(d) != 2:
                return f"{where}: a {d['kind']} error with more than kind and message", None
            if d["kind"] == "memory" and d["message"] != "not enough memory" and \
                    "memory-kind-message" in tolerate and \
                    str(d["message"]).startswith("C stack overflow"):
                tolerated["memory-kind-message"] = tolerated.get("memory-kind-message", 0) + 1
            elif d["kind"] == "memory" and (d["message"] != "not enough memory" or "traceback" in d):
                return f"{where}: a memory error unlike klua-lua(7): {str(d)[:300]}", None
            if "line" in d and not (isinstance(d["line"], int) and d["line"] >= 1):
                return f"{where}: bad line {d['line']!r}", None
        else:
            return f"{where}: unknown type", None
    return None, objs[-1]


# ---------------------------------------------------------------------------
# The worker: one process, one socket, one exec at a time
# ---------------------------------------------------------------------------

def _send_msg(fd, obj, raw=b""):
    """obj as JSON, then raw bytes as they are."""
    data = json.dumps(obj).encode()
    msg = struct.pack("II", len(data), len(raw)) + data + raw
    while msg:
        msg = msg[os.write(fd, msg):]


def _read_exact(fd, n):
    out = b""
    while len(out) < n:
        part = os.read(fd, n - len(out))
        if not part:
            raise EOFError
        out += part
    return out


def _recv_msg(fd):
    n, raw = struct.unpack("II", _read_exact(fd, 8))
    obj = json.loads(_read_exact(fd, n))
    obj["raw"] = _read_exact(fd, raw) if raw else b""
    return obj


def exec_raw(g, state, code):
    """genl.Genl.exec, with the output as bytes (unchecked)."""
    import genl
    attrs = genl.attr_str(genl.K["KLUA_ATTR_NAME"], state) + genl.attr(genl.K["KLUA_ATTR_CODE"], code)
    replies = g.klua("KLUA_CMD_EXEC", attrs, flags=genl.NLM_F_DUMP)
    return b"".join(a.get(genl.K["KLUA_ATTR_OUTPUT"], b"") for _, a in replies)


def worker_main(rfd, wfd):
    import c_klua
    import genl
    g = genl.Genl()
    g.resolve()
    _send_msg(wfd, {"portid": g.sock.getsockname()[0], "pid": os.getpid()})
    while True:
        try:
            req = _recv_msg(rfd)
        except EOFError:
            os._exit(0)
        t0 = time.monotonic()
        out = b""
        try:
            if req.get("op") == "destroy":
                c_klua.destroy(req["state"], g, missing_ok=True)
            else:
                out = exec_raw(g, req["state"], req["raw"])
            reply = {"errno": 0}
        except genl.Error as e:
            reply = {"errno": e.errno, "msg": e.msg}
        except OSError as e:
            reply = {"errno": e.errno or -1, "msg": str(e)}
        reply["seconds"] = time.monotonic() - t0
        _send_msg(wfd, reply, out)


class Worker:
    def __init__(self):
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(w1)
            os.close(r2)
            try:
                worker_main(r1, w2)
            finally:
                os._exit(1)
        os.close(r1)
        os.close(w2)
        self.pid, self.wfd, self.rfd = pid, w1, r2
        hello = _recv_msg(self.rfd)
        self.portid = hello["portid"]
        self.busy = False

    def send(self, state, code):
        _send_msg(self.wfd, {"state": state}, code.encode("utf-8", "surrogateescape"))
        self.busy = True
        self.t0 = time.monotonic()

    def send_destroy(self, state):
        """DESTROY, which waits for the state's runs and timers, from the
        worker too."""
        _send_msg(self.wfd, {"state": state, "op": "destroy"})
        self.busy = True
        self.t0 = time.monotonic()

    def wait(self, timeout):
        """The reply, or None if none came within timeout seconds."""
        r, _, _ = select.select([self.rfd], [], [], max(timeout, 0))
        if not r:
            return None
        self.busy = False
        reply = _recv_msg(self.rfd)
        reply["out"] = reply.pop("raw")
        return reply

    def kernel_stack(self):
        try:
            with open(f"/proc/{self.pid}/stack") as f:
                return f.read()
        except OSError as e:
            return f"(no stack: {e})"

    def close(self):
        os.close(self.wfd)
        os.close(self.rfd)
        if not self.busy:
            os.waitpid(self.pid, 0)


# ---------------------------------------------------------------------------
# The supervisor
# ---------------------------------------------------------------------------

def bad_log_pattern():
    sys.path.insert(0, os.path.join(HERE, "..", "guest"))
    import runner  # the guest runner's own list of kernel problems
    return runner.BAD_LOG


class Kmsg:
    def __init__(self):
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)
        self.bad = bad_log_pattern()

    def read(self):
        lines = []
        while True:
            try:
                rec = os.read(self.fd, 16384)
            except BlockingIOError:
                break
            except BrokenPipeError:
                lines.append("(kernel log records were lost)")
                continue
            if not rec:
                break
            lines.append(rec.decode("utf-8", "replace").partition(";")[2].split("\n", 1)[0])
        return lines

    def problems(self):
        lines = self.read()
        bad = [i for i, line in enumerate(lines) if self.bad.search(line)]
        return lines[bad[0]:bad[0] + 40] if bad else []


class Hang(Exception):
    pass


class Fuzz:
    """Runs chunks in a state through a worker, and judges each."""

    def __init__(self, args):
        import genl
        import c_klua
        self.genl, self.c_klua = genl, c_klua
        self.args = args
        self.g = genl.Genl()
        self.g.resolve()
        self.guard = guard_code(args.skip)
        self.state = args.state
        self.kmsg = Kmsg()
        self.worker = Worker()
        self.stats = {}
        self.overruns = 0       # tolerated (--skip slow-uncharged)
        self.full = 0           # states that chunks filled, made anew
        self.tolerated = {}     # hazard: lines counted, not failed (--skip)
        self.kind_time = {}
        self.slow = []          # (seconds, index) of the slowest chunks
        self.trace = open(args.trace, "w") if args.trace else None

    def log(self, text):
        print(text, flush=True)

    def fresh_state(self, name=None):
        name = name or self.state
        if name == self.state:
            self.history = []   # the chunks run in the state since it was made
        self.destroy(name)
        self.c_klua.create(name, memory=self.args.memory, instructions=self.args.instructions,
                           g=self.g)
        if self.guard:
            out = self.g.exec(name, self.guard)
            if '"type":"result"' not in out:
                raise SystemExit(f"luafuzz: the guards did not install: {out}")

    def destroy(self, state):
        """Destroys state through the worker: Hang if that does not end."""
        self.worker.send_destroy(state)
        reply = self.worker.wait(self.args.deadline + self.args.hang)
        if reply is None:
            raise Hang()
        if reply["errno"]:
            raise SystemExit(f"luafuzz: cannot destroy {state}: {reply}")

    def interrupt(self, state):
        attrs = (self.genl.attr_str(self.genl.K["KLUA_ATTR_NAME"], state) +
                 self.genl.attr(self.genl.K["KLUA_ATTR_PORTID"], struct.pack("I", self.worker.portid)))
        try:
            self.g.klua("KLUA_CMD_INTERRUPT", attrs)
        except self.genl.Error:
            pass

    def wait_reply(self, state):
        """The worker's reply within the deadline; interrupts a chunk that
        overruns it, raises Hang if it does not end even then."""
        w = self.worker
        reply = w.wait(self.args.deadline - (time.monotonic() - w.t0))
        if reply is not None:
            return reply, False
        self.interrupt(state)
        reply = w.wait(self.args.hang)
        if reply is None:
            raise Hang()
        return reply, True

    def judge(self, state, reply, overran):
        """The failure of one exec (a short text), or None."""
        if overran and "slow-uncharged" not in self.args.skip:
            return f"overran the {self.args.deadline:g} s deadline (took {reply['seconds']:.2f} s)"
        if overran:
            self.overruns += 1
        if reply["errno"]:
            return f"EXEC refused: errno {reply['errno']} {reply.get('msg', '')!r}"
        problem, last = check_output(reply["out"], state, overran, self.args.skip,
                                     self.tolerated)
        if problem:
            return problem
        kind = last["data"]["kind"] if last["type"] == "error" else "result"
        if kind in self.args.fail_on:
            return f"ended in {kind} (--fail-on): {str(last['data'])[:300]}"
        self.stats[kind] = self.stats.get(kind, 0) + 1
        self.kind_time[kind] = self.kind_time.get(kind, 0.0) + reply["seconds"]
        if self.trace:
            msg = last["data"]["message"] if last["type"] == "error" else ""
            self.trace.write(f"{reply['seconds']:.3f} {kind} {str(msg)[:150]!r}\n")
        return None

    PROBE_CLEANUP = ("for i = 1, 5 do rawset(_G, 'G' .. i, nil) end "
                     "collectgarbage() collectgarbage()")

    def probe(self, state, rng):
        """A chunk whose answer is known must get it, and the state's memory
        as klua counts it must fit what Lua holds (allocations are rounded
        up to their slab's size: twice, at most, and some slack). A state
        that the chunks filled (globals G1..G5 hold what they made) gets
        one chance after they are cleared; one still full then is made
        anew (counted in `full`)."""
        for attempt in range(2):
            a, b = rng.randint(-10**9, 10**9), rng.randint(-10**9, 10**9)
            self.worker.send(state, f"local a, b = {a}, {b} "
                                    "return a * b, 'p' .. a, collectgarbage('count')")
            reply, overran = self.wait_reply(state)
            out = reply["out"]
            want = f'{{"type":"result","state":"{state}","data":[{a * b},"p{a}",'.encode()
            m = re.fullmatch(rb'(\d+)\]\}\n', out[len(want):]) if out.startswith(want) else None
            if not overran and m:
                kib = int(m.group(1))
                used = (self.c_klua.state(state, self.g) or {}).get("memory_used", 0)
                if used > 2 * kib * 1024 + (128 << 10):
                    return (f"the state's memory_used {used} is far above what Lua holds "
                            f"({kib} KiB)")
                return None
            if b'"kind":"memory"' not in out:
                break
            if attempt == 0:
                self.worker.send(state, self.PROBE_CLEANUP)
                self.wait_reply(state)
                continue
            self.full += 1
            self.log(f"# the state is full (memory_used "
                     f"{(self.c_klua.state(state, self.g) or {}).get('memory_used')}): made anew")
            self.fresh_state(state)
            return None
        return f"the probe failed: {out[:300]!r} (errno {reply['errno']})"

    def run_one(self, state, code):
        """Runs code in state and judges it: a failure text or None."""
        self.worker.send(state, code)
        reply, overran = self.wait_reply(state)
        return self.judge(state, reply, overran)

    def reproduce(self, lines, history=()):
        """The failure of lines, run in a fresh state after the chunks of
        history (their own failures do not count), or None."""
        name = self.state + "m"
        self.fresh_state(name)
        self.kmsg.read()
        try:
            for h in history:
                self.worker.send(name, h)
                self.wait_reply(name)
            fail = self.run_one(name, "\n".join(lines))
            if not fail:
                fail = self.probe(name, random.Random(1))
            if not fail:
                bad = self.kmsg.problems()
                fail = "kernel log: " + bad[0] if bad else None
            return fail
        finally:
            self.destroy(name)

    @staticmethod
    def category(failure):
        return re.split(r"[:(]", failure)[0].strip()

    def ddmin(self, items, fails, limit=200):
        """The fewest items for which fails(items) holds (ddmin, at most limit
        tries, and until --cut-seconds after the failure)."""
        n, tries = 2, 0
        while len(items) >= 2 and tries < limit and time.monotonic() < self.cut_until:
            size = max(1, len(items) // n)
            for start in range(0, len(items), size):
                cand = items[:start] + items[start + size:]
                tries += 1
                if cand and fails(cand):
                    items = cand
                    n = max(n - 1, 2)
                    break
            else:
                if n >= len(items):
                    break
                n = min(n * 2, len(items))
        return items

    def report(self, index, lines, failure, seed, history):
        self.log(f"FAIL chunk {index} of seed {seed}: {failure}")
        self.log(f"# reproduce: tests/vm/lib/luafuzz.py gen --seed {seed} --index {index}"
                 + "".join(f" --skip {s}" for s in self.args.skip))
        want = self.category(failure)
        self.cut_until = time.monotonic() + self.args.cut_seconds

        def same(fail):
            return fail is not None and self.category(fail) == want
        before = []
        alone = self.reproduce(lines)
        if not same(alone):
            self.log(f"# alone in a fresh state the chunk gives {alone!r}; after the "
                     f"{len(history)} chunks before it in the state:")
            alone = self.reproduce(lines, history)
            if not same(alone):
                self.log(f"# {alone!r}: it does not fail again")
                self.log("--- chunk ---\n" + "\n".join(lines) + "\n---")
                return
            before = self.ddmin(list(history), lambda h: same(self.reproduce(lines, h)), 60)
        small = self.ddmin(lines, lambda c: same(self.reproduce(c, before)))
        self.log(f"# again: {alone}")
        for i, h in enumerate(before):
            self.log(f"--- run before it ({i + 1} of {len(before)}) ---\n{h}")
        self.log(f"--- minimal chunk ({len(small)} of {len(lines)} lines) ---")
        self.log("\n".join(small))
        self.log("---")

    def report_hang(self, index, code, seed):
        self.log(f"HANG chunk {index} of seed {seed}: no answer {self.args.deadline:g} s + "
                 f"{self.args.hang:g} s after it was sent, interrupt or not (or its DESTROY)")
        self.log(f"# reproduce: tests/vm/lib/luafuzz.py gen --seed {seed} --index {index}"
                 + "".join(f" --skip {s}" for s in self.args.skip))
        self.log("--- chunk ---\n" + code + "\n---")
        self.log("# the worker's kernel stack:\n" + self.worker.kernel_stack())
        try:    # the backtraces of the CPUs, the spinning one among them
            with open("/proc/sysrq-trigger", "w") as f:
                f.write("l")
            time.sleep(2)
        except OSError as e:
            self.log(f"# (no sysrq: {e})")
        self.log("# kernel log:\n" + "\n".join(self.kmsg.read()[-80:]))

    def run(self):
        a = self.args
        gen = Gen(a.seed)
        rng = random.Random(a.seed)
        self.log(f"# luafuzz: seed {a.seed}, state {self.state} ({a.memory} bytes, {a.instructions} "
                 f"instructions), deadline {a.deadline:g} s, skip [{' '.join(a.skip)}]")
        self.fresh_state()
        t0 = time.monotonic()
        done = 0
        index = a.start
        pending = gen.chunk(index)
        while done < a.count and time.monotonic() - t0 < a.seconds:
            if done and done % a.renew == 0:
                self.fresh_state()
            lines, code = pending, "\n".join(pending)
            self.worker.send(self.state, code)
            pending = gen.chunk(index + 1)      # while the kernel runs this one
            try:
                reply, overran = self.wait_reply(self.state)
            except Hang:
                self.report_hang(index, code, a.seed)
                return 3
            failure = self.judge(self.state, reply, overran)
            if failure is None:
                bad = self.kmsg.problems()
                if bad:
                    failure = "kernel log: " + "\n".join(bad)
            if failure is None and (done + 1) % a.probe == 0:
                try:
                    failure = self.probe(self.state, rng)
                except Hang:
                    self.report_hang(index, "(the probe after this chunk)\n" + code, a.seed)
                    return 3
            self.slow = sorted(self.slow + [(reply["seconds"], index)], reverse=True)[:5]
            if failure:
                try:
                    self.report(index, lines, failure, a.seed, self.history)
                except Hang:
                    self.log("# a hang while cutting the chunk down:")
                    self.report_hang(index, code, a.seed)
                    return 3
                return 1
            self.history.append(code)
            done += 1
            index += 1
        took = time.monotonic() - t0
        try:
            self.destroy(self.state)
        except Hang:
            self.report_hang(index, "(DESTROY of the state after the last chunk)", a.seed)
            return 3
        bad = self.kmsg.problems()
        if bad:
            self.log("FAIL kernel log after destroying the state:\n" + "\n".join(bad))
            return 1
        kinds = ", ".join(f"{k} {v} ({self.kind_time[k] / v * 1000:.0f} ms)"
                          for k, v in sorted(self.stats.items()))
        slow = ", ".join(f"{i} {t:.2f} s" for t, i in self.slow)
        if self.overruns:
            slow += f"; {self.overruns} overran the deadline and were interrupted"
        if self.full:
            slow += f"; {self.full} states were full and made anew"
        for name, n in self.tolerated.items():
            slow += f"; {n} lines of known hazard {name}"
        self.log(f"# {done} chunks ({a.start}..{index - 1}) in {took:.1f} s: "
                 f"{done / took:.1f} chunks/s; ends (mean time): {kinds}; slowest: {slow}")
        if done < a.min_count:
            self.log(f"FAIL only {done} chunks ran; at least {a.min_count} must")
            return 1
        return 0

    def check_file(self, path):
        """One chunk from a file, in a fresh state: it must end within the
        deadline with a clean line, the probe must pass after it (and after
        the timers it set had time to fire), and the state must go."""
        lines = open(path, encoding="utf-8", errors="surrogateescape").read().rstrip("\n").split("\n")
        code = "\n".join(lines)
        try:
            self.fresh_state()
            failure = self.run_one(self.state, code)
            time.sleep(0.2)
            failure = failure or self.probe(self.state, random.Random(2))
            bad = self.kmsg.problems()
            if not failure and bad:
                failure = "kernel log: " + "\n".join(bad)
            self.destroy(self.state)
        except Hang:
            self.report_hang(0, code, "-")
            return 3
        bad = self.kmsg.problems()
        if not failure and bad:
            failure = "kernel log after destroy: " + "\n".join(bad)
        if failure:
            self.log(f"FAIL {path}: {failure}")
            return 1
        self.log(f"ok {path}: {self.stats}")
        return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("command", choices=["gen", "run", "check", "hazards"])
    p.add_argument("file", nargs="?")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--index", type=int, default=None, help="gen: only this chunk")
    p.add_argument("--start", type=int, default=0, help="the first chunk's index")
    p.add_argument("--count", type=int, default=None)
    p.add_argument("--seconds", type=float, default=1e9, help="run: stop after this long")
    p.add_argument("--min-count", type=int, default=0, help="run: fail if fewer chunks ran")
    p.add_argument("--skip", action="append", default=[], help="guard a known hazard")
    p.add_argument("--state", default="luafuzz")
    p.add_argument("--memory", type=int, default=1 << 20)
    p.add_argument("--instructions", type=int, default=200000)
    p.add_argument("--deadline", type=float, default=2.0, help="seconds a chunk may take")
    p.add_argument("--hang", type=float, default=15.0,
                   help="seconds after the interrupt before a chunk counts as a hang")
    p.add_argument("--probe", type=int, default=25, help="a probe every N chunks")
    p.add_argument("--fail-on", action="append", default=[],
                   help="run: count this end (an error kind, or result) as a failure, to "
                   "find and cut down the chunks that end so")
    p.add_argument("--cut-seconds", type=float, default=90,
                   help="run: seconds to cut a failing chunk down")
    p.add_argument("--trace", help="run: write each chunk's end to this file")
    p.add_argument("--renew", type=int, default=250, help="a fresh state every N chunks")
    a = p.parse_intermixed_args()
    a.skip = [s for item in a.skip for s in item.replace(",", " ").split()]
    if a.command == "hazards":
        for name, guard in HAZARDS.items():
            print(f"{name}\t{'guard' if guard else 'tolerated'}")
        return 0
    if a.seed is None:
        a.seed = int.from_bytes(os.urandom(4), "little")
    if a.command == "gen":
        guard = guard_code(a.skip)
        if guard:
            print("-- guards (run once in the state first):" + guard.replace("\n", "\n-- "))
        gen = Gen(a.seed)
        indexes = [a.index] if a.index is not None else range(a.start, a.start + (a.count or 10))
        for i in indexes:
            print(f"-- chunk {i} of seed {a.seed}")
            print("\n".join(gen.chunk(i)))
        return 0
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if a.count is None:
        a.count = 1 << 62
    fuzz = Fuzz(a)
    if a.command == "check":
        return fuzz.check_file(a.file)
    return fuzz.run()


if __name__ == "__main__":
    sys.exit(main())
