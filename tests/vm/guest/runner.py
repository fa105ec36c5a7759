#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The klua VM test runner. It runs inside the guest, as root, in the repo.

    runner.py run [--cases DIR] [--filter REGEX] [--exclude REGEX]
                  [--timeout-scale F] [--module KO] [--results FILE]
    runner.py list [--cases DIR] [--filter REGEX] [--exclude REGEX]
    runner.py budget [--cases DIR] [--filter REGEX] [--exclude REGEX]
                     [--timeout-scale F] [--module KO] [--kmemleak]

`run` loads the module (when given), runs every case in sorted file name
order, unloads the module, and writes one JSON object a line to FILE (or
prints PASS/FAIL lines when no FILE is given). After each case it reads the
new kernel log lines and fails the case if one of them shows a kernel
problem. `list` and `budget` only parse (the host uses them): the case names,
and the seconds that a VM running them may take.

Case files (tests/vm/cases/):
  *.test  blocks separated by blank lines, one case a block, one directive a
          line: NAME, SETUP, RUN, EXPECT, EXPECT_REGEX, EXPECT_STDERR_REGEX,
          EXPECT_JSON, EXIT, TIMEOUT, AS_USER, CLEANUP (see tests/vm/README.md).
  *.sh    one case: a bash script that passes by exiting 0, and is skipped
          (it does not apply to this kernel) by exiting 77. Its `# NAME ...`
          line names it; an optional `# TIMEOUT N` line sets its timeout.
On a kernel with kmemleak (the debug kernel), `run` asks it for a scan once
the module is unloaded, and fails if a leaked object was allocated by klua.
A `# SELFTEST pass|fail|skip [REGEX]` comment in a block or script states the
outcome that `tests/vm/run --selftest` expects; it is passed on, not judged.
"""

import argparse
import dataclasses
import difflib
import json
import os
import pwd
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

DEFAULT_TIMEOUT = 20
MODULE_TIMEOUT = 60
# The kmemleak check after the module's unload (the debug kernel).
KMEMLEAK = "/sys/kernel/debug/kmemleak"
KMEMLEAK_TIMEOUT = 180
# A script that exits so did not apply to this kernel: it is skipped, and
# the last line it printed says why.
SKIP_STATUS = 77
# Seconds a killed process may take to go; longer means it is stuck in the
# kernel, and the runner reports its kernel stack and moves on.
KILL_GRACE = 5
# Seconds the runner lets the kernel finish logging before it reads the log.
LOG_SETTLE = 0.05
# Lines of stdout or stderr shown with a failure.
SHOW_LINES = 40

# Kernel log lines that fail the case during which they appeared.
BAD_LOG = re.compile(
    "|".join(
        [re.escape(s) for s in [
            "Oops", "BUG:", "WARNING:", "Call Trace", "general protection",
            "kernel stack overflow", "possible recursive locking",
            "circular locking", "scheduling while atomic", "soft lockup",
            "hung_task", "blocked for more than", "list_add corruption",
            "list_del corruption", "UBSAN", "KASAN", "refcount_t",
            # Beyond the usual list: the other ways a kernel reports a bug.
            "kernel BUG at", "Kernel panic", "hard LOCKUP", "usercopy:",
            "detected stall", "self-detected stall", "stack-protector",
            # The debug kernel's checkers (most reports also carry "BUG:" or
            # "WARNING:"): lockdep, debug objects, kmemleak failing.
            "lockdep is turned off", "turning off the locking correctness validator",
            "DEBUG_LOCKS_WARN_ON", "possible deadlock",
            "inconsistent lock state", "possible irq lock inversion",
            "suspicious RCU usage", "bad unlock balance", "held lock freed",
            "lock held when returning to user space", "Invalid wait context",
            "sleeping function called from invalid context", "ODEBUG:",
            "Cannot allocate a kmemleak_object", "Memory pool empty",
            "Kernel memory leak detector disabled", "Kmemleak disabled",
        ]]
        # SLUB's own reports: "BUG kmalloc-64 (Tainted: G): Redzone overwritten".
        + [r"BUG \S+ \((?:Not tainted|Tainted: [^)]*)\): "]
    )
)
# Taint bits that only a kernel problem sets: bad page (B), died (D),
# warning (W), soft lockup (L).
BAD_TAINT = {5: "B (bad page)", 7: "D (oops)", 9: "W (warning)", 14: "L (soft lockup)"}

DIRECTIVES = {
    "NAME", "SETUP", "RUN", "EXPECT", "EXPECT_REGEX", "EXPECT_STDERR_REGEX",
    "EXPECT_JSON", "EXIT", "TIMEOUT", "AS_USER", "CLEANUP",
}
SINGLE = {"NAME", "RUN", "EXPECT_JSON", "EXIT", "TIMEOUT", "AS_USER"}


@dataclasses.dataclass
class Case:
    name: str
    file: str
    line: int
    script: str | None = None  # a *.sh case: the script's path
    setup: list[str] = dataclasses.field(default_factory=list)
    run: str | None = None
    expect: list[str] | None = None  # None: stdout is not compared
    expect_regex: list[re.Pattern] = dataclasses.field(default_factory=list)
    expect_stderr_regex: list[re.Pattern] = dataclasses.field(default_factory=list)
    expect_json: bool = False
    exit: int = 0
    timeout: float = DEFAULT_TIMEOUT
    as_user: str | None = None
    cleanup: list[str] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)  # from parsing
    selftest: dict | None = None


def parse_selftest(comment: str) -> dict | None:
    """`# SELFTEST fail REGEX` -> {"status": "fail", "detail": REGEX}."""
    m = re.match(r"#\s*SELFTEST\s+(pass|fail|skip)\b\s*(.*)$", comment)
    if not m:
        return None
    return {"status": m.group(1), "detail": m.group(2).strip()}


def parse_test_file(path: str, rel: str) -> list[Case]:
    """The cases of one *.test file: a block of directive lines each."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] = []
    for number, text in enumerate(lines, 1):
        if text.strip() == "":
            if block:
                blocks.append(block)
            block = []
        else:
            block.append((number, text))
    if block:
        blocks.append(block)
    cases = [parse_block(b, rel) for b in blocks]
    return [c for c in cases if c is not None]


