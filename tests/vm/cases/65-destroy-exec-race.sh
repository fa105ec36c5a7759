#!/usr/bin/env bash
# NAME destroy and re-create racing execs, lists, subscribes and a shell loop, 150 times: only results or clean errors
# TIMEOUT 90
#
# One process destroys and re-creates a state 150 times (each destroy and
# create must succeed). Meanwhile two raw clients exec a loop of 10^5
# iterations in it without pause, a third lists the states and their hooks, a fourth
# subscribes and unsubscribes, and a shell loop runs `klua -s S -e ...`.
# Each exec ends in its result, in ENOENT with a message that says the
# state is missing or was destroyed (before Linux 6.5, which drops the
# extack of a dump's start, with no message), or, if it was running when
# the destroy came, in an "interrupted" error that says the state is being
# destroyed; the shell exits 0 with the result or 1 with such a message;
# nothing else (no hang, no other errno, no half output). The kernel log is
# checked by the runner.
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c65-race
trap 'c_destroy "$S"' EXIT
c_destroy "$S"

python3 - "$S" <<'EOF'
import errno, multiprocessing, os, re, subprocess, sys, time
import c_klua, genl
from c_klua import check
from genl import K, attr_str

state = sys.argv[1]
CYCLES = 150
CLEAN = re.compile(rf"no state named '{state}'|the state was destroyed|no state with that name")
# Linux before 6.5 drops the extack of a dump's start callback, and EXEC is
# a dump: there an exec's request error comes with no message at all.
release = tuple(int(x) for x in os.uname().release.split(".")[:2])
EXEC_EXTACK = release >= (6, 5)

def clean_error(e, dump=False):
    if dump and not EXEC_EXTACK and e.msg == "":
        return e.errno == errno.ENOENT
    return e.errno == errno.ENOENT and CLEAN.search(e.msg)

# An exec that was running when the state was destroyed ends at once.
def destroyed_run(data):
    return data["kind"] == "interrupted" and data["message"] == "interrupted: the state is being destroyed"

def execer(i, stop, out):
    g, ok, gone = genl.Genl(), 0, 0
    try:
        while not stop.is_set():
            try:
                text = g.exec(state, 'for i = 1, 100000 do end return "ok"')
            except genl.Error as e:
                check(clean_error(e, dump=True), f"exec: unexpected error {e} ({e.msg!r})")
                gone += 1
                continue
            lines = c_klua.parse_ndjson(text, f"execer {i}")
            if lines and lines[-1]["type"] == "error":
                check(len(lines) == 1 and destroyed_run(lines[0]["data"]),
                      f"execer {i}: unexpected output {lines}")
                gone += 1
                continue
            check(lines == [{"type": "result", "state": state, "data": ["ok"]}],
                  f"execer {i}: unexpected output {lines}")
            ok += 1
        out.put(("exec", i, None, ok, gone))
    except Exception as e:
        out.put(("exec", i, f"{type(e).__name__}: {e}", ok, gone))

def lister(stop, out):
    g, n = genl.Genl(), 0
    try:
        while not stop.is_set():
            info = c_klua.states(g).get(state)
            check(info is None or info["name"] == state, f"bad list entry {info}")
            try:
                c_klua.state(state, g)
            except genl.Error as e:
                check(clean_error(e), f"list one: unexpected error {e}")
            # the hooks of every state, and of this one, as it goes and comes
            g.klua("KLUA_CMD_HOOKS", flags=genl.NLM_F_DUMP)
            try:
                g.klua("KLUA_CMD_HOOKS", genl.attr_str(genl.K["KLUA_ATTR_NAME"], state),
                       flags=genl.NLM_F_DUMP)
            except genl.Error as e:
                check(clean_error(e, dump=True), f"hooks: unexpected error {e}")
            n += 1
        out.put(("list", 0, None, n, 0))
    except Exception as e:
        out.put(("list", 0, f"{type(e).__name__}: {e}", n, 0))

def subscriber(stop, out):
    n = gone = 0
    try:
        while not stop.is_set():
            try:
                sub = c_klua.Subscriber(state)
                sub.unsubscribe()
                sub.close()
                n += 1
            except genl.Error as e:
                check(e.errno == errno.ENOENT, f"subscribe: unexpected errno {e.errno}")
                gone += 1
        out.put(("subscribe", 0, None, n, gone))
    except Exception as e:
        out.put(("subscribe", 0, f"{type(e).__name__}: {e}", n, gone))

def shell(stop, out):
    ok = gone = 0
    try:
        while not stop.is_set():
            p = subprocess.run(["klua", "-s", state, "-e", 'for i = 1, 100000 do end return "ok"'],
                               capture_output=True, text=True, timeout=30)
            if p.returncode == 0:
                check(p.stdout == "ok\n", f"shell: stdout {p.stdout!r}")
                ok += 1
            else:
                check(p.returncode == 1 and p.stdout == "" and
                      (re.fullmatch(r"klua: [^\n]*\n", p.stderr) and CLEAN.search(p.stderr) or
                       "interrupted: the state is being destroyed" in p.stderr),
                      f"shell: exit {p.returncode}, stdout {p.stdout!r}, stderr {p.stderr!r}")
                gone += 1
        out.put(("shell", 0, None, ok, gone))
    except Exception as e:
        out.put(("shell", 0, f"{type(e).__name__}: {e}", ok, gone))

def main():
    g = genl.Genl()
    c_klua.create(state, g=g)
    stop, out = multiprocessing.Event(), multiprocessing.Queue()
    procs = [multiprocessing.Process(target=execer, args=(i, stop, out)) for i in range(2)]
    procs += [multiprocessing.Process(target=f, args=(stop, out)) for f in (lister, subscriber, shell)]
    for p in procs:
        p.start()
    t0 = time.monotonic()
    slowest = 0.0
    try:
        for cycle in range(CYCLES):
            time.sleep(0.01)
            t = time.monotonic()
            c_klua.destroy(state, g)
            slowest = max(slowest, time.monotonic() - t)
            c_klua.create(state, g=g)
            if cycle % 5 == 0:
                c_klua.exec_value(g, state, "return 1")   # a fresh state works
    finally:
        stop.set()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join()
    print(f"# {CYCLES} destroy/create cycles in {time.monotonic() - t0:.1f}s, "
          f"slowest destroy {slowest * 1000:.0f} ms")
    for kind, i, err, ok, gone in results:
        print(f"# {kind} {i}: {ok} done, {gone} found the state gone")
    problems = [f"{kind} {i}: {err}" for kind, i, err, _, _ in results if err]
    check(not problems, "\n".join(problems))
    check(sum(ok for kind, _, _, ok, _ in results if kind == "exec") > 20,
          "the racing execs hardly ever ran")
    check(slowest < 5, f"a destroy took {slowest:.1f}s")

c_klua.main_wrapper(main)
EOF
