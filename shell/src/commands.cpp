// SPDX-License-Identifier: GPL-2.0-only
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "commands.h"

#include "protocol.h"
#include "script.h"
#include "signals.h"
#include "syntax.h"

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
    Result<std::string> created = client->create(name, {inv.memory, inv.instructions});
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

// Checks a chunk locally: its size, and its syntax with userspace Lua.
static Result<void> check_chunk(const Chunk& chunk)
{
    if (Result<void> r = check_chunk_size(chunk.code); !r)
        return r;
    if (std::optional<std::string> message = find_syntax_error(chunk.code, chunk.name))
        return Error{ErrorKind::syntax, *message};
    return {};
}

// Runs one chunk; it fails on an error line, an invalid line or a failed
// request, after reporting it.
static Status run_chunk(const Client& client, Runtime& rt, const std::string& state,
                        const Chunk& chunk)
{
    Status status = Status::ok;
    Result<void> r = client.exec({state, chunk.code, chunk.name}, [&](std::string_view line) {
        LineKind kind = rt.output().kernel_line(line, state);
        if (kind == LineKind::error || kind == LineKind::invalid)
            status = Status::failed;
    });
    if (!r)
        return fail(rt, state, r.error());
    return status;
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
    const Client* client = nullptr;
    std::unique_ptr<SignalFd> signals;
    std::unique_ptr<InterruptForwarder> forwarder;
    for (const Chunk& chunk : chunks) {
        if (forwarder && forwarder->interrupted())
            return fail(rt, state, Error{ErrorKind::interrupted, "interrupted"});
        if (Result<void> r = check_chunk(chunk); !r)
            return fail(rt, state, r.error());
        if (!client) {
            client = rt.client(state);
            if (!client)
                return Status::failed;
            Result<std::unique_ptr<SignalFd>> opened = SignalFd::open();
            if (!opened)
                return fail(rt, state, opened.error());
            signals = std::move(*opened);
            Result<std::unique_ptr<InterruptForwarder>> started =
                InterruptForwarder::start(*signals, [client, &state] {
                    // The running chunk fails with kind "interrupted".
                    (void)client->interrupt(state);
                });
            if (!started)
                return fail(rt, state, started.error());
            forwarder = std::move(*started);
        }
        if (run_chunk(*client, rt, state, chunk) == Status::failed)
            return Status::failed;
    }
    return Status::ok;
}

namespace {

// Ends a watch on Ctrl-C, or when the kernel says the state ended: polls an
// epoll set of the signal fd and an eventfd raised by end().
class WatchEnd : public Interrupter {
  public:
    explicit WatchEnd(Interrupter& signals)
        : signals_(signals), epoll_(epoll_create1(EPOLL_CLOEXEC)),
          event_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    {
        add(signals_.fd());
        add(event_);
    }
    WatchEnd(const WatchEnd&) = delete;
    WatchEnd& operator=(const WatchEnd&) = delete;
    ~WatchEnd() override
    {
        close(epoll_);
        close(event_);
    }
    int fd() const override { return epoll_; }
    bool take() override
    {
        uint64_t n = 0;
        bool ended = read(event_, &n, sizeof n) == sizeof n;
        bool interrupted = signals_.take();
        return ended || interrupted;
    }
    void end()
    {
        uint64_t one = 1;
        if (write(event_, &one, sizeof one) < 0)
            return; // the counter is already raised
    }

  private:
    void add(int fd)
    {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
    }
    Interrupter& signals_;
    int epoll_;
    int event_;
};

} // namespace

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
    WatchEnd ending(**signals);
    EventHandlers handlers;
    handlers.on_line = [&](std::string_view line) {
        if (rt.output().kernel_line(line, state) == LineKind::invalid)
            invalid = true;
        if (line.starts_with(R"({"type":"end",)"))
            ending.end();
    };
    handlers.on_overrun = [&] { rt.output().overrun(state); };
    Result<void> r = subscription->receive(handlers, ending);
    // Best effort: the kernel also forgets a subscriber whose socket closes.
    (void)client->unsubscribe(*subscription);
    if (!r)
        return fail(rt, state, r.error());
    return invalid ? Status::failed : Status::ok;
}

} // namespace klua::cli
