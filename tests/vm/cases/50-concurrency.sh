#!/usr/bin/env bash
# NAME 8 raw clients x 300 execs and 2 shells x 25 execs, 4 states: each gets exactly its own replies, counters add up
# TIMEOUT 120
#
# Eight processes speak the protocol through genl.py, 300 execs each, while
# two loops run the real shell; four clients share one state, two share
# another, two have a state each. Every exec prints a line and returns a
# value unique to its client and iteration; some return 15 KB (a reply of
# several messages) and some raise an error. Each client checks that it got
# exactly its own print and result (or error) lines, all valid JSON. At the
# end, the runs and errors counters of each state, and a Lua global that
# every exec incremented, equal what the clients sent: execs in one state
# ran one at a time and none was lost or counted twice.
set -euo pipefail
source tests/vm/lib/c_common.sh

cleanup() { c_destroy c50-shared c50-pair c50-solo6 c50-solo7; }
trap cleanup EXIT
cleanup

python3 - <<'EOF'
import json, multiprocessing, subprocess, sys, threading, time
import c_klua, genl
from c_klua import check, Failed

N, SHELL_N = 300, 25
CLIENTS = {0: "c50-shared", 1: "c50-shared", 2: "c50-shared", 3: "c50-shared",
           4: "c50-pair", 5: "c50-pair", 6: "c50-solo6", 7: "c50-solo7"}
SHELLS = {0: "c50-shared", 1: "c50-pair"}


def chunk(tag, j):
    """The code of iteration j of client tag, and what it must produce."""
    head = f'n = (n or 0) + 1 print("p-{tag}-i{j}") '
    if j % 50 == 13:
        return head + f'error("e-{tag}-i{j}", 0)', ("error", f"e-{tag}-i{j}")
    if j % 30 == 7:
        return head + f'return string.rep("{tag}-i{j};", 1500)', ("result", [f"{tag}-i{j};" * 1500])
    return head + f'return "{tag}-i{j}", {j}', ("result", [f"{tag}-i{j}", j])


def check_reply(where, state, lines, tag, j, want):
    check(len(lines) == 2, f"{where}: {len(lines)} lines, expected 2: {str(lines)[:400]}")
    p, last = lines
    check(p == {"type": "print", "state": state, "data": f"p-{tag}-i{j}"},
          f"{where}: wrong print line {p}")
    check(last["type"] == want[0] and last["state"] == state,
          f"{where}: wrong last line {str(last)[:300]}")
    if want[0] == "result":
        check(last["data"] == want[1], f"{where}: result {str(last['data'])[:200]}, "
              f"expected {str(want[1])[:200]}")
    else:
        check(last["data"]["kind"] == "runtime" and last["data"]["message"] == want[1],
              f"{where}: error {last['data']}")


def client(i, state, out):
    try:
        g = genl.Genl()
        tag, errors = f"c{i}", 0
        for j in range(N):
            code, want = chunk(tag, j)
            text = g.exec(state, code)
            check_reply(f"client {i} iteration {j}", state,
                        c_klua.parse_ndjson(text, f"client {i} iteration {j}"), tag, j, want)
            errors += want[0] == "error"
        out.put((i, None, errors))
    except Exception as e:
        out.put((i, f"{type(e).__name__}: {e}", 0))


def shell_client(k, state, results):
    tag, errors = f"s{k}", 0
    try:
        for j in range(SHELL_N):
            code, want = chunk(tag, j)
            p = subprocess.run(["klua", "--json", "-s", state, "-e", code],
                               capture_output=True, text=True, timeout=60)
            where = f"shell {k} iteration {j}"
            check(p.returncode == (1 if want[0] == "error" else 0),
                  f"{where}: exit {p.returncode}; stderr {p.stderr!r}")
            check_reply(where, state, c_klua.parse_ndjson(p.stdout, where), tag, j, want)
            errors += want[0] == "error"
        results[k] = (None, errors)
    except Exception as e:
        results[k] = (f"{type(e).__name__}: {e}", 0)


def main():
    for s in sorted(set(CLIENTS.values())):
        c_klua.create(s)
    start = time.monotonic()
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=client, args=(i, s, out)) for i, s in CLIENTS.items()]
    shell_results = {}
    threads = [threading.Thread(target=shell_client, args=(k, s, shell_results))
               for k, s in SHELLS.items()]
    for p in procs:
        p.start()
    for t in threads:
        t.start()
    done = [out.get(timeout=100) for _ in procs]
    for p in procs:
        p.join()
    for t in threads:
        t.join()
    print(f"# {len(procs)} clients x {N} + {len(threads)} shells x {SHELL_N} execs "
          f"in {time.monotonic() - start:.1f}s")

    problems = [f"client {i}: {err}" for i, err, _ in done if err]
    problems += [f"shell {k}: {err}" for k, (err, _) in shell_results.items() if err]
    check(not problems, "\n".join(problems))

    want_runs = {s: 0 for s in CLIENTS.values()}
    want_errors = dict(want_runs)
    for i, _, errors in done:
        want_runs[CLIENTS[i]] += N
        want_errors[CLIENTS[i]] += errors
    for k, (_, errors) in shell_results.items():
        want_runs[SHELLS[k]] += SHELL_N
        want_errors[SHELLS[k]] += errors
    g = genl.Genl()
    for s in sorted(want_runs):
        info = c_klua.state(s, g)
        check(info["runs"] == want_runs[s] and info["errors"] == want_errors[s],
              f"{s}: runs {info['runs']} errors {info['errors']}, "
              f"expected {want_runs[s]} and {want_errors[s]}")
        n = c_klua.exec_value(g, s, "return n")
        check(n == want_runs[s], f"{s}: the global n is {n}, expected {want_runs[s]}")
        print(f"# {s}: runs {info['runs']}, errors {info['errors']}, n {n}")


c_klua.main_wrapper(main)
EOF
