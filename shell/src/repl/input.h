// SPDX-License-Identifier: GPL-2.0-only
// What a buffer of lines typed at the interactive shell is, decided locally
// with userspace Lua before anything is sent, as the lua REPL does: an
// expression (its value is shown), a statement, a chunk that more lines may
// complete, or a syntax error with its place.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "syntax.h"

namespace klua::repl {

enum class InputKind {
    empty,      // only blanks: nothing to run
    incomplete, // Lua wanted more at the end: continue on the next line
    expression, // "return " .. buffer compiles: its values are shown
    statement,  // buffer compiles as it is
    error,      // a syntax error that more lines cannot fix
};

// Where a syntax error is in the buffer.
struct ErrorPlace {
    std::size_t line = 1; // 1-based
    // 0-based byte offset, in that line, of the token Lua complained about.
    std::optional<std::size_t> column;
};

struct Classified {
    InputKind kind = InputKind::empty;
    std::string code;    // what to run: the buffer, or "return " .. buffer
    std::string message; // InputKind::error: Lua's message
    std::optional<ErrorPlace> place;
};

// The chunk name of lines typed at the shell (as lua.c names them).
inline constexpr std::string_view input_chunk_name = "=stdin";

class InputClassifier {
  public:
    explicit InputClassifier(std::string chunk_name = std::string(input_chunk_name))
        : chunk_name_(std::move(chunk_name))
    {
    }

    Classified classify(std::string_view buffer);

  private:
    SyntaxChecker checker_;
    std::string chunk_name_;
};

// The place of the syntax error `message` that code gave: the line from the
// message; the column by finding the shortest prefix of code that fails
// with the same message (it ends with the token Lua complained about).
// Nothing if the message names no line.
std::optional<ErrorPlace> locate_syntax_error(SyntaxChecker& checker, std::string_view code,
                                              const std::string& chunk_name,
                                              std::string_view message);

// Line `number` (1-based) of text, without its "\n" ("" past the end).
std::string_view line_of(std::string_view text, std::size_t number);

// Blanks that line up with byte `column` of source_line (tabs stay tabs, a
// UTF-8 character takes one column), then "^".
std::string caret_under(std::string_view source_line, std::size_t column);

} // namespace klua::repl
