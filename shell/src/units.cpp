// SPDX-License-Identifier: GPL-2.0-only
#include "units.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>

namespace klua::cli {

// The decimal number at the start of text, and the rest after it.
static bool parse_decimal(std::string_view text, uint64_t& value, std::string_view& rest)
{
    std::size_t i = 0;
    value = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        uint64_t digit = static_cast<uint64_t>(text[i] - '0');
        if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    rest = text.substr(i);
    return i > 0;
}

Result<uint64_t> parse_size(std::string_view text)
{
    auto bad = [&](std::string_view why) {
        return Error{ErrorKind::usage,
                     "invalid size '" + std::string(text) + "': " + std::string(why)};
    };
    uint64_t value;
    std::string_view rest;
    if (!parse_decimal(text, value, rest)) {
        if (!text.empty() && text[0] >= '0' && text[0] <= '9')
            return bad("too large");
        return bad("expected a number of bytes, with an optional suffix k, m or g");
    }
    unsigned shift = 0;
    if (!rest.empty()) {
        switch (rest[0]) {
        case 'k':
        case 'K':
            shift = 10;
            break;
        case 'm':
        case 'M':
            shift = 20;
            break;
        case 'g':
        case 'G':
            shift = 30;
            break;
        default:
            return bad("unknown suffix '" + std::string(rest) + "' (use k, m or g)");
        }
        if (rest.size() > 1)
            return bad("unknown suffix '" + std::string(rest) + "' (use k, m or g)");
    }
    if (value > std::numeric_limits<uint64_t>::max() >> shift)
        return bad("too large");
    return value << shift;
}

Result<uint64_t> parse_count(std::string_view text)
{
    uint64_t value;
    std::string_view rest;
    bool digits = parse_decimal(text, value, rest);
    if (digits && rest.empty())
        return value;
    std::string why = !digits && !text.empty() && text[0] >= '0' && text[0] <= '9'
                          ? "too large"
                          : "expected a whole number";
    return Error{ErrorKind::usage, "invalid number '" + std::string(text) + "': " + why};
}

Result<uint64_t> parse_duration(std::string_view text)
{
    auto bad = [&](std::string_view why) {
        return Error{ErrorKind::usage,
                     "invalid duration '" + std::string(text) + "': " + std::string(why)};
    };
    constexpr std::string_view units_hint = "ns, us, ms, s, m or h";
    uint64_t whole;
    std::string_view rest;
    if (!parse_decimal(text, whole, rest)) {
        if (!text.empty() && text[0] >= '0' && text[0] <= '9')
            return bad("too large");
        return bad("expected a number and a unit: " + std::string(units_hint) + " (as in 500ms)");
    }
    // The fraction's digits, without the zeros at its end: "1.50" is 15 and 1.
    uint64_t fraction = 0;
    unsigned fraction_digits = 0;
    if (rest.starts_with('.')) {
        std::string_view digits = rest.substr(1);
        std::size_t n = 0;
        while (n < digits.size() && digits[n] >= '0' && digits[n] <= '9')
            ++n;
        if (n == 0)
            return bad("expected digits after the decimal point");
        rest = digits.substr(n);
        digits = digits.substr(0, n);
        while (!digits.empty() && digits.back() == '0')
            digits.remove_suffix(1);
        // 19 digits fit in uint64_t; more are never whole nanoseconds (an
        // hour's nanoseconds are 36 * 10^11: 13 decimals at most).
        if (digits.size() > 19)
            return bad("finer than a nanosecond");
        for (char c : digits)
            fraction = fraction * 10 + static_cast<uint64_t>(c - '0');
        fraction_digits = static_cast<unsigned>(digits.size());
    }
    static constexpr struct {
        std::string_view name;
        uint64_t ns;
    } units[] = {{"ns", 1},
                 {"us", 1'000},
                 {"ms", 1'000'000},
                 {"s", 1'000'000'000},
                 {"m", 60'000'000'000},
                 {"h", 3'600'000'000'000}};
    auto unit = std::find_if(std::begin(units), std::end(units),
                             [&](const auto& u) { return u.name == rest; });
    if (rest.empty())
        return bad("a unit must follow the number: " + std::string(units_hint) + " (as in 500ms)");
    if (unit == std::end(units))
        return bad("unknown unit '" + std::string(rest) + "' (use " + std::string(units_hint) +
                   ")");
    constexpr uint64_t max = std::numeric_limits<uint64_t>::max();
    if (whole > max / unit->ns)
        return bad("too large");
    uint64_t ns = whole * unit->ns;
    if (fraction_digits > 0) {
        // fraction / 10^digits of the unit, which must be whole nanoseconds.
        uint64_t scale = 1;
        for (unsigned i = 0; i < fraction_digits; ++i)
            scale *= 10;
        // fraction * unit / scale, reduced first so that nothing overflows
        uint64_t common = std::gcd(unit->ns, scale);
        if (fraction % (scale / common) != 0)
            return bad("finer than a nanosecond");
        uint64_t part = fraction / (scale / common) * (unit->ns / common);
        if (ns > max - part)
            return bad("too large");
        ns += part;
    }
    return ns;
}

// value (>= 1) with at most 3 digits: 2 decimals under 10 (or 1 if short),
// 1 decimal under 100, none above.
static std::string three_digits(double value, int max_decimals)
{
    char buf[32];
    int decimals = value < 9.995 ? 2 : value < 99.95 ? 1 : 0;
    if (decimals > max_decimals)
        decimals = max_decimals;
    // Not printf: it is slower, and its decimal point follows the locale.
    char* end =
        std::to_chars(std::begin(buf), std::end(buf), value, std::chars_format::fixed, decimals)
            .ptr;
    std::string text(buf, end);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0')
            text.pop_back();
        if (text.back() == '.')
            text.pop_back();
    }
    return text;
}

std::string format_size(uint64_t bytes)
{
    if (bytes < 1024)
        return std::to_string(bytes) + "B";
    static constexpr char units[] = "KMGTPE";
    double value = static_cast<double>(bytes) / 1024;
    std::size_t unit = 0;
    // Move up a unit when rounding would show 1024 or more.
    while (value >= 1023.5 && unit + 1 < sizeof(units) - 1) {
        value /= 1024;
        ++unit;
    }
    return three_digits(value, 1) + units[unit];
}

std::string format_duration(uint64_t ns)
{
    if (ns == 0)
        return "0s";
    if (ns < 1000)
        return std::to_string(ns) + "ns";
    static constexpr struct {
        double scale;
        const char* name;
    } units[] = {{1e3, "us"}, {1e6, "ms"}, {1e9, "s"}};
    std::size_t unit = 0;
    double value = static_cast<double>(ns) / units[0].scale;
    while (unit + 1 < std::size(units) && value >= 999.5) {
        ++unit;
        value = static_cast<double>(ns) / units[unit].scale;
    }
    return three_digits(value, 2) + units[unit].name;
}

} // namespace klua::cli
