// SPDX-License-Identifier: GPL-2.0-only
#include "input.h"

#include <algorithm>
#include <charconv>

namespace klua::repl {

static constexpr std::string_view return_prefix = "return ";
// Lines longer than this get no column: finding it parses the line once a byte.
static constexpr std::size_t max_located_line = 2000;

std::string_view line_of(std::string_view text, std::size_t number)
{
    std::size_t start = 0;
    for (std::size_t n = 1; n < number; ++n) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            return {};
        start = nl + 1;
    }
    std::size_t end = text.find('\n', start);
    return text.substr(start, end == std::string_view::npos ? end : end - start);
}

// The line number in "chunk:LINE: text", and the offset of " text".
static std::optional<std::size_t> message_line(std::string_view message)
{
    for (std::size_t colon = message.find(':'); colon != std::string_view::npos;
         colon = message.find(':', colon + 1)) {
        std::size_t end = message.find(':', colon + 1);
        if (end == std::string_view::npos)
            return std::nullopt;
        std::string_view digits = message.substr(colon + 1, end - colon - 1);
        std::size_t line = 0;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
        if (!digits.empty() && ec == std::errc() && ptr == digits.data() + digits.size())
            return line;
    }
    return std::nullopt;
}

// The token of "... near 'TOKEN'", if the message ends so.
static std::optional<std::string_view> message_token(std::string_view message)
{
    static constexpr std::string_view near = " near '";
    std::size_t at = message.rfind(near);
    if (at == std::string_view::npos || !message.ends_with('\''))
        return std::nullopt;
    std::size_t start = at + near.size();
    return message.substr(start, message.size() - 1 - start);
}

std::optional<ErrorPlace> locate_syntax_error(SyntaxChecker& checker, std::string_view code,
                                              const std::string& chunk_name,
                                              std::string_view message)
{
    std::optional<std::size_t> line = message_line(message);
    if (!line || *line == 0)
        return std::nullopt;
    ErrorPlace place{*line, std::nullopt};
    std::string_view text = line_of(code, *line);
    if (text.size() > max_located_line)
        return place;
    std::size_t line_start = static_cast<std::size_t>(text.data() - code.data());
    if (text.data() < code.data() || line_start > code.size())
        return place;
    // The shortest prefix that fails the same way ends with the token (or
    // with the line break that ended it: an unfinished string).
    std::size_t last = std::min(line_start + text.size() + 1, code.size());
    for (std::size_t end = line_start + 1; end <= last; ++end) {
        std::optional<SyntaxError> e = checker.check(code.substr(0, end), chunk_name);
        if (!e || e->message != message)
            continue;
        std::size_t token_end = std::min(end - line_start, text.size());
        std::size_t column = token_end - 1;
        if (std::optional<std::string_view> token = message_token(message);
            token && token->size() <= token_end &&
            text.substr(token_end - token->size(), token->size()) == *token)
            column = token_end - token->size();
        place.column = column;
        break;
    }
    return place;
}

std::string caret_under(std::string_view source_line, std::size_t column)
{
    std::string out;
    for (std::size_t i = 0; i < column && i < source_line.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(source_line[i]);
        if (c == '\t')
            out += '\t';
        else if ((c & 0xc0) != 0x80) // not a UTF-8 continuation byte
            out += ' ';
    }
    return out + "^";
}

// True if buffer starts with a keyword that no expression starts with: then
// "return " .. buffer cannot compile, and one parse is saved.
static bool starts_as_statement(std::string_view buffer)
{
    static constexpr std::string_view keywords[] = {"local",  "if", "for",  "while", "repeat",
                                                    "return", "do", "goto", "break"};
    std::size_t start = buffer.find_first_not_of(" \t\r\n\f\v");
    if (start == std::string_view::npos)
        return false;
    buffer.remove_prefix(start);
    if (buffer.starts_with("::"))
        return true;
    std::size_t end = 0;
    while (end < buffer.size() &&
           ((buffer[end] >= 'a' && buffer[end] <= 'z') ||
            (buffer[end] >= 'A' && buffer[end] <= 'Z') ||
            (buffer[end] >= '0' && buffer[end] <= '9') || buffer[end] == '_'))
        ++end;
    std::string_view word = buffer.substr(0, end);
    return std::find(std::begin(keywords), std::end(keywords), word) != std::end(keywords);
}

// The offset of a place in text, for comparing how far two parses got.
static std::size_t offset_of(std::string_view text, const ErrorPlace& place)
{
    std::string_view line = line_of(text, place.line);
    std::size_t start = line.data() >= text.data() ? line.data() - text.data() : 0;
    return start + place.column.value_or(0);
}

Classified InputClassifier::classify(std::string_view buffer)
{
    Classified result;
    if (buffer.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos)
        return result;
    bool statement_only = starts_as_statement(buffer);
    std::string expression;
    std::optional<SyntaxError> as_expression;
    if (!statement_only) {
        expression.reserve(return_prefix.size() + buffer.size());
        expression.append(return_prefix).append(buffer);
        as_expression = checker_.check(expression, chunk_name_);
        if (!as_expression) {
            result.kind = InputKind::expression;
            result.code = std::move(expression);
            return result;
        }
    }
    std::optional<SyntaxError> as_statement = checker_.check(buffer, chunk_name_);
    if (!as_statement) {
        result.kind = InputKind::statement;
        result.code = std::string(buffer);
        return result;
    }
    if (as_statement->at_eof) {
        result.kind = InputKind::incomplete;
        result.message = std::move(as_statement->message);
        return result;
    }
    if (statement_only) {
        result.kind = InputKind::error;
        result.message = std::move(as_statement->message);
        result.place = locate_syntax_error(checker_, buffer, chunk_name_, result.message);
        return result;
    }
    if (as_expression->at_eof) {
        result.kind = InputKind::incomplete;
        result.message = std::move(as_statement->message);
        return result;
    }
    // Report the parse that got further: "1 + + 2" is a bad expression
    // rather than a statement that cannot start with 1.
    result.kind = InputKind::error;
    std::optional<ErrorPlace> statement_place =
        locate_syntax_error(checker_, buffer, chunk_name_, as_statement->message);
    std::optional<ErrorPlace> expression_place =
        locate_syntax_error(checker_, expression, chunk_name_, as_expression->message);
    if (expression_place && expression_place->column && expression_place->line == 1) {
        if (*expression_place->column < return_prefix.size())
            expression_place->column.reset(); // in the added "return"
        else
            *expression_place->column -= return_prefix.size();
    }
    bool expression_wins =
        expression_place && expression_place->column && statement_place &&
        statement_place->column &&
        offset_of(buffer, *expression_place) > offset_of(buffer, *statement_place);
    if (expression_wins) {
        result.message = std::move(as_expression->message);
        result.place = expression_place;
    } else {
        result.message = std::move(as_statement->message);
        result.place = statement_place;
    }
    return result;
}

} // namespace klua::repl
