// SPDX-License-Identifier: GPL-2.0-only
#include "render.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

#include "base64.h"

namespace klua::cli {

using nlohmann::json;

// The length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0.
static std::size_t utf8_length(std::string_view s, std::size_t i)
{
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xbf) {
        return k < s.size() && at(k) >= lo && at(k) <= hi;
    };
    unsigned char c = at(i);
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return cont(i + 1) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
        unsigned char hi = c == 0xed ? 0x9f : 0xbf;
        return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;
        return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    return 0;
}

std::string lua_quote(std::string_view bytes)
{
    std::string out = "\"";
    for (std::size_t i = 0; i < bytes.size();) {
        unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x80) {
            if (std::size_t n = utf8_length(bytes, i); n > 1) {
                out.append(bytes.substr(i, n));
                i += n;
                continue;
            }
        }
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\a':
            out += "\\a";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\v':
            out += "\\v";
            break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                char buf[5];
                std::snprintf(buf, sizeof(buf), "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    out += '"';
    return out;
}

std::optional<std::string> bytes_of(const json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_object() && value.size() == 1) {
        auto it = value.find("$base64");
        if (it != value.end() && it->is_string())
            return base64_decode(it->get_ref<const std::string&>());
    }
    return std::nullopt;
}

static bool is_base64_object(const json& value)
{
    return value.is_object() && bytes_of(value).has_value();
}

static bool is_identifier(std::string_view key)
{
    static constexpr std::string_view reserved[] = {
        "and",      "break",  "do",   "else", "elseif", "end",  "false", "for",
        "function", "goto",   "if",   "in",   "local",  "nil",  "not",   "or",
        "repeat",   "return", "then", "true", "until",  "while"};
    if (key.empty() || (key[0] >= '0' && key[0] <= '9'))
        return false;
    for (char c : key)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    return std::find(std::begin(reserved), std::end(reserved), key) == std::end(reserved);
}

// The integer a key stands for, if it is one in canonical decimal form (the
// kernel writes integer keys of tables that way).
static std::optional<int64_t> integer_key(std::string_view key)
{
    if (key.empty() || (key[0] == '0' && key.size() > 1) || key == "-0" ||
        (key[0] == '-' && (key.size() == 1 || key[1] == '0')))
        return std::nullopt;
    int64_t value;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), value);
    if (ec != std::errc() || end != key.data() + key.size())
        return std::nullopt;
    return value;
}

static std::string render_number(const json& value)
{
    if (value.is_number_float()) {
        // Lua's "%.14g", with ".0" for floats that look like integers.
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%.14g", value.get<double>());
        std::string text(buf);
        if (text.find_first_of(".eninf") == std::string::npos)
            text += ".0";
        return text;
    }
    return value.dump();
}

std::vector<TableEntry> table_entries(const json& value)
{
    std::vector<TableEntry> entries;
    if (value.is_array()) {
        for (const json& item : value)
            entries.push_back({"", &item});
        return entries;
    }
    if (!value.is_object())
        return entries;
    std::vector<std::pair<int64_t, const json*>> integers;
    std::vector<std::pair<std::string_view, const json*>> strings;
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (std::optional<int64_t> n = integer_key(it.key()))
            integers.emplace_back(*n, &it.value());
        else
            strings.emplace_back(it.key(), &it.value());
    }
    std::sort(integers.begin(), integers.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::sort(strings.begin(), strings.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    // The array part first: keys 1..n, without their keys.
    auto first = std::find_if(integers.begin(), integers.end(),
                              [](const auto& entry) { return entry.first >= 1; });
    auto after = first;
    for (int64_t next = 1; after != integers.end() && after->first == next; ++after, ++next)
        entries.push_back({"", after->second});
    for (auto it = integers.begin(); it != integers.end(); ++it)
        if (it < first || it >= after)
            entries.push_back({"[" + std::to_string(it->first) + "]", it->second});
    for (const auto& [key, item] : strings)
        entries.push_back(
            {is_identifier(key) ? std::string(key) : "[" + lua_quote(key) + "]", item});
    return entries;
}

bool is_table(const json& value)
{
    return value.is_array() || (value.is_object() && !is_base64_object(value));
}

static std::string render_table(const json& value)
{
    std::string out = "{";
    bool first = true;
    for (const TableEntry& entry : table_entries(value)) {
        if (!first)
            out += ", ";
        first = false;
        if (!entry.key.empty())
            out += entry.key + " = ";
        out += render_value(*entry.value);
    }
    return out + "}";
}

std::string render_value(const json& value)
{
    switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
        return "nil";
    case json::value_t::boolean:
        return value.get<bool>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return render_number(value);
    case json::value_t::string:
        return lua_quote(value.get_ref<const std::string&>());
    case json::value_t::object:
        if (is_base64_object(value))
            return lua_quote(*bytes_of(value));
        return render_table(value);
    case json::value_t::array:
        return render_table(value);
    case json::value_t::binary:
        return "<binary>";
    }
    return "nil";
}

std::string render_top(const json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    return render_value(value);
}

std::string render_result(const json& values)
{
    if (!values.is_array())
        return render_top(values);
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i)
            out += '\t';
        out += render_top(values[i]);
    }
    return out;
}

std::string text_of(const json& value)
{
    if (std::optional<std::string> bytes = bytes_of(value))
        return std::move(*bytes);
    return render_value(value);
}

} // namespace klua::cli