def parse_block(block: list[tuple[int, str]], rel: str) -> Case | None:
    case = Case(name="", file=rel, line=block[0][0])
    seen: set[str] = set()
    directives = 0
    for number, text in block:
        where = f"{rel}:{number}"
        if text.lstrip().startswith("#"):
            case.selftest = parse_selftest(text.strip()) or case.selftest
            continue
        directives += 1
        m = re.match(r"([A-Z_]+)(?: (.*))?$", text)
        if not m or m.group(1) not in DIRECTIVES:
            case.errors.append(f"{where}: unknown directive: {text}")
            continue
        key, arg = m.group(1), m.group(2)
        if key in SINGLE and key in seen:
            case.errors.append(f"{where}: {key} given twice")
            continue
        seen.add(key)
        # EXPECT keeps its text exactly; the others ignore outer spaces.
        value = (arg or "").strip()
        if key not in ("EXPECT", "EXPECT_JSON") and value == "":
            case.errors.append(f"{where}: {key} needs an argument")
            continue
        if key == "NAME":
            case.name = value
        elif key == "SETUP":
            case.setup.append(value)
        elif key == "RUN":
            case.run = value
        elif key == "EXPECT":
            case.expect = (case.expect or []) + [arg or ""]
        elif key in ("EXPECT_REGEX", "EXPECT_STDERR_REGEX"):
            try:
                pattern = re.compile(value)
            except re.error as e:
                case.errors.append(f"{where}: bad regex {value!r}: {e}")
                continue
            target = case.expect_regex if key == "EXPECT_REGEX" else case.expect_stderr_regex
            target.append(pattern)
        elif key == "EXPECT_JSON":
            if value:
                case.errors.append(f"{where}: EXPECT_JSON takes no argument")
            case.expect_json = True
        elif key in ("EXIT", "TIMEOUT"):
            if not re.fullmatch(r"\d+", value):
                case.errors.append(f"{where}: {key} needs a whole number, not {value!r}")
            elif key == "EXIT":
                case.exit = int(value)
            else:
                case.timeout = int(value)
        elif key == "AS_USER":
            case.as_user = value
        elif key == "CLEANUP":
            case.cleanup.append(value)
    if directives == 0:
        return None  # a block of comments only
    if not case.name:
        case.name = f"{rel}:{case.line}"
        case.errors.append(f"{rel}:{case.line}: no NAME")
    if case.run is None:
        case.errors.append(f"{rel}:{case.line}: no RUN")
    return case


