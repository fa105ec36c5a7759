// SPDX-License-Identifier: GPL-2.0-only
// The type of one line of the kernel's NDJSON, for output that passes the
// line on as it came (--json): the line is checked whole, in one pass and
// without building a tree, as nlohmann::json would read it. It allocates
// only for a type longer than a short string or containers nested more
// than 15 deep.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace klua::cli {

// The string value of the key "type" of line if line is one JSON object
// and that value is a string. Else nothing. JSON as RFC 8259 has it, read
// as nlohmann::json reads it: strings in valid UTF-8 with no unpaired
// surrogate, numbers finite as a double (one that underflows to zero is
// fine), a byte order mark allowed at the start; and no NUL byte, where
// nlohmann::json would end the text. Of a key
// given twice, the last value counts.
std::optional<std::string> kernel_line_type(std::string_view line);

} // namespace klua::cli
