// SPDX-License-Identifier: GPL-2.0-only
// Lua-like text for the values of the kernel's JSON lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace klua::cli {

// A Lua string literal for bytes: valid UTF-8 stays as it is, other bytes and
// control characters are escaped ("\n", "\xff"). It is valid Lua source.
std::string lua_quote(std::string_view bytes);

// The bytes of a JSON string, or of a {"$base64": "..."} object.
std::optional<std::string> bytes_of(const nlohmann::json& value);

// An entry of a table as Lua shows it: key is "" for the array part (keys
// 1..n, in order, first), else "name", "[3]" or "[\"a b\"]"; integer keys in
// order, then string keys sorted.
struct TableEntry {
    std::string key;
    const nlohmann::json* value;
};

std::vector<TableEntry> table_entries(const nlohmann::json& table);

// A JSON array or object that stands for a Lua table (not a {"$base64"} string).
bool is_table(const nlohmann::json& value);

// A value inside a table: strings quoted, tables as {1, 2, a = true} with
// the array part first and the other keys sorted.
std::string render_value(const nlohmann::json& value);

// A value at the top level of a result: strings raw, the rest as
// render_value (strings that are not UTF-8 stay quoted).
std::string render_top(const nlohmann::json& value);

// The values of a "result" line, separated by tabs ("" for no values).
std::string render_result(const nlohmann::json& values);

// Text that the kernel sends as a value (print output, error messages): its
// bytes as they are.
std::string text_of(const nlohmann::json& value);

} // namespace klua::cli