def parse_sh_file(path: str, rel: str) -> Case:
    """A *.sh case: its name and timeout come from its header comments."""
    case = Case(name="", file=rel, line=1, script=path)
    with open(path, encoding="utf-8") as f:
        for text in f:
            m = re.match(r"#\s*(NAME|TIMEOUT)\s+(.*?)\s*$", text)
            if m and m.group(1) == "NAME" and not case.name:
                case.name = m.group(2)
            elif m and m.group(1) == "TIMEOUT":
                if re.fullmatch(r"\d+", m.group(2)):
                    case.timeout = int(m.group(2))
                else:
                    case.errors.append(f"{rel}: TIMEOUT needs a whole number")
            elif text.startswith("#"):
                case.selftest = parse_selftest(text.strip()) or case.selftest
    if not case.name:
        case.name = rel
        case.errors.append(f"{rel}: no '# NAME ...' line")
    return case


def load_cases(dirs: list[str], name_filter: str | None, exclude: str | None = None,
               timeout_scale: float = 1.0) -> list[Case]:
    cases: list[Case] = []
    for d in dirs:
        for entry in sorted(os.listdir(d)):
            path = os.path.join(d, entry)
            rel = os.path.relpath(path)
            if entry.endswith(".test"):
                cases += parse_test_file(path, rel)
            elif entry.endswith(".sh"):
                cases.append(parse_sh_file(path, rel))
    seen: dict[str, str] = {}
    for c in cases:
        if c.name in seen:
            c.errors.append(f"{c.file}:{c.line}: the name is already used at {seen[c.name]}")
        seen.setdefault(c.name, f"{c.file}:{c.line}")
    if name_filter:
        pattern = re.compile(name_filter)
        cases = [c for c in cases if pattern.search(c.name) or pattern.search(c.file)]
    if exclude:
        pattern = re.compile(exclude)
        cases = [c for c in cases if not (pattern.search(c.name) or pattern.search(c.file))]
    for c in cases:
        c.timeout *= timeout_scale
    return cases


class KernelLog:
    """New records of the kernel log, read from /dev/kmsg."""

    def __init__(self) -> None:
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)

    def read_new(self) -> list[str]:
        lines = []
        while True:
            try:
                record = os.read(self.fd, 16384)
            except BlockingIOError:
                break
            except BrokenPipeError:
                # The ring buffer overwrote records before they were read.
                lines.append("(kernel log records were lost)")
                continue
            if not record:
                break
            header, _, body = record.decode("utf-8", "replace").partition(";")
            # Continuation lines (" KEY=VALUE") carry device metadata; a
            # message's own line breaks arrive escaped.
            message = body.split("\n", 1)[0].removesuffix("\\x0a")
            fields = header.split(",")
            stamp = int(fields[2]) / 1e6 if len(fields) > 2 and fields[2].isdigit() else 0.0
            lines.append(f"[{stamp:12.6f}] {message}")
        return lines


def read_taint() -> int:
    try:
        with open("/proc/sys/kernel/tainted") as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return 0


@dataclasses.dataclass
class Outcome:
    rc: int | None  # None when the process was killed at its timeout
    out: bytes
    err: bytes
    stuck: str | None = None  # why a killed process did not go away


def kernel_stacks(pgid: int) -> str:
    """The kernel stacks of the processes in a process group."""
    text = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != pgid:
                continue
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{pid}/stack") as f:
                stack = f.read()
        except OSError:
            continue
        text.append(f"pid {pid} ({comm}):\n{stack}")
    return "".join(text) or "(no stack found)"


