// SPDX-License-Identifier: GPL-2.0-only
// Chunks to run: -e text and script files.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace klua::cli {

struct Chunk {
    std::string code;
    std::string name;                   // "=(command line)", "@path" or "=stdin"
    std::vector<std::string> args = {}; // its ... (a script's arguments)
};

Chunk command_line_chunk(std::string code);

// A script's code as the kernel gets it: a first line starting with '#'
// (#!) is emptied, and a local table arg ({[0] = path, ...}, as the lua
// command sets it, from the chunk's arguments) is declared on the first
// line, so that line numbers stay right.
std::string script_code(std::string_view path, std::string_view text);

// Reads the script at path ("-" is stdin).
Result<Chunk> load_script(std::string_view path, std::span<const std::string> args);

} // namespace klua::cli
