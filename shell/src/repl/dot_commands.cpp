// SPDX-License-Identifier: GPL-2.0-only
#include "dot_commands.h"

#include <algorithm>

#include "handlers.h"

namespace klua::repl {

static constexpr DotCommand commands[] = {
    {".help", "[COMMAND]", "show the commands, or one command's help", 0, 1, Completes::command,
     cmd_help},
    {".states", "", "list the states and their hooks", 0, 0, Completes::nothing, cmd_states},
    {".hooks", "[NAME]",
     "list the hooks of state NAME (the current state by default, else of every state): "
     "kind, target, runs, errors, and events missed while the state was busy",
     0, 1, Completes::state, cmd_hooks},
    {".use", "NAME", "switch to state NAME: Lua runs there, and its events show above the prompt",
     1, 1, Completes::state, cmd_use},
    {".create", "NAME [MEMORY] [INSTRUCTIONS] [TIME]",
     "create state NAME and switch to it; MEMORY is its memory limit in bytes (k, m, g "
     "suffixes), INSTRUCTIONS and TIME (500ms, 2s, 1m) what a run may take",
     1, 4, Completes::nothing, cmd_create},
    {".destroy", "[NAME]", "destroy state NAME (the current state by default)", 0, 1,
     Completes::state, cmd_destroy},
    {".load", "FILE [ARGS...]",
     "run the script FILE in the current state, with ARGS in its table arg", 1, 64, Completes::file,
     cmd_load},
    {".json", "[on|off]", "show results as the kernel's NDJSON lines", 0, 1, Completes::on_off,
     cmd_json},
    {".timing", "[on|off]", "show the round-trip time of each chunk", 0, 1, Completes::on_off,
     cmd_timing},
    {".watch", "[NAME]", "stream the events of the state (current by default) until Ctrl-C", 0, 1,
     Completes::state, cmd_watch},
    {".quit", "", "leave klua (Ctrl-D on an empty line too)", 0, 0, Completes::nothing, cmd_quit},
};

std::span<const DotCommand> dot_commands()
{
    return commands;
}

bool is_dot_command(std::string_view line)
{
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] != '.' || start + 1 >= line.size())
        return false;
    char c = line[start + 1];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

const DotCommand* find_dot_command(std::string_view name)
{
    if (!name.starts_with('.'))
        return find_dot_command("." + std::string(name));
    for (const DotCommand& c : commands)
        if (c.name == name)
            return &c;
    const DotCommand* found = nullptr;
    for (const DotCommand& c : commands) {
        if (!c.name.starts_with(name))
            continue;
        if (found)
            return nullptr; // ambiguous
        found = &c;
    }
    return found;
}

Result<std::vector<std::string>> split_words(std::string_view line)
{
    std::vector<std::string> words;
    std::size_t i = 0;
    for (;;) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i == line.size())
            return words;
        std::string word;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            char quote = line[i];
            if (quote != '"' && quote != '\'') {
                word += line[i++];
                continue;
            }
            ++i;
            for (;;) {
                if (i == line.size())
                    return Error{ErrorKind::usage,
                                 std::string("unfinished quoted argument (") + quote + "...)"};
                if (line[i] == quote)
                    break;
                if (line[i] == '\\' && i + 1 < line.size())
                    ++i;
                word += line[i++];
            }
            ++i;
        }
        words.push_back(std::move(word));
    }
}

Result<DotCall> parse_dot_command(std::string_view line)
{
    Result<std::vector<std::string>> words = split_words(line);
    if (!words)
        return words.error();
    if (words->empty())
        return Error{ErrorKind::usage, "no command"};
    const std::string& name = words->front();
    const DotCommand* command = find_dot_command(name);
    if (!command || !name.starts_with('.'))
        return Error{ErrorKind::usage, "unknown command '" + name + "': .help lists the commands"};
    DotCall call{command, {words->begin() + 1, words->end()}};
    if (call.args.size() < command->min_args || call.args.size() > command->max_args)
        return Error{ErrorKind::usage, "usage: " + dot_usage(*command)};
    return call;
}

std::string dot_usage(const DotCommand& command)
{
    std::string usage(command.name);
    if (!command.args.empty())
        usage += " " + std::string(command.args);
    return usage;
}

// text cut into lines of at most width columns, at blanks.
static std::vector<std::string> wrap(std::string_view text, std::size_t width)
{
    std::vector<std::string> lines;
    std::string line;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find(' ', start);
        std::string_view word = text.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            lines.push_back(std::move(line));
            line.clear();
        }
        line += (line.empty() ? "" : " ") + std::string(word);
        start = end == std::string_view::npos ? text.size() : end + 1;
    }
    if (!line.empty())
        lines.push_back(std::move(line));
    return lines;
}

std::string dot_help()
{
    // Two columns within 79: a usage too long for the first has its summary below.
    constexpr std::size_t usage_width = 18;
    constexpr std::size_t summary_width = 79 - usage_width - 2;
    std::string text;
    for (const DotCommand& c : commands) {
        std::string usage = dot_usage(c);
        std::string pad(usage_width + 2, ' ');
        if (usage.size() > usage_width)
            text += usage + "\n";
        else
            pad.replace(0, usage.size(), usage);
        for (const std::string& line : wrap(c.summary, summary_width)) {
            text += pad + line + "\n";
            pad.assign(usage_width + 2, ' ');
        }
    }
    text += "Lua lines run in the current state; an expression shows its value, and an\n"
            "unfinished chunk continues on the next line. Tab completes commands, states\n"
            "and Lua names. Ctrl-C clears the line or interrupts the running chunk; Ctrl-D\n"
            "on an empty line leaves.";
    return text;
}

} // namespace klua::repl
