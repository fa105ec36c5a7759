// SPDX-License-Identifier: GPL-2.0-only
// bench/classify: what the interactive shell's local syntax check costs per
// line: InputClassifier (userspace Lua's parser) on one line, repeated.
// bench/repl_overhead.py sets it next to the shell's time per line, in the
// same guest. Needs no module.
//
//   classify LINE [ITERATIONS]      prints the median in microseconds
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "input.h"

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: classify LINE [ITERATIONS]\n");
        return 2;
    }
    std::string_view line = argv[1];
    int iterations = argc > 2 ? std::atoi(argv[2]) : 20000;
    using Clock = std::chrono::steady_clock;
    klua::repl::InputClassifier classifier;
    std::vector<double> us;
    // Batches of 10, so that the clock's cost stays small next to the parse.
    for (int i = 0; i < iterations / 10; i++) {
        auto t0 = Clock::now();
        for (int j = 0; j < 10; j++)
            if (classifier.classify(line).kind == klua::repl::InputKind::error)
                return 1;
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / 10);
    }
    std::sort(us.begin(), us.end());
    std::printf("classify: %.2f us\n", us[us.size() / 2]);
    return 0;
}
