// SPDX-License-Identifier: GPL-2.0-only
// Chunks to run: -e text and script files.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "result.h"

namespace klua::cli {

struct Chunk {
    std::string code;
    std::string name; // "=(command line)", "@path" or "=stdin"
};

Chunk command_line_chunk(std::string code);

// A script's code as the kernel gets it: a first line starting with '#'
// (#!) is emptied, and a local table arg ({[0] = path, args...}, as the lua
// command sets it) is declared on the first line, so that line numbers stay
// right.
std::string script_code(std::string_view path, std::span<const std::string> args,
                        std::string_view text);

// Reads the script at path ("-" is stdin).
Result<Chunk> load_script(std::string_view path, std::span<const std::string> args);

} // namespace klua::cli
