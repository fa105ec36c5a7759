#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""bench/repl_overhead.py: what the interactive shell adds to a line.

Runs in the VM (bench/run), with the module loaded and the shell built.
Figures, all from this run:
  - exec: klua_roundtrip's median exec round trip of "return 1" on an open
    socket (the core bench's figure);
  - exec after a check: klua_roundtrip's exec through the client library's
    Connection, each right after an (untimed) local syntax check of the line,
    as the shell does it: what the check alone does to the round trip that
    follows;
  - .timing: the median round trip the shell reports per line with .timing
    on (its shared connection);
  - per line: the shell's wall time per line, from reading the line to
    printing its value (classifier, exec, printer): the difference between
    runs of 2N and N lines, divided by N, so that start-up cancels out;
  - the local syntax check alone: klua_classify's median for the same line
    (userspace Lua's parser, which the shell runs on every line before it
    sends anything).
Prints .timing / exec, per line / .timing and the REPL's own overhead
(per line / .timing - 1), whose target is < 10%, with the share of it that
the syntax check takes.

Under TCG, .timing comes out above klua_roundtrip's figure although both
send the same request through the same code (klua_roundtrip shows the
client library's Connection at ~0.95x the raw libnl exec): the local syntax
check runs Lua's parser between two execs, and the exec that follows runs
4-5 us slower, with the emulator's caches of its code evicted ("exec after
a check" shows this without the shell; with the check skipped, .timing was
1.04x the exec). TCG also slows userspace work more than the kernel's:
Lua's parser takes 0.4 us a line on the host and about 5.5 us in the guest.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KLUA = os.path.join(TOP, "build", "cmake", "shell", "klua")
ROUNDTRIP = os.path.join(TOP, "build", "cmake", "klua_roundtrip")
CLASSIFY = os.path.join(TOP, "build", "cmake", "klua_classify")
STATE = "bench-repl"
LINES = 1000
REPEATS = 5


def klua(*args, **kw):
    return subprocess.run([KLUA, *args], check=True, capture_output=True, text=True, **kw)


def exec_medians_us():
    """klua_roundtrip's exec, and its Connection's exec right after a check."""
    out = subprocess.run([ROUNDTRIP, "2000"], check=True, capture_output=True, text=True).stdout
    m = re.search(r'^exec "return 1":\s+([0-9.]+) us', out, re.M)
    c = re.search(r"^the same, each after a local syntax check:\s+([0-9.]+) us", out, re.M)
    if not m or not c:
        sys.exit("repl_overhead: no exec figures in klua_roundtrip's output:\n" + out)
    return float(m.group(1)), float(c.group(1))


def classify_median_us(line):
    out = subprocess.run([CLASSIFY, line], check=True, capture_output=True, text=True).stdout
    m = re.search(r"^classify:\s+([0-9.]+) us", out, re.M)
    if not m:
        sys.exit("repl_overhead: no figure in klua_classify's output:\n" + out)
    return float(m.group(1))


def repl_run(lines):
    """Wall seconds of one `klua -i` over `lines` lines, and its .timing figures (us).

    Input and output are files, not pipes: a reader woken for every line would
    run on the guest's other CPU, which TCG emulates on the same host thread
    (thread=single), and its time would show up in klua's.
    """
    with tempfile.TemporaryFile("w+") as inp, tempfile.TemporaryFile("w+") as outp:
        inp.write(".timing on\n" + "return 1\n" * lines)
        inp.seek(0)
        t0 = time.perf_counter()
        subprocess.run([KLUA, "-i", "-s", STATE, "--json"], stdin=inp, stdout=outp, check=True)
        wall = time.perf_counter() - t0
        outp.seek(0)
        out = outp.read()
    timings, results = [], 0
    for line in out.splitlines():
        obj = json.loads(line)
        if obj["type"] == "timing":
            timings.append(obj["data"]["round_trip_ns"] / 1000)
        elif obj["type"] == "result":
            results += 1
    if results != lines or len(timings) != lines:
        sys.exit(f"repl_overhead: {lines} lines gave {results} results, {len(timings)} timings")
    return wall, timings


def main():
    subprocess.run([KLUA, "state", "destroy", STATE], capture_output=True)
    klua("state", "create", STATE)
    try:
        repl_run(100)  # warm up
        exec_us, checked_exec_us = exec_medians_us()
        classify_us = classify_median_us("return 1")
        # Interleave the two sizes so that drift hits both alike; keep the fastest.
        short, long_, timings = [], [], []
        for _ in range(REPEATS):
            w, _t = repl_run(LINES)
            short.append(w)
            w, t = repl_run(2 * LINES)
            long_.append(w)
            timings += t
    finally:
        subprocess.run([KLUA, "state", "destroy", STATE], capture_output=True)
    per_line_us = (min(long_) - min(short)) / LINES * 1e6
    timing_us = statistics.median(timings)
    timing_mean_us = statistics.mean(timings)
    print(f"exec round trip (klua_roundtrip, median):   {exec_us:8.1f} us")
    print(f"the same right after a local syntax check:  {checked_exec_us:8.1f} us"
          f"  ({checked_exec_us / exec_us:.2f}x)")
    print(f"REPL .timing per line (median):             {timing_us:8.1f} us"
          f"  ({timing_us / exec_us:.2f}x the exec round trip, target < 1.10;"
          f" {timing_us / checked_exec_us:.2f}x the exec after a check)")
    print(f"REPL wall time per line ({REPEATS}x {LINES}/{2 * LINES} lines): {per_line_us:8.1f} us"
          f"  ({per_line_us / timing_mean_us:.2f}x the mean .timing of {timing_mean_us:.1f} us)")
    overhead = per_line_us / timing_mean_us - 1
    print(f"local syntax check (klua_classify, median):  {classify_us:8.1f} us"
          f"  ({classify_us / timing_mean_us * 100:.0f}% of the mean .timing)")
    print(f"REPL overhead per line: {overhead * 100:.1f}% (target < 10%): "
          f"{'ok' if overhead < 0.10 else 'OVER'}"
          f"; without the syntax check: {(overhead - classify_us / timing_mean_us) * 100:.1f}%")


if __name__ == "__main__":
    main()
