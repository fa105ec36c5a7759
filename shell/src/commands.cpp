// SPDX-License-Identifier: GPL-2.0-only
#include "commands.h"

#include "execute.h"
#include "script.h"
#include "signals.h"

namespace klua::cli {

const Client* Runtime::client(std::string_view state)
{
    if (!client_) {
        Result<Client> client = Client::connect();
        if (!client) {
            output_.error(state, client.error());
            return nullptr;
        }
        client_.emplace(std::move(*client));
    }
    return &*client_;
}

// Reports error about state and fails.
static Status fail(Runtime& rt, std::string_view state, const Error& error)
{
    rt.output().error(state, error);
    return Status::failed;
}

Status state_create(const Invocation& inv, Runtime& rt)
{
    const std::string& name = inv.operands[0];
    const Client* client = rt.client(name);
    if (!client)
        return Status::failed;
    Result<std::string> created =
        client->create(name, {inv.memory, inv.instructions, inv.time_limit, inv.context});
    if (!created)
        return fail(rt, name, created.error());
    rt.output().created(*created);
    return Status::ok;
}

Status state_list(const Invocation&, Runtime& rt)
{
    const Client* client = rt.client();
    if (!client)
        return Status::failed;
    Result<std::vector<StateInfo>> states = client->list();
    if (!states)
        return fail(rt, "", states.error());
    rt.output().states(*states);
    return Status::ok;
}

Status state_destroy(const Invocation& inv, Runtime& rt)
{
    const std::string& name = inv.operands[0];
    const Client* client = rt.client(name);
    if (!client)
        return Status::failed;
    if (Result<void> r = client->destroy(name); !r)
        return fail(rt, name, r.error());
    return Status::ok;
}

Status run(const Invocation& inv, Runtime& rt)
{
    const std::string& state = *inv.state;
    // Read everything first: nothing runs if a script cannot be read.
    std::vector<Chunk> chunks;
    for (const std::string& code : inv.chunks)
        chunks.push_back(command_line_chunk(code));
    if (!inv.operands.empty()) {
        std::span<const std::string> args(inv.operands.begin() + 1, inv.operands.end());
        Result<Chunk> script = load_script(inv.operands[0], args);
        if (!script)
            return fail(rt, state, script.error());
        chunks.push_back(std::move(*script));
    }

    // Set up when the first chunk passes the local checks.
    SyntaxChecker checker;
    const Client* client = nullptr;
    std::optional<Connection> conn;
    std::unique_ptr<SignalFd> signals;
    std::unique_ptr<InterruptForwarder> forwarder;
    for (const Chunk& chunk : chunks) {
        if (forwarder && forwarder->interrupted())
            return fail(rt, state, Error{ErrorKind::interrupted, "interrupted"});
        if (Result<void> r = check_chunk(chunk, checker); !r)
            return fail(rt, state, r.error());
        if (!client) {
            client = rt.client(state);
            if (!client)
                return Status::failed;
            Result<Connection> opened_conn = client->open();
            if (!opened_conn)
                return fail(rt, state, opened_conn.error());
            conn.emplace(std::move(*opened_conn));
            Result<std::unique_ptr<SignalFd>> opened = SignalFd::open();
            if (!opened)
                return fail(rt, state, opened.error());
            signals = std::move(*opened);
            Result<std::unique_ptr<InterruptForwarder>> started =
                InterruptForwarder::start(*signals, [client, &state, port = conn->port()] {
                    // The running chunk fails with kind "interrupted" (only
                    // this klua's, not another one's in the same state).
                    (void)client->interrupt(state, port);
                });
            if (!started)
                return fail(rt, state, started.error());
            forwarder = std::move(*started);
        }
        if (run_chunk(*conn, rt.output(), state, chunk) == Status::failed)
            return Status::failed;
    }
    return Status::ok;
}

Status watch(const Invocation& inv, Runtime& rt)
{
    const std::string& state = *inv.state;
    const Client* client = rt.client(state);
    if (!client)
        return Status::failed;
    Result<std::unique_ptr<SignalFd>> signals = SignalFd::open();
    if (!signals)
        return fail(rt, state, signals.error());
    Result<Subscription> subscription = client->subscribe(state);
    if (!subscription)
        return fail(rt, state, subscription.error());

    // Errors of the state's callbacks are shown, but they are events, not
    // failures of the watch: Ctrl-C ends a watch with success unless the
    // kernel broke the protocol.
    // The kernel's last event of a state, "end", ends the watch too.
    bool invalid = false;
    WatchStop stop(**signals);
    EventHandlers handlers;
    handlers.on_line = [&](std::string_view line) {
        LineKind kind = rt.output().kernel_line(line, state);
        if (kind == LineKind::invalid)
            invalid = true;
        else if (kind == LineKind::end)
            stop.end();
    };
    handlers.on_overrun = [&] { rt.output().overrun(state); };
    Result<void> r = subscription->receive(handlers, stop);
    // Best effort: the kernel also forgets a subscriber whose socket closes.
    (void)client->unsubscribe(*subscription);
    if (!r)
        return fail(rt, state, r.error());
    return invalid ? Status::failed : Status::ok;
}

} // namespace klua::cli
