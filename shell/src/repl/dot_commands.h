// SPDX-License-Identifier: GPL-2.0-only
// The dot-commands of the interactive shell: one table drives dispatch,
// .help and completion.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace klua::repl {

class Shell;

// What a command returns: done, failed (reported), or called wrongly (the
// shell shows its usage).
enum class CommandStatus { ok, failed, usage };

// What a command's first argument is, for completion.
enum class Completes { nothing, command, state, file, on_off };

using CommandHandler = CommandStatus (*)(Shell&, std::span<const std::string> args);

struct DotCommand {
    std::string_view name; // with its dot: ".use"
    std::string_view args; // synopsis of the arguments: "NAME"
    std::string_view summary;
    std::size_t min_args;
    std::size_t max_args;
    Completes completes;
    CommandHandler handler;
};

std::span<const DotCommand> dot_commands();

// A line that is a dot-command rather than Lua: a dot, then a letter.
bool is_dot_command(std::string_view line);

// The command called name (the dot may be left out, as in ".help use"), or
// the only one whose name starts with it (".q" is .quit).
const DotCommand* find_dot_command(std::string_view name);

// Words separated by blanks; "..." or '...' keep blanks in a word (file
// names), and \ escapes the next character in them.
Result<std::vector<std::string>> split_words(std::string_view line);

struct DotCall {
    const DotCommand* command = nullptr;
    std::vector<std::string> args;
};

// The command of a line and its arguments; an unknown command, bad quoting
// or a wrong number of arguments is an ErrorKind::usage error.
Result<DotCall> parse_dot_command(std::string_view line);

// ".use NAME"
std::string dot_usage(const DotCommand& command);

// Every command: its usage and summary, aligned.
std::string dot_help();

} // namespace klua::repl
