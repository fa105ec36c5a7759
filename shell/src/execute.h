// SPDX-License-Identifier: GPL-2.0-only
// The one path of every chunk the shell sends, whether it came from -e, a
// script file, a pipe or a line of the interactive shell: checked locally,
// run in the kernel, and what comes back shown as it comes.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "cli.h"
#include "client.h"
#include "output.h"
#include "script.h"
#include "syntax.h"

namespace klua::cli {

// The local checks: the chunk's size, and its syntax with userspace Lua.
Result<void> check_chunk(const Chunk& chunk, SyntaxChecker& checker);

struct RunOptions {
    // Nothing if the caller checked the chunk already (the interactive
    // shell's input classifier does).
    SyntaxChecker* checker = nullptr;
    // The round trip, in nanoseconds: from sending the request to the end
    // of the answer, less the time spent showing its lines.
    uint64_t* elapsed_ns = nullptr;
    // Called once, before the first line of the answer is shown.
    std::function<void()> before_output;
};

// Fails on a local error, a failed request, an error line or an invalid
// line, each reported on output.
Status run_chunk(Connection& conn, Output& output, std::string_view state, const Chunk& chunk,
                 const RunOptions& options = {});

} // namespace klua::cli
