// SPDX-License-Identifier: GPL-2.0-only
#include "repl.h"

#include <cstdlib>
#include <iostream>

#include <sys/ioctl.h>
#include <unistd.h>

#include "commands.h" // cli::Runtime
#include "input_source.h"
#include "style.h"

#ifndef KLUA_VERSION
#define KLUA_VERSION "unknown"
#endif

namespace klua::repl {

// Results fit the terminal they go to (80 columns elsewhere).
static cli::RenderLimits render_limits()
{
    cli::RenderLimits limits;
    winsize ws{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        limits.width = ws.ws_col - 1;
    return limits;
}

static History open_history(cli::Output& output)
{
    std::optional<std::string> path =
        history_path(std::getenv("XDG_STATE_HOME"), std::getenv("HOME"));
    History history(path ? std::optional<HistoryFile>(HistoryFile(*path, history_cap))
                         : std::nullopt);
    if (Result<std::vector<std::string>> r = history.load(); !r)
        output.note("klua: no history: " + r.error().message);
    history.on_error = [&output](const Error& e) {
        output.note("klua: the history is not saved: " + e.message);
    };
    return history;
}

// The chunks to run before the input: -e, then the script, all read first.
static Result<std::vector<cli::Chunk>> initial_chunks(const cli::Invocation& inv)
{
    std::vector<cli::Chunk> chunks;
    for (const std::string& code : inv.chunks)
        chunks.push_back(cli::command_line_chunk(code));
    if (!inv.operands.empty()) {
        std::span<const std::string> args(inv.operands.begin() + 1, inv.operands.end());
        Result<cli::Chunk> script = cli::load_script(inv.operands[0], args);
        if (!script)
            return script.error();
        chunks.push_back(std::move(*script));
    }
    return chunks;
}

static void greet(Shell& shell, const std::vector<StateInfo>& states)
{
    shell.output().note("klua " KLUA_VERSION ": .help lists the commands, Ctrl-D leaves");
    if (shell.session().has_state())
        return;
    std::string names;
    for (const StateInfo& s : states)
        names += (names.empty() ? "" : ", ") + s.name;
    shell.output().note("no current state: .use NAME or .create NAME" +
                        (names.empty() ? std::string() : " (states: " + names + ")"));
}

cli::Status run_repl(const cli::Invocation& inv, cli::Runtime& rt)
{
    bool terminal = isatty(STDIN_FILENO) == 1;
    std::string state = inv.state.value_or("");
    const Client* client = rt.client(state);
    if (!client)
        return cli::Status::failed;
    Result<Connection> conn = client->open();
    if (!conn) {
        rt.output().error(state, conn.error());
        return cli::Status::failed;
    }
    // A first request tells at once if klua may be used at all (CAP_NET_ADMIN).
    Result<std::vector<StateInfo>> states = conn->list();
    if (!states) {
        rt.output().error(state, states.error());
        return cli::Status::failed;
    }
    Result<std::unique_ptr<InterruptRouter>> router = InterruptRouter::start(*client);
    if (!router) {
        rt.output().error(state, router.error());
        return cli::Status::failed;
    }
    Session session(*client, std::move(*conn));

    ShellOptions options;
    options.terminal = terminal;
    options.json = inv.json;
    options.text.colors = cli::colors_wanted(STDERR_FILENO);
    options.text.pretty = render_limits();
    options.text.locate_errors = true;
    History history = terminal ? open_history(rt.output()) : History(std::nullopt);
    Shell shell(session, **router, terminal ? &history : nullptr, std::cout, std::cerr, options);
    shell.set_line_flush(isatty(STDOUT_FILENO) == 1);

    if (!state.empty())
        if (Result<void> r = session.use(state); !r) {
            shell.output().error(state, r.error());
            shell.record_failure();
        }
    if (terminal)
        greet(shell, *states);
    Result<std::vector<cli::Chunk>> chunks = initial_chunks(inv);
    if (!chunks) {
        shell.output().error(state, chunks.error());
        shell.record_failure();
    } else {
        for (const cli::Chunk& chunk : *chunks)
            if (shell.run(chunk) != cli::Status::ok)
                break;
    }

    {
        std::unique_ptr<LineInput> input =
            terminal ? make_readline_input(shell, history) : make_plain_input(shell, STDIN_FILENO);
        run_loop(shell, *input, **router);
    }
    shell.flush_output();
    history.save();
    session.leave();
    if ((**router).terminated() || (!terminal && shell.failed()))
        return cli::Status::failed;
    return cli::Status::ok;
}

} // namespace klua::repl
