// SPDX-License-Identifier: GPL-2.0-only
// Values for people (the interactive shell): tables over several lines when
// they do not fit one, capped in depth, entries and string length, with a
// count of what was cut.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace klua::cli {

struct RenderLimits {
    std::size_t max_depth = 6;     // tables nested deeper show as {...}
    std::size_t max_entries = 100; // entries shown of a table
    std::size_t max_string = 200;  // bytes shown of a string inside a table
    std::size_t width = 80;        // a table that fits in this many columns stays on one line
};

// What the limits left out.
struct Cut {
    std::size_t deep_tables = 0;    // tables shown as {...}
    std::size_t hidden_entries = 0; // entries beyond max_entries
    std::size_t long_strings = 0;   // strings cut at max_string bytes

    bool any() const { return deep_tables || hidden_entries || long_strings; }
};

struct Pretty {
    std::string text;
    Cut cut;
};

// One value as inside a table: strings quoted.
Pretty render_pretty(const nlohmann::json& value, const RenderLimits& limits);

// The values of a "result" line, separated by tabs, as render_result shows
// them (strings at the top level raw), but with tables laid out and capped.
Pretty render_pretty_result(const nlohmann::json& values, const RenderLimits& limits);

// "output cut: 3 entries beyond 100 a table, 1 table deeper than 6 levels"
// ("" if nothing was cut).
std::string describe_cut(const Cut& cut, const RenderLimits& limits);

} // namespace klua::cli
