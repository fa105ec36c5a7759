// SPDX-License-Identifier: GPL-2.0-only
// The klua client: one function per command of the protocol. Client sends
// each request on a socket of its own, so that replies of concurrent clients
// and of concurrent requests never mix; a Connection keeps one socket for a
// sequence of requests from one thread (the interactive shell's), which saves
// opening a socket per request.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "interrupter.h"
#include "ndjson.h"
#include "netlink.h"
#include "result.h"

namespace klua {

// One hook of a state as KLUA_CMD_HOOKS describes it.
struct HookInfo {
    std::string state;
    uint32_t id = 0;      // the handle's: tostring(h) shows it
    std::string kind;     // "timer"
    std::string target;   // what it is attached to: "every 100 ms"
    uint64_t runs = 0;    // callbacks that ran
    uint64_t errors = 0;  // of those, the ones that raised an error
    uint64_t missed = 0;  // events its callback did not run for (the state was busy)
};

// One state as KLUA_CMD_LIST describes it, with its hooks (KLUA_CMD_HOOKS).
struct StateInfo {
    std::string name;
    uint64_t memory_used = 0;
    uint64_t memory_peak = 0;
    uint64_t memory_limit = 0;
    uint64_t instr_limit = 0;
    uint64_t runs = 0;
    uint64_t errors = 0;
    uint64_t time_ns = 0;
    uint32_t timers = 0;
    uint32_t subscribers = 0;
    uint64_t lost = 0;
    uint64_t stack_peak = 0;
    uint64_t time_limit_ns = 0; // 0: a module without time limits
    uint64_t hold_peak_ns = 0;  // longest a run held its CPU with bottom halves off
    uint8_t context = 0;        // enum klua_context (0: a module that does not say)
    uint32_t hook_count = 0;    // hooks attached when the state was listed
    std::vector<HookInfo> hooks; // listed just after: may differ from hook_count
};

struct CreateOptions {
    std::optional<uint64_t> memory_limit;
    std::optional<uint64_t> instr_limit;
    std::optional<uint64_t> time_limit; // ns of wall-clock time per run
    std::optional<uint8_t> context;     // enum klua_context: where its hooks may fire
};

struct ExecRequest {
    std::string_view state;
    std::string_view code;
    std::string_view chunk_name;
    std::span<const std::string> args = {}; // the chunk's ... (a script's arguments)
};

// Receives the NDJSON lines of a state, without their "\n".
using LineHandler = std::function<void(std::string_view line)>;

struct EventHandlers {
    LineHandler on_line;
    // Events were lost between the kernel and this socket.
    std::function<void()> on_overrun;
};

class Subscription;
class Connection;

class Client {
  public:
    // Resolves the klua family.
    static Result<Client> connect();

    // A socket of its own for requests that follow one another.
    Result<Connection> open() const;

    // Returns the name of the new state as the kernel replied it.
    Result<std::string> create(std::string_view name, const CreateOptions& options) const;
    Result<void> destroy(std::string_view name) const;
    Result<std::vector<StateInfo>> list() const;
    Result<StateInfo> describe(std::string_view name) const;
    Result<std::vector<HookInfo>> hooks(std::string_view name = {}) const;
    // Passes each line of the output to on_line as soon as it is complete.
    // The chunk must fit max_chunk_bytes.
    Result<void> exec(const ExecRequest& request, const LineHandler& on_line) const;
    // Interrupts the chunk an EXEC runs in the state: any, or only the one
    // sent from the netlink port (Connection::port()).
    Result<void> interrupt(std::string_view name, std::optional<uint32_t> port = {}) const;
    Result<Subscription> subscribe(std::string_view name) const;
    // Best effort, waits at most timeout_ms for the kernel's answer.
    Result<void> unsubscribe(Subscription& subscription, int timeout_ms = 1000) const;

  private:
    explicit Client(int family) : family_(family) {}

    int family_;
};

// The requests of Client on one socket, one at a time. Replies are matched
// by sequence number, so the leftovers of a request that failed half-way
// never pass for the answer of the next one.
class Connection {
  public:
    Result<std::string> create(std::string_view name, const CreateOptions& options);
    Result<void> destroy(std::string_view name);
    Result<std::vector<StateInfo>> list();
    Result<StateInfo> describe(std::string_view name);
    // The hooks of one state, or of every state (name empty).
    Result<std::vector<HookInfo>> hooks(std::string_view name = {});
    Result<void> exec(const ExecRequest& request, const LineHandler& on_line);
    Result<void> interrupt(std::string_view name, std::optional<uint32_t> port = {});
    // Where this connection's requests come from, for interrupt().
    uint32_t port() const { return sock_.port(); }

  private:
    friend class Client;
    Connection(nl::Socket sock, int family) : sock_(std::move(sock)), family_(family) {}
    Result<void> simple_request(uint8_t cmd, std::string_view name);

    nl::Socket sock_;
    int family_;
};

// A socket that receives the events of one state.
class Subscription {
  public:
    const std::string& state() const { return state_; }
    // Readable when events wait: for callers that poll it with other files.
    int fd() const { return sock_.fd(); }
    // Passes the state's events to handlers until interrupter fires.
    Result<void> receive(const EventHandlers& handlers, Interrupter& interrupter);
    // Passes the events that wait now to handlers, without blocking.
    Result<void> receive_pending(const EventHandlers& handlers);

  private:
    friend class Client;
    Subscription(std::string state, nl::Socket sock, int family)
        : state_(std::move(state)), sock_(std::move(sock)), family_(family)
    {
    }
    Result<void> take_output(const nl::Reply& event, const LineHandler& on_line);
    nl::Wait event_wait(const EventHandlers& handlers);

    std::string state_;
    nl::Socket sock_;
    int family_;
    LineSplitter splitter_;
    std::string early_;   // events that came before the SUBSCRIBE ack
    bool resync_ = false; // after an overrun: the next line may be a fragment
};

} // namespace klua
