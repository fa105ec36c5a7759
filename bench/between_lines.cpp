// SPDX-License-Identifier: GPL-2.0-only
// bench/between_lines: what the interactive shell's work between two execs
// does to the round trip that follows. bench/run runs it on the host, without
// emulation, and in the VM, next to the REPL's own figures.
//
// In the VM (bench/repl_overhead.py) the shell's .timing comes out above the
// bare exec although both send the same request: TCG's caches of the exec's
// code do not survive the userspace code that runs between two lines. This
// bench measures the same mechanism where the module is not needed: a generic
// netlink round trip to the host kernel's controller (CTRL_CMD_GETFAMILY)
// with nothing between two of them, and with what the shell runs between two
// lines: the local syntax check (InputClassifier), then the result line of
// the previous chunk through the text output (parsed, printed to a file,
// with its .timing note on another file) or through the --json output.
// Prints medians and ratios against the round trip with nothing between.
//
//   between_lines [ITERATIONS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <unistd.h>

#include "input.h"
#include "output.h"

namespace {

using Clock = std::chrono::steady_clock;

// The median round trip, in microseconds, each after between() (untimed).
double median_round_trip(nl_sock* sock, int iterations, const std::function<void()>& between)
{
    std::vector<double> us;
    for (int i = 0; i < iterations; ++i) {
        between();
        auto t0 = Clock::now();
        if (genl_ctrl_resolve(sock, "nlctrl") < 0) {
            std::fprintf(stderr, "between_lines: the controller did not answer\n");
            std::exit(1);
        }
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    std::sort(us.begin(), us.end());
    return us[us.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    int iterations = argc > 1 ? std::atoi(argv[1]) : 100000;
    nl_sock* sock = nl_socket_alloc();
    if (!sock || genl_connect(sock) < 0) {
        std::fprintf(stderr, "between_lines: cannot open a generic netlink socket\n");
        return 1;
    }
    // Output to files, as in bench/repl_overhead.py.
    const std::string files =
        std::filesystem::temp_directory_path() / ("klua-between-" + std::to_string(getpid()));
    std::ofstream text_out(files + ".out"), text_err(files + ".err"), json_out(files + ".json");
    if (!text_out || !text_err || !json_out) {
        std::fprintf(stderr, "between_lines: cannot write %s.*\n", files.c_str());
        return 1;
    }
    for (const char* ext : {".out", ".err", ".json"})
        std::filesystem::remove(files + ext); // open still, and gone whatever way this ends
    text_err.setf(std::ios::unitbuf);         // as std::cerr
    klua::cli::TextOptions options;
    options.pretty = klua::cli::RenderLimits{};
    std::unique_ptr<klua::cli::Output> text =
        klua::cli::make_text_output(text_out, text_err, options);
    std::unique_ptr<klua::cli::Output> json = klua::cli::make_json_output(json_out);
    text->set_line_flush(false); // a file, as the shell sets it
    json->set_line_flush(false);
    klua::repl::InputClassifier classifier;
    const std::string line = R"({"type":"result","state":"bench","data":[1]})";

    auto nothing = [] {};
    auto check = [&] {
        if (classifier.classify("return 1").kind != klua::repl::InputKind::statement) {
            std::fprintf(stderr, "between_lines: the line did not classify\n");
            std::exit(1);
        }
    };
    auto check_text = [&] {
        check();
        text->kernel_line(line, "bench");
        text->timing("bench", 30000);
    };
    auto check_json = [&] {
        check();
        json->kernel_line(line, "bench");
        json->timing("bench", 30000);
    };
    median_round_trip(sock, iterations / 10, nothing); // warm up
    // Interleaved rounds, so that drift hits all alike; the best of each.
    double none = 1e9, checked = 1e9, texted = 1e9, jsoned = 1e9;
    for (int round = 0; round < 3; ++round) {
        none = std::min(none, median_round_trip(sock, iterations / 3, nothing));
        checked = std::min(checked, median_round_trip(sock, iterations / 3, check));
        texted = std::min(texted, median_round_trip(sock, iterations / 3, check_text));
        jsoned = std::min(jsoned, median_round_trip(sock, iterations / 3, check_json));
    }
    std::printf("genl round trip (CTRL_CMD_GETFAMILY), median:     %6.2f us\n", none);
    std::printf("  after the shell's syntax check of a line:      %6.2f us (%.2fx)\n", checked,
                checked / none);
    std::printf("  after the check and a result in text output:   %6.2f us (%.2fx)\n", texted,
                texted / none);
    std::printf("  after the check and a result in --json output: %6.2f us (%.2fx)\n", jsoned,
                jsoned / none);
    nl_socket_free(sock);
    return 0;
}
