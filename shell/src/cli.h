// SPDX-License-Identifier: GPL-2.0-only
// The command line: one table of options and one table of commands drive
// parsing, dispatch and --help.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace klua::cli {

// What a command gives main, which turns it into the exit code (a usage
// error, exit code 2, comes from parse_args).
enum class Status { ok, failed };

// Option ids, as bits of the set of options a command accepts.
namespace opt {
inline constexpr unsigned state = 1u << 0;
inline constexpr unsigned execute = 1u << 1;
inline constexpr unsigned json = 1u << 2;
inline constexpr unsigned watch = 1u << 3;
inline constexpr unsigned memory = 1u << 4;
inline constexpr unsigned instructions = 1u << 5;
inline constexpr unsigned help = 1u << 6;
inline constexpr unsigned version = 1u << 7;
inline constexpr unsigned interactive = 1u << 8;
inline constexpr unsigned time = 1u << 9;
inline constexpr unsigned context = 1u << 10;
} // namespace opt

struct OptionSpec {
    unsigned id;
    char short_name; // 0 if none
    std::string_view long_name;
    std::string_view argument; // "" for a flag
    std::string_view help;
};

struct Invocation;
class Runtime;
using Handler = Status (*)(const Invocation&, Runtime&);

struct CommandSpec {
    // "state create", ...; "run" and "watch" are the forms without a word.
    std::string_view name;
    std::string_view usage; // synopsis lines, each after "klua "
    std::string_view summary;
    std::size_t min_operands;
    std::size_t max_operands;
    unsigned options; // the options it accepts
    Handler handler;
};

std::span<const OptionSpec> option_table();
std::span<const CommandSpec> command_table();

struct Invocation {
    // None for --help, --version, or the interactive shell alone.
    const CommandSpec* command = nullptr;
    bool help = false;
    bool version = false;
    bool json = false;
    bool watch = false;
    // The interactive shell, after the chunks of a "run" command if any.
    bool interactive = false;
    std::optional<std::string> state;
    std::vector<std::string> chunks;   // -e, in order
    std::vector<std::string> operands; // a state command's NAME; run's FILE and ARGS
    std::optional<uint64_t> memory;
    std::optional<uint64_t> instructions;
    std::optional<uint64_t> time_limit; // ns
    std::optional<uint8_t> context;     // enum klua_context
};

// Usage errors come back as ErrorKind::usage. Without a command, -e or FILE,
// the script is read from stdin unless stdin is a terminal or -i is given:
// then the invocation has no command and is interactive. -i with -e or FILE
// is a "run" command that is interactive too.
Result<Invocation> parse_args(std::span<const std::string_view> args, bool stdin_is_terminal);

std::string help_text();
std::string usage_text();
std::string version_text();

} // namespace klua::cli
