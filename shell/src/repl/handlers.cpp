// SPDX-License-Identifier: GPL-2.0-only
#include "handlers.h"

#include <cstdint>
#include <optional>

#include "protocol.h"
#include "shell.h"
#include "signals.h"
#include "units.h"

namespace klua::repl {

// Reports error about state and fails.
static CommandStatus fail(Shell& shell, const Error& error, std::string_view state = {})
{
    shell.output().error(state.empty() ? shell.session().state() : state, error);
    return CommandStatus::failed;
}

CommandStatus cmd_help(Shell& shell, std::span<const std::string> args)
{
    if (args.empty()) {
        shell.print(dot_help());
        return CommandStatus::ok;
    }
    const DotCommand* command = find_dot_command(args[0]);
    if (!command)
        return fail(shell, Error{ErrorKind::usage,
                                 "unknown command '" + args[0] + "': .help lists the commands"});
    shell.print(dot_usage(*command) + "\n    " + std::string(command->summary));
    return CommandStatus::ok;
}

CommandStatus cmd_states(Shell& shell, std::span<const std::string>)
{
    Result<std::vector<StateInfo>> states = shell.session().connection().list();
    if (!states)
        return fail(shell, states.error());
    shell.output().states(*states);
    return CommandStatus::ok;
}

CommandStatus cmd_hooks(Shell& shell, std::span<const std::string> args)
{
    Session& session = shell.session();
    // the current state's, or every state's when there is none
    const std::string name = !args.empty() ? args[0] : session.has_state() ? session.state() : "";
    if (!name.empty())
        if (Result<void> r = validate_state_name(name); !r)
            return fail(shell, r.error(), name);
    Result<std::vector<HookInfo>> hooks = session.connection().hooks(name);
    if (!hooks)
        return fail(shell, hooks.error(), name);
    shell.output().hooks(*hooks);
    return CommandStatus::ok;
}

CommandStatus cmd_use(Shell& shell, std::span<const std::string> args)
{
    if (Result<void> r = validate_state_name(args[0]); !r)
        return fail(shell, r.error(), args[0]);
    if (Result<void> r = shell.session().use(args[0]); !r)
        return fail(shell, r.error(), args[0]);
    return CommandStatus::ok;
}

CommandStatus cmd_create(Shell& shell, std::span<const std::string> args)
{
    const std::string& name = args[0];
    if (Result<void> r = validate_state_name(name); !r)
        return fail(shell, r.error(), name);
    CreateOptions options;
    if (args.size() > 1) {
        Result<uint64_t> memory = cli::parse_size(args[1]);
        if (!memory)
            return fail(shell, memory.error(), name);
        options.memory_limit = *memory;
    }
    if (args.size() > 2) {
        Result<uint64_t> instructions = cli::parse_count(args[2]);
        if (!instructions)
            return fail(shell, instructions.error(), name);
        options.instr_limit = *instructions;
    }
    if (args.size() > 3) {
        Result<uint64_t> time = cli::parse_duration(args[3]);
        if (!time)
            return fail(shell, time.error(), name);
        options.time_limit = *time;
    }
    Result<std::string> created = shell.session().connection().create(name, options);
    if (!created)
        return fail(shell, created.error(), name);
    shell.output().created(*created);
    if (Result<void> r = shell.session().use(*created); !r)
        return fail(shell, r.error(), *created);
    return CommandStatus::ok;
}

CommandStatus cmd_destroy(Shell& shell, std::span<const std::string> args)
{
    Session& session = shell.session();
    if (args.empty() && !session.has_state())
        return fail(shell, Error{ErrorKind::usage, "no current state: .destroy NAME"});
    const std::string name = args.empty() ? session.state() : args[0];
    if (Result<void> r = validate_state_name(name); !r)
        return fail(shell, r.error(), name);
    // No "end" event for the state we are leaving anyway.
    bool current = name == session.state();
    if (current)
        session.leave();
    if (Result<void> r = session.connection().destroy(name); !r) {
        if (current)
            (void)session.use(name); // it is still there: stay
        return fail(shell, r.error(), name);
    }
    shell.output().note("state '" + name + "' destroyed");
    return CommandStatus::ok;
}

CommandStatus cmd_load(Shell& shell, std::span<const std::string> args)
{
    // The shell reads its input itself: a script there would be cut up.
    if (args[0] == "-")
        return fail(shell, Error{ErrorKind::usage,
                                 ".load reads a file, not the standard input: the shell reads "
                                 "that itself"});
    Result<cli::Chunk> script = cli::load_script(args[0], args.subspan(1));
    if (!script)
        return fail(shell, script.error());
    return shell.run(*script) == cli::Status::ok ? CommandStatus::ok : CommandStatus::failed;
}

// "on" or "off" in args[0]; nothing if absent; usage error otherwise.
static std::optional<std::optional<bool>> on_off(std::span<const std::string> args)
{
    if (args.empty())
        return std::optional<bool>();
    if (args[0] == "on")
        return std::optional<bool>(true);
    if (args[0] == "off")
        return std::optional<bool>(false);
    return std::nullopt;
}

static CommandStatus toggle(Shell& shell, std::span<const std::string> args, std::string_view name,
                            bool current, void (Shell::*set)(bool))
{
    std::optional<std::optional<bool>> value = on_off(args);
    if (!value)
        return CommandStatus::usage;
    if (!*value) {
        shell.print(std::string(name) + " is " + (current ? "on" : "off"));
        return CommandStatus::ok;
    }
    (shell.*set)(**value);
    return CommandStatus::ok;
}

CommandStatus cmd_json(Shell& shell, std::span<const std::string> args)
{
    return toggle(shell, args, ".json", shell.json(), &Shell::set_json);
}

CommandStatus cmd_timing(Shell& shell, std::span<const std::string> args)
{
    return toggle(shell, args, ".timing", shell.timing(), &Shell::set_timing);
}

CommandStatus cmd_watch(Shell& shell, std::span<const std::string> args)
{
    Session& session = shell.session();
    if (args.empty() && !session.has_state())
        return fail(shell, Error{ErrorKind::usage, "no current state: .watch NAME"});
    const std::string name = args.empty() ? session.state() : args[0];
    if (Result<void> r = validate_state_name(name); !r)
        return fail(shell, r.error(), name);

    cli::WatchStop stop(shell.router());
    bool ended = false;
    EventHandlers handlers;
    handlers.on_line = [&](std::string_view line) {
        cli::LineKind kind = shell.output().kernel_line(line, name);
        shell.flush_output(); // a watch streams, whatever the output is
        if (kind == cli::LineKind::end) {
            ended = true;
            stop.end();
        }
    };
    handlers.on_overrun = [&] { shell.output().overrun(name); };
    // The current state's subscription serves; another state gets one of
    // its own, before the note (a missing state is only an error).
    bool current = name == session.state();
    std::optional<Subscription> own;
    if (!current) {
        Result<Subscription> subscription = session.client().subscribe(name);
        if (!subscription)
            return fail(shell, subscription.error(), name);
        own.emplace(std::move(*subscription));
    }
    shell.output().note("watching '" + name + "': Ctrl-C stops");
    shell.flush_output();
    Result<void> r =
        current ? session.subscription()->receive(handlers, stop) : own->receive(handlers, stop);
    if (own)
        (void)session.client().unsubscribe(*own, 200);
    if (!r)
        return fail(shell, r.error(), name);
    if (ended) {
        shell.output().note("klua: state '" + name + "' ended");
        if (current)
            session.leave();
    }
    return CommandStatus::ok;
}

CommandStatus cmd_quit(Shell& shell, std::span<const std::string>)
{
    shell.quit();
    return CommandStatus::ok;
}

} // namespace klua::repl