def run_command(argv: list[str], timeout: float, env: dict, groups: list[int]) -> Outcome:
    """Run argv with a time limit; at the limit, kill its process group.

    Output goes to files, not pipes: a background process that the command
    leaves behind (a watcher started by SETUP, say) may live on until the
    case ends without holding up the command's end. Its process group is
    added to groups, for the case to kill at its end.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                             env=env, start_new_session=True)
        groups.append(p.pid)
        stuck = None
        try:
            rc: int | None = p.wait(timeout=max(timeout, 0.1))
        except subprocess.TimeoutExpired:
            rc = None
            kill_group(p.pid)
            try:
                p.wait(timeout=KILL_GRACE)
            except subprocess.TimeoutExpired:
                # SIGKILL did not work: a task sleeps uninterruptibly in the kernel.
                stuck = "still alive %ds after SIGKILL; kernel stacks:\n%s" % (
                    KILL_GRACE, kernel_stacks(p.pid))
        out.seek(0)
        err.seek(0)
        return Outcome(rc, out.read(), err.read(), stuck)


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def as_user_argv(user: str, argv: list[str]) -> list[str]:
    """argv run as user, with no capabilities and no way to gain any."""
    pw = pwd.getpwnam(user)
    return ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups",
            "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all",
            "--no-new-privs", "--"] + argv


def split_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    if text == "":
        return []
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def show(label: str, data: bytes) -> str:
    lines = split_lines(data)
    if not lines:
        return f"{label}: (empty)"
    cut = ""
    if len(lines) > SHOW_LINES:
        cut = f" (last {SHOW_LINES} of {len(lines)} lines)"
        lines = lines[-SHOW_LINES:]
    return f"{label}{cut}:\n" + "\n".join("  " + line for line in lines)


class Runner:
    def __init__(self, results: str | None) -> None:
        self.results = open(results, "a", encoding="utf-8") if results else None
        self.log = KernelLog()
        self.taint = read_taint()
        self.failed = 0
        self.groups: list[int] = []  # process groups that the running case started
        self.base_env = dict(os.environ)
        self.tmp_root = "/tmp/klua-cases"
        os.makedirs(self.tmp_root, exist_ok=True)

    def emit(self, record: dict) -> None:
        if self.results:
            self.results.write(json.dumps(record) + "\n")
            self.results.flush()
            os.fsync(self.results.fileno())
        elif record["type"] == "case":
            print(format_case(record), flush=True)

    def case_env(self, index: int, user: str | None = None) -> dict:
        env = dict(self.base_env)
        tmp = os.path.join(self.tmp_root, str(index))
        os.makedirs(tmp, mode=0o1777, exist_ok=True)
        os.chmod(tmp, 0o1777)
        env["KLUA_CASE_TMP"] = tmp
        if user:
            env["HOME"] = tmp
            env["USER"] = env["LOGNAME"] = user
        return env

    def check_kernel(self) -> list[str]:
        """Problems that the kernel reported since the last check."""
        time.sleep(LOG_SETTLE)
        problems = []
        lines = self.log.read_new()
        bad = [i for i, line in enumerate(lines) if BAD_LOG.search(line)]
        if bad:
            shown = lines[bad[0]:bad[0] + 60]
            problems.append("kernel log:\n" + "\n".join("  " + line for line in shown))
        taint = read_taint()
        gained = [label for bit, label in BAD_TAINT.items()
                  if taint & (1 << bit) and not self.taint & (1 << bit)]
        self.taint = taint
        if gained:
            problems.append("kernel taint gained: " + ", ".join(gained))
        return problems

    def run_case(self, index: int, case: Case) -> None:
        self.emit({"type": "begin", "name": case.name, "file": case.file})
        start = time.monotonic()
        self.groups = []
        self.notes = []
        skipped = None
        try:
            if case.errors:
                problems = ["bad case: " + e for e in case.errors]
            elif case.script:
                problems, skipped = self.run_script(index, case)
            else:
                problems = self.run_test(index, case)
        except Exception as e:  # a runner bug must not stop the other cases
            problems = [f"runner error: {type(e).__name__}: {e}"]
        # What the case left running ends with it.
        for pgid in self.groups:
            kill_group(pgid)
        problems += self.check_kernel()
        status = "fail" if problems else "skip" if skipped is not None else "pass"
        record = {
            "type": "case", "name": case.name, "file": case.file, "status": status,
            "detail": "\n".join(problems) if problems else skipped or "",
            "seconds": round(time.monotonic() - start, 3),
        }
        if status == "pass" and self.notes:
            record["notes"] = self.notes
        if case.selftest:
            record["selftest"] = case.selftest
        if problems:
            self.failed += 1
        self.emit(record)

    def run_script(self, index: int, case: Case) -> tuple[list[str], str | None]:
        """The problems of a script case, and why it skipped (None: it ran)."""
        o = run_command(["bash", case.script], case.timeout, self.case_env(index), self.groups)
        if o.rc == 0:
            # what it measured, for the log: its stdout lines that begin "# "
            self.notes = [line for line in split_lines(o.out) if line.startswith("# ")]
            return [], None
        if o.rc == SKIP_STATUS:
            said = split_lines(o.out) + split_lines(o.err)
            return [], said[-1] if said else "(the script gave no reason)"
        return [describe_end(o, case.timeout, "script"), show("stdout", o.out), show("stderr", o.err)], None

    def run_test(self, index: int, case: Case) -> list[str]:
        env = self.case_env(index, case.as_user)
        deadline = time.monotonic() + case.timeout
        try:
            for cmd in case.setup:
                o = run_command(["bash", "-c", cmd], deadline - time.monotonic(), env, self.groups)
                if o.rc != 0:
                    return [describe_end(o, case.timeout, f"SETUP {cmd}"),
                            show("stdout", o.out), show("stderr", o.err)]
            argv = ["bash", "-c", case.run]
            if case.as_user:
                argv = as_user_argv(case.as_user, argv)
            o = run_command(argv, deadline - time.monotonic(), env, self.groups)
            return check_outcome(case, o)
        finally:
            for cmd in case.cleanup:
                run_command(["bash", "-c", cmd], case.timeout, env, self.groups)

    def run_all(self, cases: list[Case], module: str | None, label: str | None) -> int:
        self.emit({"type": "start", "kernel": os.uname().release, "cases": len(cases)})
        loaded = False
        if module:
            name = os.path.basename(module).removesuffix(".ko").replace("-", "_")
            shown = label or module
            load = Case(name=f"module loads (insmod {shown})", file="(runner)", line=0,
                        run=f"insmod {shlex.quote(module)}", timeout=MODULE_TIMEOUT)
            if not os.path.exists(module):
                load.errors.append(f"{shown} does not exist: build it with "
                                   f"tools/build-module {os.uname().release}")
            self.run_case(0, load)
            loaded = self.failed == 0
        for index, case in enumerate(cases, 1):
            self.run_case(index, case)
        if loaded:
            unload = Case(name=f"module unloads (rmmod {name})", file="(runner)", line=0,
                          run=f"rmmod {shlex.quote(name)}", timeout=MODULE_TIMEOUT)
            self.run_case(len(cases) + 1, unload)
            # The debug kernel: nothing that the module allocated may be
            # left unreferenced, in this load or an earlier one.
            if os.path.exists(KMEMLEAK):
                leaks = Case(name=f"kmemleak finds nothing that {name} allocated", file="(runner)",
                             line=0, run=f"kmemleak-check --module {shlex.quote(name)} --unloaded",
                             timeout=KMEMLEAK_TIMEOUT)
                self.run_case(len(cases) + 2, leaks)
        # Problems that the kernel reports late (deferred work, RCU callbacks).
        time.sleep(1)
        late = self.check_kernel()
        if late:
            self.failed += 1
            self.emit({"type": "case", "name": "kernel log after the last case",
                       "file": "(runner)", "status": "fail", "detail": "\n".join(late),
                       "seconds": 1.0})
        self.emit({"type": "end", "failed": self.failed})
        return 1 if self.failed else 0


def status_text(rc: int) -> str:
    if rc < 0:
        try:
            return f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit status {rc}"


def describe_end(o: Outcome, timeout: float, what: str) -> str:
    if o.rc is None:
        text = f"{what}: timed out after {timeout:g}s and was killed"
        return text + (f"\n{o.stuck}" if o.stuck else "")
    return f"{what}: {status_text(o.rc)}"


def check_outcome(case: Case, o: Outcome) -> list[str]:
    """What is wrong with RUN's outcome, measured against the directives."""
    problems = []
    if o.rc is None:
        problems.append(describe_end(o, case.timeout, "RUN"))
    elif o.rc != case.exit:
        problems.append(f"RUN: {status_text(o.rc)}, expected exit status {case.exit}")
    out = split_lines(o.out)
    err = split_lines(o.err)
    if case.expect is not None and out != case.expect:
        diff = difflib.unified_diff(case.expect, out, "expected", "stdout", lineterm="", n=2)
        problems.append("stdout differs from EXPECT:\n" + "\n".join("  " + d for d in diff))
    for pattern in case.expect_regex:
        if not any(pattern.search(line) for line in out):
            problems.append(f"no stdout line matches EXPECT_REGEX {pattern.pattern}")
    for pattern in case.expect_stderr_regex:
        if not any(pattern.search(line) for line in err):
            problems.append(f"no stderr line matches EXPECT_STDERR_REGEX {pattern.pattern}")
    if case.expect_json:
        if not out:
            problems.append("EXPECT_JSON: no stdout")
        for number, line in enumerate(out, 1):
            try:
                ok = isinstance(json.loads(line), dict)
            except ValueError:
                ok = False
            if not ok:
                problems.append(f"EXPECT_JSON: stdout line {number} is not a JSON object: {line}")
                break
    if problems:
        problems += [show("stdout", o.out), show("stderr", o.err)]
    return problems


