// SPDX-License-Identifier: GPL-2.0-only
// Standard base64 (RFC 4648, with padding): the kernel sends strings that are
// not valid UTF-8 as {"$base64": "..."}.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace klua {

// The decoded bytes, or nothing if text is not canonical padded base64.
std::optional<std::string> base64_decode(std::string_view text);

std::string base64_encode(std::string_view bytes);

} // namespace klua
