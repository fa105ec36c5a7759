// SPDX-License-Identifier: GPL-2.0-only
#include "cli.h"

#include <algorithm>
#include <limits>

#include <uapi/klua.h>

#include "commands.h"
#include "protocol.h"
#include "units.h"

#ifndef KLUA_VERSION
#define KLUA_VERSION "unknown"
#endif

namespace klua::cli {

static constexpr OptionSpec options[] = {
    {opt::state, 's', "state", "NAME", "the state to run chunks in, or to watch"},
    {opt::execute, 'e', "execute", "CHUNK", "run CHUNK (repeatable; chunks run in order)"},
    {opt::watch, 0, "watch", "", "stream the state's events until Ctrl-C"},
    {opt::interactive, 'i', "interactive", "", "enter the interactive shell, after -e and FILE"},
    {opt::json, 0, "json", "", "print NDJSON: one {\"type\", \"state\", \"data\"} object a line"},
    {opt::memory, 0, "memory", "BYTES",
     "memory limit of a new state; k, m, g suffixes (1024-based)"},
    {opt::instructions, 0, "instructions", "N",
     "VM instructions a new state may run per invocation"},
    {opt::time, 0, "time", "DURATION",
     "wall-clock time limit of each run of a new state: 500ms, 2s, 1m"},
    {opt::context, 0, "context", "CONTEXT",
     "where a new state's hooks may fire: softirq (timers, packets; the default)\n"
     "or hardirq (probes too; the state runs with interrupts off)"},
    {opt::help, 'h', "help", "", "show this help"},
    {opt::version, 0, "version", "", "show the version"},
};

static constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();

// The options of the interactive shell alone (klua [-i] [-s NAME] [--json]).
static constexpr unsigned interactive_options = opt::state | opt::json | opt::interactive;

static constexpr CommandSpec commands[] = {
    {"state create",
     "state create NAME [--memory BYTES] [--instructions N] [--time DURATION]\n"
     "             [--context softirq|hardirq]",
     "create a state (prints nothing; with --json, a \"created\" line)", 1, 1,
     opt::json | opt::memory | opt::instructions | opt::time | opt::context, state_create},
    {"state list", "state list [--json]",
     "list the states: memory used/limit, peak, instruction and time limits, runs,\n"
     "errors, time, hold peak (the longest a run held its CPU), hooks; then their\n"
     "hooks: kind, target, runs, errors, missed",
     0, 0, opt::json, state_list},
    {"state destroy", "state destroy NAME", "destroy a state", 1, 1, opt::json, state_destroy},
    {"run", "-s NAME -e CHUNK [-e CHUNK]...\n-s NAME FILE [ARGS...]",
     "run each chunk, then the script FILE (- for stdin), in the state; stop at the first\n"
     "error. The script sees its path and ARGS in the local table arg. Ctrl-C interrupts\n"
     "the running chunk; a second Ctrl-C quits at once. With -i, the interactive shell\n"
     "follows",
     0, unlimited, opt::state | opt::execute | opt::json | opt::interactive, run},
    {"watch", "-s NAME --watch [--json]",
     "stream the state's events (print, errors of callbacks, lost counts) until Ctrl-C", 0, 0,
     opt::state | opt::watch | opt::json, watch},
};

std::span<const OptionSpec> option_table()
{
    return options;
}

std::span<const CommandSpec> command_table()
{
    return commands;
}

static Error usage(std::string message)
{
    return Error{ErrorKind::usage, std::move(message)};
}

static const OptionSpec* find_option(unsigned id)
{
    for (const OptionSpec& o : options)
        if (o.id == id)
            return &o;
    return nullptr;
}

static std::string option_name(const OptionSpec& o)
{
    return "--" + std::string(o.long_name);
}

static const CommandSpec* find_command(std::string_view name)
{
    for (const CommandSpec& c : commands)
        if (c.name == name)
            return &c;
    return nullptr;
}

// How a command is named in messages.
static std::string shown_command(const CommandSpec& c)
{
    if (c.name == "run")
        return "-e or FILE";
    if (c.name == "watch")
        return "--watch";
    return "'" + std::string(c.name) + "'";
}

static std::string first_usage_line(const CommandSpec& c)
{
    return "klua " + std::string(c.usage.substr(0, c.usage.find('\n')));
}

static Result<void> apply_option(Invocation& inv, const OptionSpec& o, std::string_view value)
{
    switch (o.id) {
    case opt::state:
        inv.state = std::string(value);
        break;
    case opt::execute:
        inv.chunks.emplace_back(value);
        break;
    case opt::watch:
        inv.watch = true;
        break;
    case opt::json:
        inv.json = true;
        break;
    case opt::memory: {
        Result<uint64_t> bytes = parse_size(value);
        if (!bytes)
            return bytes.error();
        inv.memory = *bytes;
        break;
    }
    case opt::instructions: {
        Result<uint64_t> count = parse_count(value);
        if (!count)
            return count.error();
        inv.instructions = *count;
        break;
    }
    case opt::time: {
        Result<uint64_t> ns = parse_duration(value);
        if (!ns)
            return ns.error();
        inv.time_limit = *ns;
        break;
    }
    case opt::context:
        if (value == "softirq")
            inv.context = KLUA_CONTEXT_SOFTIRQ;
        else if (value == "hardirq")
            inv.context = KLUA_CONTEXT_HARDIRQ;
        else
            return Error{ErrorKind::usage,
                         "--context must be softirq or hardirq, not '" + std::string(value) + "'"};
        break;
    case opt::help:
        inv.help = true;
        break;
    case opt::version:
        inv.version = true;
        break;
    case opt::interactive:
        inv.interactive = true;
        break;
    }
    return {};
}

// Reads the option at args[i] (and its argument), advancing i past them.
static Result<void> parse_option(std::span<const std::string_view> args, std::size_t& i,
                                 Invocation& inv, unsigned& seen)
{
    std::string_view arg = args[i];
    const OptionSpec* spec = nullptr;
    std::optional<std::string_view> attached;
    if (arg.starts_with("--")) {
        std::string_view body = arg.substr(2);
        std::size_t eq = body.find('=');
        std::string_view name = body.substr(0, eq);
        if (eq != std::string_view::npos)
            attached = body.substr(eq + 1);
        auto it = std::find_if(std::begin(options), std::end(options),
                               [&](const OptionSpec& o) { return o.long_name == name; });
        if (it == std::end(options))
            return usage("unknown option '--" + std::string(name) + "'");
        spec = &*it;
        if (attached && spec->argument.empty())
            return usage("option '" + option_name(*spec) + "' takes no argument");
    } else {
        auto it = std::find_if(std::begin(options), std::end(options),
                               [&](const OptionSpec& o) { return o.short_name == arg[1]; });
        if (it == std::end(options) || (arg.size() > 2 && it->argument.empty()))
            return usage("unknown option '" + std::string(arg) + "'");
        spec = &*it;
        if (arg.size() > 2)
            attached = arg.substr(2);
    }
    std::string_view value;
    if (!spec->argument.empty()) {
        if (attached)
            value = *attached;
        else if (i + 1 < args.size())
            value = args[++i];
        else
            return usage("option '" + option_name(*spec) + "' needs an argument (" +
                         std::string(spec->argument) + ")");
    }
    seen |= spec->id;
    ++i;
    return apply_option(inv, *spec, value);
}

Result<Invocation> parse_args(std::span<const std::string_view> args, bool stdin_is_terminal)
{
    Invocation inv;
    unsigned seen = 0;
    std::vector<std::string> positional;
    // After "--", or after a script's FILE: the rest are operands.
    bool only_operands = false;
    for (std::size_t i = 0; i < args.size();) {
        std::string_view arg = args[i];
        if (only_operands || arg.size() < 2 || arg[0] != '-') {
            positional.emplace_back(arg);
            if (!only_operands && positional.size() == 1 && arg != "state")
                only_operands = true;
            ++i;
            continue;
        }
        if (arg == "--") {
            only_operands = true;
            ++i;
            continue;
        }
        if (Result<void> r = parse_option(args, i, inv, seen); !r)
            return r.error();
    }
    if (inv.help || inv.version)
        return inv;

    std::string name;
    std::vector<std::string> operands;
    if (!positional.empty() && positional[0] == "state") {
        if (positional.size() < 2)
            return usage("'state' needs a command: create, list or destroy");
        name = "state " + positional[1];
        operands.assign(positional.begin() + 2, positional.end());
        if (!find_command(name))
            return usage("unknown command '" + name + "'");
    } else if (inv.watch) {
        name = "watch";
        operands = std::move(positional);
    } else if (!inv.chunks.empty() || !positional.empty() ||
               (!stdin_is_terminal && !inv.interactive)) {
        name = "run";
        operands = std::move(positional);
        if (operands.empty() && inv.chunks.empty())
            operands.emplace_back("-");
    } else {
        // Nothing to run: the interactive shell.
        if (unsigned extra = seen & ~interactive_options) {
            const OptionSpec* o = find_option(extra & -extra);
            return usage("option '" + option_name(*o) +
                         "' cannot be used with the interactive shell");
        }
        if (inv.state)
            if (Result<void> r = validate_state_name(*inv.state); !r)
                return r.error();
        inv.interactive = true;
        return inv;
    }
    const CommandSpec& cmd = *find_command(name);

    if (unsigned extra = seen & ~cmd.options) {
        const OptionSpec* o = find_option(extra & -extra);
        return usage("option '" + option_name(*o) + "' cannot be used with " + shown_command(cmd));
    }
    if (operands.size() < cmd.min_operands)
        return usage("missing NAME: " + first_usage_line(cmd));
    if (operands.size() > cmd.max_operands)
        return usage("unexpected argument '" + operands[cmd.max_operands] + "' for " +
                     shown_command(cmd));
    if (cmd.options & opt::state) {
        if (!inv.state)
            return usage("missing -s NAME: the state to " +
                         std::string(name == "watch" ? "watch" : "run in"));
        if (Result<void> r = validate_state_name(*inv.state); !r)
            return r.error();
    }
    if (cmd.min_operands > 0 && cmd.name.starts_with("state "))
        if (Result<void> r = validate_state_name(operands[0]); !r)
            return r.error();

    inv.command = &cmd;
    inv.operands = std::move(operands);
    return inv;
}

std::string usage_text()
{
    std::string text = "Usage:\n";
    for (const CommandSpec& c : commands) {
        std::string_view lines = c.usage;
        for (std::size_t start = 0; start <= lines.size();) {
            std::size_t nl = lines.find('\n', start);
            text += "  klua " + std::string(lines.substr(start, nl - start)) + "\n";
            if (nl == std::string_view::npos)
                break;
            start = nl + 1;
        }
    }
    text += "  klua [-i] [-s NAME] [--json]\n";
    text += "  klua --help | --version\n";
    return text;
}

static constexpr std::string_view interactive_summary =
    "the interactive shell (the default on a terminal): Lua lines run in the state NAME,\n"
    "expressions show their value; .help lists the commands (.use, .create, .load, ...)";

static std::string indent(std::string_view text, std::string_view by)
{
    std::string out;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t nl = text.find('\n', start);
        out += std::string(by) + std::string(text.substr(start, nl - start)) + "\n";
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    return out;
}

std::string help_text()
{
    std::string text = "klua: run Lua in the kernel's named klua states.\n\n";
    text += "Usage:\n";
    for (const CommandSpec& c : commands) {
        text += indent(c.usage, "  klua ");
        text += indent(c.summary, "      ");
    }
    text += "  klua [-i] [-s NAME] [--json]\n";
    text += indent(interactive_summary, "      ");
    text += "  klua --help | --version\n\nOptions:\n";
    for (const OptionSpec& o : options) {
        std::string left = o.short_name ? std::string("-") + o.short_name + ", " : "    ";
        left += "--" + std::string(o.long_name);
        if (!o.argument.empty())
            left += " " + std::string(o.argument);
        if (left.size() < 24)
            left.resize(24, ' ');
        else
            left += "  ";
        text += "  " + left + std::string(o.help) + "\n";
    }
    text += "\nState names are 1 to " + std::to_string(KLUA_NAME_MAX) +
            " characters of A-Z a-z 0-9 _ . -\n"
            "A chunk may have at most " +
            std::to_string(max_chunk_bytes) +
            " bytes.\n"
            "Exit status: 0 success, 1 a Lua or kernel error, 2 a usage error.\n";
    return text;
}

std::string version_text()
{
    return "klua " KLUA_VERSION " (protocol version " + std::to_string(KLUA_GENL_VERSION) + ")\n";
}

} // namespace klua::cli