def format_case(record: dict) -> str:
    """The PASS/FAIL/SKIP line of a case record, with its detail indented below."""
    line = f"{record['status'].upper()} {record['name']}"
    if record["status"] != "pass" and record.get("detail"):
        line += "\n" + "\n".join("    " + d for d in record["detail"].split("\n"))
    for note in record.get("notes", []):
        line += "\n    " + note
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["run", "list", "budget"])
    parser.add_argument("--cases", action="append", help="case directory (repeatable)")
    parser.add_argument("--filter", help="only cases whose name or file matches this regex")
    parser.add_argument("--exclude", help="leave out the cases whose name or file matches this regex")
    parser.add_argument("--timeout-scale", type=float, default=1.0,
                        help="multiply every case's timeout (a slow kernel: the debug kernel)")
    parser.add_argument("--module", help="the .ko to insmod before the cases and rmmod after")
    parser.add_argument("--module-label", help="how to name the module in case names")
    parser.add_argument("--results", help="append JSON lines here instead of printing")
    parser.add_argument("--kmemleak", action="store_true",
                        help="budget: count the kmemleak check (a kernel with kmemleak)")
    args = parser.parse_args()
    dirs = args.cases or [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cases")]
    try:
        cases = load_cases(dirs, args.filter, args.exclude, args.timeout_scale)
    except (OSError, re.error) as e:
        print(f"runner: {e}", file=sys.stderr)
        return 2
    if args.command == "list":
        for c in cases:
            print(f"{c.name}\t{c.file}:{c.line}")
        return 0
    if args.command == "budget":
        # Setup, run and each cleanup may each take a case's timeout; count
        # the run and a little over, plus the module's load and unload.
        seconds = sum(c.timeout + 5 for c in cases) + (2 * MODULE_TIMEOUT if args.module else 0)
        if args.module and args.kmemleak:
            seconds += KMEMLEAK_TIMEOUT
        print(int(seconds) + 10)
        return 0
    if os.geteuid() != 0:
        print("runner: run needs root (it runs in the VM: tests/vm/run)", file=sys.stderr)
        return 2
    return Runner(args.results).run_all(cases, args.module, args.module_label)


if __name__ == "__main__":
    sys.exit(main())
