#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host side of the VM suite: print the guest runner's results as they come.

    report.py follow RESULTS --stop-file FILE --counts FILE [--kernel KVER] [--selftest]

Follows RESULTS (JSON lines written by tests/vm/guest/runner.py through the
writable share) and prints one PASS/FAIL line a case. It stops once the stop
file exists (tests/vm/run writes it when the VM is gone, holding "ok",
"timeout" or "failed") and the results are read to their end. A case that
began but has no result, a VM that did not finish, and a runner that did not
reach its end are failures too. The counts go to the counts file as JSON.

With --selftest, a case passes when its outcome is the one its
`# SELFTEST pass|fail|skip [REGEX]` line expects (REGEX must match the
detail). A case that skipped when it was not expected to (it does not apply
to the kernel) counts as skipped, in both modes.
"""

import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "guest"))
from runner import format_case  # noqa: E402

POLL = 0.2
VM_FAILURES = {
    "timeout": "the VM timed out and was killed (its last console lines are above)",
    "failed": "the VM stopped without finishing: a panic, or qemu failed (console lines above)",
}


class Report:
    def __init__(self, selftest: bool, kernel: str) -> None:
        self.selftest = selftest
        self.kernel = kernel
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.running: str | None = None  # a case that began and has no result yet
        self.ended = False

    def say(self, status: str, name: str, detail: str = "", notes: list | None = None) -> None:
        print(format_case({"status": status, "name": name, "detail": detail,
                           "notes": notes or []}), flush=True)
        if status == "pass":
            self.passed += 1
        elif status == "skip":
            self.skipped += 1
        else:
            self.failed += 1

    def record(self, r: dict) -> None:
        kind = r.get("type")
        if kind == "begin":
            self.running = r["name"]
        elif kind == "case":
            self.running = None
            if self.selftest:
                self.judge_selftest(r)
            else:
                self.say(r["status"], r["name"], r.get("detail", ""), r.get("notes"))
        elif kind == "end":
            self.ended = True

    def judge_selftest(self, r: dict) -> None:
        want = r.get("selftest")
        if not want:
            self.say("fail", r["name"], f"{r['file']}: no '# SELFTEST pass|fail' line")
            return
        detail = r.get("detail", "")
        if r["status"] == "skip" and want["status"] != "skip":
            # It does not apply to this kernel: nothing to judge.
            self.say("skip", r["name"], detail)
            return
        ok = r["status"] == want["status"]
        if ok and want["detail"]:
            ok = re.search(want["detail"], detail, re.MULTILINE) is not None
        got = f"the runner said {r['status'].upper()}" + (":\n" + detail if detail else "")
        if ok:
            # Show what an expected failure looked like: it is the proof.
            print(format_case({"status": "pass", "name": r["name"]}), flush=True)
            if r["status"] == "fail":
                print("\n".join("    " + line for line in got.split("\n")), flush=True)
            self.passed += 1
        else:
            wanted = f"expected {want['status'].upper()}"
            if want["detail"]:
                wanted += f" with a detail matching {want['detail']}"
            self.say("fail", r["name"], f"{wanted}; {got}")

    def finish(self, vm_status: str) -> None:
        if self.running:
            self.say("fail", self.running, "the VM stopped while this case ran")
        if vm_status in VM_FAILURES:
            self.say("fail", f"VM {self.kernel}".strip(), VM_FAILURES[vm_status])
        elif not self.ended:
            self.say("fail", "runner", "the guest runner stopped before its end (its stderr is above)")


def follow(path: str, stop_file: str, report: Report) -> str:
    """Feed complete lines of path to report until stop_file appears."""
    pos = 0
    partial = b""
    while True:
        stopping = os.path.exists(stop_file)
        if os.path.exists(path):
            with open(path, "rb") as f:
                f.seek(pos)
                data = f.read()
                pos = f.tell()
            lines = (partial + data).split(b"\n")
            partial = lines.pop()  # an incomplete last line waits for its end
            for line in lines:
                if line.strip():
                    text = line.decode("utf-8", "replace")
                    try:
                        report.record(json.loads(text))
                    except (ValueError, KeyError) as e:
                        report.say("fail", "runner", f"bad result line ({e}): {text}")
        if stopping:
            with open(stop_file, encoding="utf-8") as f:
                return f.read().strip()
        time.sleep(POLL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["follow"])
    parser.add_argument("results")
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--counts", required=True)
    parser.add_argument("--selftest", action="store_true")
    parser.add_argument("--kernel", default="", help="the kernel release, for messages")
    args = parser.parse_args()
    report = Report(args.selftest, args.kernel)
    report.finish(follow(args.results, args.stop_file, report))
    with open(args.counts, "w", encoding="utf-8") as f:
        json.dump({"passed": report.passed, "failed": report.failed, "skipped": report.skipped}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
