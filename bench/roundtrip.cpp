// SPDX-License-Identifier: GPL-2.0-only
// bench/roundtrip: the round trip of an exec of "return 1" against a bare
// generic netlink round trip (CTRL_CMD_GETFAMILY for "klua"), both on one
// open socket, measured in the same run. Also shows the round trip of the
// client library's exec on one open Connection (the interactive shell's
// path), with a subscriber to the state (the shell subscribes to its current
// state), right after the shell's local syntax check of the line (untimed),
// and with a socket per request (as klua -e does). Prints medians in
// microseconds and the ratio; the target is exec <= 2x the bare round trip.
//
//   roundtrip [ITERATIONS]     (needs the module and CAP_NET_ADMIN)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "client.h"
#include "input.h"
#include "netlink.h"

namespace {

using Clock = std::chrono::steady_clock;

template <typename T>
void die_on_error(const klua::Result<T>& r, const char* what)
{
    if (!r) {
        std::fprintf(stderr, "roundtrip: %s: %s\n", what, r.error().message.c_str());
        std::exit(1);
    }
}

template <typename T>
T check(klua::Result<T> r, const char* what)
{
    die_on_error(r, what);
    return std::move(*r);
}

void check(const klua::Result<void>& r, const char* what)
{
    die_on_error(r, what);
}

double micros(const std::function<bool()>& once)
{
    auto t0 = Clock::now();
    if (!once()) {
        std::fprintf(stderr, "roundtrip: a request failed\n");
        std::exit(1);
    }
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Counts the OUTPUT bytes of EXEC replies (libnl's valid-message callback).
int count_output(nl_msg* msg, void* arg)
{
    nlattr* attrs[KLUA_ATTR_MAX + 1];
    if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs, KLUA_ATTR_MAX, nullptr) == 0 &&
        attrs[KLUA_ATTR_OUTPUT])
        *static_cast<int*>(arg) += nla_len(attrs[KLUA_ATTR_OUTPUT]);
    return NL_OK;
}

} // namespace

int main(int argc, char** argv)
{
    int iterations = argc > 1 ? std::atoi(argv[1]) : 2000;
    const std::string state = "rt-bench";
    klua::Client client = check(klua::Client::connect(), "connect");
    (void)client.destroy(state);
    check(client.create(state, {}), "create");

    // Both round trips use libnl the same way: one blocking socket each,
    // nl_send_auto and nl_recvmsgs_default, one read a datagram (the
    // controller's reply about klua is a few hundred bytes).
    auto socket = [] {
        return check(klua::nl::Socket::connect(klua::nl::Reading::replies), "socket");
    };
    klua::nl::Socket bare_sock = socket();
    klua::nl::Socket exec_sock = socket();
    int family = genl_ctrl_resolve(bare_sock.get(), KLUA_GENL_NAME);
    if (family < 0) {
        std::fprintf(stderr, "roundtrip: the klua module is not loaded\n");
        return 1;
    }
    int output = 0;
    nl_socket_modify_cb(exec_sock.get(), NL_CB_VALID, NL_CB_CUSTOM, count_output, &output);

    auto bare = [&] { return genl_ctrl_resolve(bare_sock.get(), KLUA_GENL_NAME) == family; };
    auto exec = [&] {
        nl_msg* msg = nlmsg_alloc();
        genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP, KLUA_CMD_EXEC,
                    KLUA_GENL_VERSION);
        nla_put_string(msg, KLUA_ATTR_NAME, state.c_str());
        nla_put(msg, KLUA_ATTR_CODE, 8, "return 1");
        output = 0;
        int sent = nl_send_auto(exec_sock.get(), msg);
        nlmsg_free(msg);
        return sent >= 0 && nl_recvmsgs_default(exec_sock.get()) >= 0 && output > 0;
    };
    // The shell's path (the interactive shell keeps one Connection).
    klua::Connection conn = check(client.open(), "open");
    auto conn_exec = [&] {
        bool got = false;
        klua::ExecRequest req{state, "return 1", "=stdin"};
        check(conn.exec(req, [&](std::string_view) { got = true; }), "exec");
        return got;
    };
    auto client_exec = [&] {
        bool got = false;
        klua::ExecRequest req{state, "return 1", "=bench"};
        check(client.exec(req, [&](std::string_view) { got = true; }), "exec");
        return got;
    };

    // Warm up, then alternate one of each so that drift hits both alike.
    for (int i = 0; i < iterations / 10 + 1; i++) {
        micros(bare);
        micros(exec);
    }
    // What the shell does before each line's exec, untimed: the local syntax
    // check. Under TCG its code evicts the emulator's caches of the exec's.
    klua::repl::InputClassifier classifier;
    std::vector<double> bs, es, ks, ps, cs;
    for (int i = 0; i < iterations; i++) {
        bs.push_back(micros(bare));
        es.push_back(micros(exec));
        ks.push_back(micros(conn_exec));
        if (classifier.classify("return 1").kind != klua::repl::InputKind::statement) {
            std::fprintf(stderr, "roundtrip: \"return 1\" did not classify as a statement\n");
            return 1;
        }
        ps.push_back(micros(conn_exec));
    }
    for (int i = 0; i < iterations / 5; i++)
        cs.push_back(micros(client_exec));
    // The interactive shell subscribes to its current state's events.
    std::vector<double> ss;
    {
        klua::Subscription sub = check(client.subscribe(state), "subscribe");
        for (int i = 0; i < iterations / 5; i++)
            ss.push_back(micros(conn_exec));
    }
    double b = median(bs), e = median(es), k = median(ks), c = median(cs);
    (void)client.destroy(state);

    std::printf("bare genl round trip (CTRL_CMD_GETFAMILY): %8.1f us\n", b);
    std::printf("exec \"return 1\":                          %8.1f us\n", e);
    std::printf("exec through a client library Connection: %8.1f us (%.2fx; the shell's path)\n", k,
                k / e);
    std::printf("the same, each after a local syntax check: %7.1f us (untimed check; %.2fx)\n",
                median(ps), median(ps) / k);
    std::printf("the same, with a subscriber to the state: %8.1f us\n", median(ss));
    std::printf("exec through the client library:          %8.1f us (a socket per request)\n", c);
    std::printf("exec round trip: %.2fx the bare genl round trip (target <= 2.0): %s\n", e / b,
                e / b <= 2.0 ? "ok" : "OVER");
    return 0;
}
