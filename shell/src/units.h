// SPDX-License-Identifier: GPL-2.0-only
// Sizes and durations as users type and read them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "result.h"

namespace klua::cli {

// Bytes with an optional k/K, m/M or g/G suffix (1024-based): "64k" is 65536.
Result<uint64_t> parse_size(std::string_view text);

// A plain decimal count.
Result<uint64_t> parse_count(std::string_view text);

// Nanoseconds: a decimal number (a fraction too) and its unit, one of ns,
// us, ms, s, m or h: "500ms", "1.5s", "2m". The unit is required: a bare
// "10" could mean any of them.
Result<uint64_t> parse_duration(std::string_view text);

// 1024-based, at most 3 digits: "512B", "1.5K", "17K", "1M".
std::string format_size(uint64_t bytes);

// At most 3 significant digits: "0s", "850ns", "1.23ms", "4.5s".
std::string format_duration(uint64_t ns);

} // namespace klua::cli
