// SPDX-License-Identifier: GPL-2.0-only
// A local syntax check of chunks with userspace Lua, to report syntax errors
// without a round trip. The kernel remains the authority: a chunk that passes
// here may still fail there (klua's Lua has integers only).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace klua {

// Lua's message if code (text only) does not compile, else nothing. Nothing
// too if the check itself cannot run.
std::optional<std::string> find_syntax_error(std::string_view code, const std::string& chunk_name);

} // namespace klua
