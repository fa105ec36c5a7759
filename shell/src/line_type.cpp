// SPDX-License-Identifier: GPL-2.0-only
#include "line_type.h"

#include <algorithm>
#include <charconv>

namespace klua::cli {

namespace {

// Reads one JSON text. Containers are tracked on a stack of '{' and '[',
// not by recursion, so depth costs no stack frames.
class Scanner {
  public:
    explicit Scanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

    std::optional<std::string> object_type();

  private:
    bool at(char c) const { return p_ != end_ && *p_ == c; }
    void skip_space()
    {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r'))
            ++p_;
    }
    bool scalar();
    // Appends n bytes at from to text, if any, up to keep_ bytes in all.
    void put(std::string* text, const char* from, std::size_t n)
    {
        if (text && text->size() < keep_)
            text->append(from, std::min(n, keep_ - text->size()));
    }
    bool string(std::string* text);
    bool escape(std::string* text);
    bool utf8_sequence(std::string* text);
    bool hex4(unsigned& code);
    bool literal(std::string_view word);
    bool number();
    bool digits();

    const char* p_;
    const char* end_;
    std::size_t keep_ = std::string::npos;
};

std::optional<std::string> Scanner::object_type()
{
    std::optional<std::string> type;
    std::string open;        // the containers around p_, outermost first
    literal("\xef\xbb\xbf"); // a byte order mark, as nlohmann::json skips it
    skip_space();
    if (!at('{'))
        return std::nullopt;
    bool want_key = false; // else a value
    bool is_type = false;  // the value is that of the top level's "type"
    for (;;) {
        if (want_key) {
            skip_space();
            if (!at('"'))
                return std::nullopt;
            // Decoded only at the top level, and only as far as tells "type"
            // from longer keys: no allocation.
            std::string key;
            keep_ = 5;
            bool read = string(open.size() == 1 ? &key : nullptr);
            keep_ = std::string::npos;
            if (!read)
                return std::nullopt;
            skip_space();
            if (!at(':'))
                return std::nullopt;
            ++p_;
            is_type = open.size() == 1 && key == "type";
            want_key = false;
            continue;
        }
        skip_space();
        if (is_type && !at('"'))
            type.reset(); // the last "type" is not a string
        if (at('{') || at('[')) {
            open.push_back(*p_++);
            skip_space();
            if (!at(open.back() == '{' ? '}' : ']')) {
                want_key = open.back() == '{';
                is_type = false;
                continue;
            }
            ++p_;
            open.pop_back();
        } else if (is_type && at('"')) {
            type.emplace();
            if (!string(&*type))
                return std::nullopt;
        } else if (!scalar()) {
            return std::nullopt;
        }
        is_type = false;
        // After a value: a comma, or the ends of containers.
        for (;;) {
            skip_space();
            if (open.empty())
                return p_ == end_ ? type : std::nullopt;
            if (at(',')) {
                ++p_;
                want_key = open.back() == '{';
                break;
            }
            if (!at(open.back() == '{' ? '}' : ']'))
                return std::nullopt;
            ++p_;
            open.pop_back();
        }
    }
}

// A scalar: string, number, true, false or null.
bool Scanner::scalar()
{
    if (p_ == end_)
        return false;
    switch (*p_) {
    case '"':
        return string(nullptr);
    case 't':
        return literal("true");
    case 'f':
        return literal("false");
    case 'n':
        return literal("null");
    default:
        return number();
    }
}

bool Scanner::literal(std::string_view word)
{
    if (std::string_view(p_, end_ - p_).substr(0, word.size()) != word)
        return false;
    p_ += word.size();
    return true;
}

// At '"': the string, decoded into text if text is not null.
bool Scanner::string(std::string* text)
{
    ++p_;
    for (;;) {
        const char* run = p_;
        while (p_ != end_ && static_cast<unsigned char>(*p_) >= 0x20 && *p_ != '"' && *p_ != '\\' &&
               static_cast<unsigned char>(*p_) < 0x80)
            ++p_;
        put(text, run, p_ - run);
        if (p_ == end_)
            return false;
        unsigned char c = static_cast<unsigned char>(*p_);
        if (c == '"') {
            ++p_;
            return true;
        }
        // A control character is no lead byte either: it must be escaped.
        if (!(c == '\\' ? escape(text) : utf8_sequence(text)))
            return false;
    }
}

// At a lead byte: one well-formed UTF-8 sequence (Unicode's table 3-7: no
// overlong forms, no surrogates, nothing above U+10FFFF).
bool Scanner::utf8_sequence(std::string* text)
{
    unsigned char lead = static_cast<unsigned char>(*p_);
    int follow;
    unsigned char low = 0x80, high = 0xbf; // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        follow = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        follow = 2;
        if (lead == 0xe0)
            low = 0xa0;
        else if (lead == 0xed)
            high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        follow = 3;
        if (lead == 0xf0)
            low = 0x90;
        else if (lead == 0xf4)
            high = 0x8f;
    } else {
        return false;
    }
    if (end_ - p_ <= follow)
        return false;
    for (int i = 1; i <= follow; ++i) {
        unsigned char c = static_cast<unsigned char>(p_[i]);
        if (c < (i == 1 ? low : 0x80) || c > (i == 1 ? high : 0xbf))
            return false;
    }
    put(text, p_, follow + 1);
    p_ += follow + 1;
    return true;
}

bool Scanner::hex4(unsigned& code)
{
    if (end_ - p_ < 4)
        return false;
    code = 0;
    for (int i = 0; i < 4; ++i) {
        char c = *p_++;
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return false;
        code = code * 16 + digit;
    }
    return true;
}

// code in UTF-8 at out: its length.
static std::size_t encode_utf8(unsigned code, char* out)
{
    if (code < 0x80) {
        out[0] = static_cast<char>(code);
        return 1;
    }
    if (code < 0x800) {
        out[0] = static_cast<char>(0xc0 | code >> 6);
        out[1] = static_cast<char>(0x80 | (code & 0x3f));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = static_cast<char>(0xe0 | code >> 12);
        out[1] = static_cast<char>(0x80 | (code >> 6 & 0x3f));
        out[2] = static_cast<char>(0x80 | (code & 0x3f));
        return 3;
    }
    out[0] = static_cast<char>(0xf0 | code >> 18);
    out[1] = static_cast<char>(0x80 | (code >> 12 & 0x3f));
    out[2] = static_cast<char>(0x80 | (code >> 6 & 0x3f));
    out[3] = static_cast<char>(0x80 | (code & 0x3f));
    return 4;
}

// At '\\': one escape; a \u high surrogate must be followed by a \u low one.
bool Scanner::escape(std::string* text)
{
    if (end_ - p_ < 2)
        return false;
    char c = p_[1];
    p_ += 2;
    static constexpr std::string_view from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
    if (std::size_t i = from.find(c); i != std::string_view::npos) {
        put(text, &to[i], 1);
        return true;
    }
    unsigned code;
    if (c != 'u' || !hex4(code))
        return false;
    if (code >= 0xdc00 && code <= 0xdfff)
        return false;
    if (code >= 0xd800 && code <= 0xdbff) {
        unsigned low;
        if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
            return false;
        p_ += 2;
        if (!hex4(low) || low < 0xdc00 || low > 0xdfff)
            return false;
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
    }
    char utf8[4];
    put(text, utf8, encode_utf8(code, utf8));
    return true;
}

// One digit or more.
bool Scanner::digits()
{
    const char* start = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9')
        ++p_;
    return p_ != start;
}

// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, whose value is finite as a
// double (as nlohmann::json requires; an underflow to zero is fine).
bool Scanner::number()
{
    const char* start = p_;
    if (at('-'))
        ++p_;
    const char* int_start = p_;
    if (at('0'))
        ++p_;
    else if (!digits())
        return false;
    std::size_t int_digits = p_ - int_start;
    bool plain = true; // an integer
    if (at('.')) {
        ++p_;
        if (!digits())
            return false;
        plain = false;
    }
    if (at('e') || at('E')) {
        ++p_;
        if (at('+') || at('-'))
            ++p_;
        if (!digits())
            return false;
        plain = false;
    }
    if (plain && int_digits <= 19)
        return true; // within 10^19: an exact integer or a finite double
    double value;
    auto [ptr, ec] = std::from_chars(start, p_, value);
    if (ec != std::errc::result_out_of_range)
        return ec == std::errc() && ptr == p_;
    // Out of range: an overflow (rejected) if the magnitude is at least 1.
    // Where does the first significant digit stand, as a power of ten?
    long magnitude = 0;
    bool seen = false, fraction = false;
    const char* q = *start == '-' ? start + 1 : start;
    for (; q != p_ && *q != 'e' && *q != 'E'; ++q) {
        if (*q == '.') {
            fraction = true;
        } else if (!seen && *q == '0') {
            if (fraction)
                --magnitude;
        } else if (!seen) {
            seen = true;
            magnitude += fraction ? -1 : 0;
        } else if (!fraction) {
            ++magnitude;
        }
    }
    if (q != p_) {
        // Capped beyond what the digits can shift, which keeps the sign of
        // the sum.
        const long cap = static_cast<long>(q - start) + 1000;
        long exponent = 0;
        bool negative = q[1] == '-';
        for (const char* d = q + 1; d != p_; ++d)
            if (*d >= '0' && *d <= '9' && exponent < cap)
                exponent = exponent * 10 + (*d - '0');
        magnitude += negative ? -exponent : exponent;
    }
    return seen && magnitude < 0;
}

} // namespace

std::optional<std::string> kernel_line_type(std::string_view line)
{
    return Scanner(line).object_type();
}

} // namespace klua::cli
