#!/usr/bin/env bash
# NAME subscribes racing destroy, 200 times: every subscribe that succeeded ends with an "end" line, none hangs
# TIMEOUT 90
#
# docs/PROTOCOL.md: "end" is the last event a subscriber gets from a state,
# and subscribing to a state that is going away fails with ENOENT and a
# message, as for a state that does not exist. So a
# subscribe that got its ACK must be followed, once the state is
# destroyed, by an end line; otherwise that watcher waits forever. Four
# threads subscribe fresh sockets while the main thread destroys the state,
# 200 times over, with 8 sockets subscribed beforehand; each subscriber
# must see its end line within 5 s (its socket has room to spare, so
# nothing can be lost).
set -euo pipefail
source tests/vm/lib/c_common.sh

S=c65-subrace
trap 'c_destroy "$S"' EXIT
c_destroy "$S"

python3 - "$S" <<'EOF'
import errno, sys, threading, time
import c_klua, genl
from c_klua import check

state = sys.argv[1]
ROUNDS, THREADS, BYSTANDERS = 200, 4, 8

def main():
    g = genl.Genl()
    ok = refused = closing = 0
    for rnd in range(ROUNDS):
        c_klua.create(state, g=g)
        # Subscribed beforehand: the destroy takes longer to tell them all,
        # and the racing subscribes queue up behind it.
        bystanders = [c_klua.Subscriber(state, rcvbuf=1 << 20) for _ in range(BYSTANDERS)]
        subs, errors, subs_refused = [], [], []
        go = threading.Barrier(THREADS + 1)

        def subscriber():
            sub = c_klua.Subscriber(state, rcvbuf=1 << 20, subscribe=False)
            go.wait()
            time.sleep(0.0005 * (rnd % 7))
            try:
                sub.subscribe()
                subs.append(sub)
            except genl.Error as e:
                if e.errno != errno.ENOENT or "no state" not in e.msg:
                    errors.append(e)
                subs_refused.append(e.msg)
                sub.close()
            except Exception as e:
                errors.append(e)
        threads = [threading.Thread(target=subscriber) for _ in range(THREADS)]
        for t in threads:
            t.start()
        go.wait()
        time.sleep(0.001 * (rnd % 5))
        c_klua.destroy(state, g)
        for t in threads:
            t.join()
        check(not errors, f"round {rnd}: {errors}")
        refused += THREADS - len(subs)
        closing += sum("being destroyed" in m for m in subs_refused)
        for sub in bystanders + subs:
            got = sub.read_until(lambda s: b'"type":"end"' in b"\n".join(s.raw), 5)
            check(got, f"round {rnd}: a subscribe succeeded but no end line came "
                  f"(lines: {sub.raw[-3:]})")
            check(sub.lines()[-1]["data"] == {"reason": "destroyed"}, "wrong end line")
            sub.close()
            ok += 1
    ok -= ROUNDS * BYSTANDERS
    print(f"# {ok} racing subscribers got their end line; {refused} subscribes found the state "
          f"gone, {closing} of them while it was closing")
    check(ok > 50, "the subscribes hardly ever won the race: nothing was tested")

c_klua.main_wrapper(main)
EOF
