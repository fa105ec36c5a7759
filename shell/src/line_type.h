// SPDX-License-Identifier: GPL-2.0-only
// The type of one line of the kernel's NDJSON, for output that passes the
// line on as it came (--json): the line is checked whole, in one pass and
// without building a tree or allocating, as nlohmann::json would read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace klua::cli {

// The string value of the key "type" of line if line is one JSON object
// (RFC 8259, with strings in valid UTF-8 and no unpaired surrogate, and
// with numbers that fit a double) and that value is a string. Else nothing.
// Of a key given twice, the last value counts.
std::optional<std::string> kernel_line_type(std::string_view line);

} // namespace klua::cli
