// SPDX-License-Identifier: GPL-2.0-only
#include "client.h"

#include <utility>

#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "protocol.h"

namespace klua {

Result<Client> Client::connect()
{
    Result<nl::Socket> sock = nl::Socket::connect(nl::Reading::any_size);
    if (!sock)
        return sock.error();
    int family = genl_ctrl_resolve(sock->get(), KLUA_GENL_NAME);
    if (family == -NLE_OBJ_NOTFOUND)
        return Error{ErrorKind::request, std::string(module_not_loaded)};
    if (family < 0)
        return Error{ErrorKind::request,
                     "cannot resolve the klua netlink family: " + nl::libnl_error(family)};
    return Client(family);
}

static Result<StateInfo> state_of(const nl::Reply& reply)
{
    std::optional<std::string> name = reply.string(KLUA_ATTR_NAME);
    if (!name)
        return Error{ErrorKind::protocol, "the kernel described a state without its name"};
    StateInfo info;
    info.name = std::move(*name);
    info.memory_used = reply.u64(KLUA_ATTR_MEMORY_USED).value_or(0);
    info.memory_peak = reply.u64(KLUA_ATTR_MEMORY_PEAK).value_or(0);
    info.memory_limit = reply.u64(KLUA_ATTR_MEMORY_LIMIT).value_or(0);
    info.instr_limit = reply.u64(KLUA_ATTR_INSTR_LIMIT).value_or(0);
    info.runs = reply.u64(KLUA_ATTR_RUNS).value_or(0);
    info.errors = reply.u64(KLUA_ATTR_ERRORS).value_or(0);
    info.time_ns = reply.u64(KLUA_ATTR_TIME_NS).value_or(0);
    info.timers = reply.u32(KLUA_ATTR_TIMERS).value_or(0);
    info.subscribers = reply.u32(KLUA_ATTR_SUBSCRIBERS).value_or(0);
    info.lost = reply.u64(KLUA_ATTR_LOST).value_or(0);
    info.stack_peak = reply.u64(KLUA_ATTR_STACK_PEAK).value_or(0);
    info.time_limit_ns = reply.u64(KLUA_ATTR_TIME_LIMIT).value_or(0);
    info.hold_peak_ns = reply.u64(KLUA_ATTR_HOLD_PEAK).value_or(0);
    info.hook_count = reply.u32(KLUA_ATTR_HOOKS).value_or(0);
    info.context = reply.u8(KLUA_ATTR_CONTEXT).value_or(0);
    return info;
}

static Result<HookInfo> hook_of(const nl::Reply& reply)
{
    std::optional<std::string> state = reply.string(KLUA_ATTR_NAME);
    std::optional<uint32_t> id = reply.u32(KLUA_ATTR_HOOK_ID);
    std::optional<std::string> kind = reply.string(KLUA_ATTR_HOOK_KIND);
    if (!state || !id || !kind)
        return Error{ErrorKind::protocol, "the kernel described a hook without its state, id or kind"};
    HookInfo hook;
    hook.state = std::move(*state);
    hook.id = *id;
    hook.kind = std::move(*kind);
    hook.target = reply.string(KLUA_ATTR_HOOK_TARGET).value_or("");
    hook.runs = reply.u64(KLUA_ATTR_RUNS).value_or(0);
    hook.errors = reply.u64(KLUA_ATTR_ERRORS).value_or(0);
    hook.missed = reply.u64(KLUA_ATTR_HOOK_MISSED).value_or(0);
    return hook;
}

// Gives each state the hooks listed for it, in the kernel's order.
static void attach_hooks(std::vector<StateInfo>& states, std::vector<HookInfo>& hooks)
{
    for (HookInfo& h : hooks)
        for (StateInfo& s : states)
            if (s.name == h.state) {
                s.hooks.push_back(std::move(h));
                break;
            }
}

Result<Connection> Client::open() const
{
    Result<nl::Socket> sock = nl::Socket::connect(nl::Reading::replies);
    if (!sock)
        return sock.error();
    return Connection(std::move(*sock), family_);
}

// One request on a socket of its own (the command line makes one request).
template <typename Request>
static auto once(const Client& client, Request request)
    -> decltype(request(std::declval<Connection&>()))
{
    Result<Connection> c = client.open();
    if (!c)
        return c.error();
    return request(*c);
}

Result<std::string> Client::create(std::string_view name, const CreateOptions& options) const
{
    return once(*this, [&](Connection& c) { return c.create(name, options); });
}

Result<void> Client::destroy(std::string_view name) const
{
    return once(*this, [&](Connection& c) { return c.destroy(name); });
}

Result<std::vector<StateInfo>> Client::list() const
{
    return once(*this, [&](Connection& c) { return c.list(); });
}

Result<StateInfo> Client::describe(std::string_view name) const
{
    return once(*this, [&](Connection& c) { return c.describe(name); });
}

Result<std::vector<HookInfo>> Client::hooks(std::string_view name) const
{
    return once(*this, [&](Connection& c) { return c.hooks(name); });
}

Result<void> Client::exec(const ExecRequest& request, const LineHandler& on_line) const
{
    if (Result<void> r = check_chunk_size(request.code); !r)
        return r;
    return once(*this, [&](Connection& c) { return c.exec(request, on_line); });
}

Result<void> Client::interrupt(std::string_view name, std::optional<uint32_t> port) const
{
    return once(*this, [&](Connection& c) { return c.interrupt(name, port); });
}

Result<void> Connection::simple_request(uint8_t cmd, std::string_view name)
{
    Result<nl::Message> msg = nl::Message::request(family_, cmd, 0, 0);
    if (!msg)
        return msg.error();
    if (Result<void> r = msg->put_string(KLUA_ATTR_NAME, name); !r)
        return r;
    nl::Wait wait;
    wait.state = name;
    return nl::transact(sock_, family_, *msg, wait);
}

Result<std::string> Connection::create(std::string_view name, const CreateOptions& options)
{
    Result<nl::Message> msg = nl::Message::request(family_, KLUA_CMD_CREATE, 0, 0);
    if (!msg)
        return msg.error();
    if (Result<void> r = msg->put_string(KLUA_ATTR_NAME, name); !r)
        return r.error();
    if (options.memory_limit)
        if (Result<void> r = msg->put_u64(KLUA_ATTR_MEMORY_LIMIT, *options.memory_limit); !r)
            return r.error();
    if (options.instr_limit)
        if (Result<void> r = msg->put_u64(KLUA_ATTR_INSTR_LIMIT, *options.instr_limit); !r)
            return r.error();
    if (options.context)
        if (Result<void> r = msg->put_u8(KLUA_ATTR_CONTEXT, *options.context); !r)
            return r.error();
    if (options.time_limit)
        if (Result<void> r = msg->put_u64(KLUA_ATTR_TIME_LIMIT, *options.time_limit); !r)
            return r.error();

    std::optional<std::string> created;
    nl::Wait wait;
    wait.state = name;
    wait.on_reply = [&](const nl::Reply& reply) -> Result<void> {
        if (reply.cmd == KLUA_CMD_CREATE)
            created = reply.string(KLUA_ATTR_NAME);
        return {};
    };
    if (Result<void> r = nl::transact(sock_, family_, *msg, wait); !r)
        return r.error();
    if (!created)
        return Error{ErrorKind::protocol, "the kernel did not reply with the new state's name"};
    return std::move(*created);
}

Result<void> Connection::destroy(std::string_view name)
{
    return simple_request(KLUA_CMD_DESTROY, name);
}

Result<std::vector<StateInfo>> Connection::list()
{
    Result<nl::Message> msg = nl::Message::request(family_, KLUA_CMD_LIST, NLM_F_DUMP, 0);
    if (!msg)
        return msg.error();
    std::vector<StateInfo> states;
    nl::Wait wait;
    wait.on_reply = [&](const nl::Reply& reply) -> Result<void> {
        if (reply.cmd != KLUA_CMD_LIST)
            return {};
        Result<StateInfo> info = state_of(reply);
        if (!info)
            return info.error();
        states.push_back(std::move(*info));
        return {};
    };
    if (Result<void> r = nl::transact(sock_, family_, *msg, wait); !r)
        return r.error();
    Result<std::vector<HookInfo>> hooks = this->hooks();
    if (!hooks)
        return hooks.error();
    attach_hooks(states, *hooks);
    return states;
}

Result<std::vector<HookInfo>> Connection::hooks(std::string_view name)
{
    Result<nl::Message> msg = nl::Message::request(family_, KLUA_CMD_HOOKS, NLM_F_DUMP, 0);
    if (!msg)
        return msg.error();
    nl::Wait wait;
    if (!name.empty()) {
        if (Result<void> r = msg->put_string(KLUA_ATTR_NAME, name); !r)
            return r.error();
        wait.state = name;
    }
    std::vector<HookInfo> hooks;
    wait.on_reply = [&](const nl::Reply& reply) -> Result<void> {
        if (reply.cmd != KLUA_CMD_HOOKS)
            return {};
        Result<HookInfo> hook = hook_of(reply);
        if (!hook)
            return hook.error();
        hooks.push_back(std::move(*hook));
        return {};
    };
    if (Result<void> r = nl::transact(sock_, family_, *msg, wait); !r)
        return r.error();
    return hooks;
}

Result<StateInfo> Connection::describe(std::string_view name)
{
    Result<nl::Message> msg = nl::Message::request(family_, KLUA_CMD_LIST, 0, 0);
    if (!msg)
        return msg.error();
    if (Result<void> r = msg->put_string(KLUA_ATTR_NAME, name); !r)
        return r.error();
    std::optional<StateInfo> found;
    nl::Wait wait;
    wait.state = name;
    wait.on_reply = [&](const nl::Reply& reply) -> Result<void> {
        if (reply.cmd != KLUA_CMD_LIST)
            return {};
        Result<StateInfo> info = state_of(reply);
        if (!info)
            return info.error();
        found = std::move(*info);
        return {};
    };
    if (Result<void> r = nl::transact(sock_, family_, *msg, wait); !r)
        return r.error();
    if (!found)
        return Error{ErrorKind::protocol,
                     "the kernel did not describe state '" + std::string(name) + "'"};
    Result<std::vector<HookInfo>> hooks = this->hooks(name);
    if (!hooks)
        return hooks.error();
    found->hooks = std::move(*hooks);
    return std::move(*found);
}

Result<void> Connection::exec(const ExecRequest& request, const LineHandler& on_line)
{
    if (Result<void> r = check_chunk_size(request.code); !r)
        return r;
    Result<std::size_t> args_bytes = check_chunk_args(request.args);
    if (!args_bytes)
        return args_bytes.error();
    std::string chunk_name = fit_chunk_name(request.chunk_name);
    // A dump request: the chunk runs when the request arrives, and its output
    // comes back as the socket is read, until NLMSG_DONE.
    Result<nl::Message> msg = nl::Message::request(family_, KLUA_CMD_EXEC, NLM_F_DUMP,
                                                   request.code.size() + NLA_HDRLEN + *args_bytes);
    if (!msg)
        return msg.error();
    if (Result<void> r = msg->put_string(KLUA_ATTR_NAME, request.state); !r)
        return r;
    if (Result<void> r = msg->put_bytes(KLUA_ATTR_CODE, request.code); !r)
        return r;
    if (!chunk_name.empty())
        if (Result<void> r = msg->put_string(KLUA_ATTR_CHUNKNAME, chunk_name); !r)
            return r;
    if (!request.args.empty())
        if (Result<void> r = msg->put_string_list(KLUA_ATTR_ARGS, KLUA_ARG_VALUE, request.args); !r)
            return r;

    LineSplitter splitter;
    nl::Wait wait;
    wait.state = request.state;
    wait.on_reply = [&](const nl::Reply& reply) -> Result<void> {
        if (reply.cmd != KLUA_CMD_EXEC)
            return {};
        if (std::optional<std::string_view> output = reply.bytes(KLUA_ATTR_OUTPUT))
            splitter.feed(*output, on_line);
        return {};
    };
    if (Result<void> r = nl::transact(sock_, family_, *msg, wait); !r)
        return r;
    if (splitter.has_partial())
        return Error{ErrorKind::protocol, "the kernel's output ended in the middle of a line"};
    return {};
}

Result<void> Connection::interrupt(std::string_view name, std::optional<uint32_t> port)
{
    Result<nl::Message> msg = nl::Message::request(family_, KLUA_CMD_INTERRUPT, 0, 0);
    if (!msg)
        return msg.error();
    if (Result<void> r = msg->put_string(KLUA_ATTR_NAME, name); !r)
        return r;
    if (port)
        if (Result<void> r = msg->put_u32(KLUA_ATTR_PORTID, *port); !r)
            return r;
    nl::Wait wait;
    wait.state = name;
    return nl::transact(sock_, family_, *msg, wait);
}

Result<Subscription> Client::subscribe(std::string_view name) const
{
    Result<nl::Socket> sock = nl::Socket::connect(nl::Reading::any_size);
    if (!sock)
        return sock.error();
    Result<nl::Message> msg = nl::Message::request(family_, KLUA_CMD_SUBSCRIBE, 0, 0);
    if (!msg)
        return msg.error();
    if (Result<void> r = msg->put_string(KLUA_ATTR_NAME, name); !r)
        return r.error();
    // Events may arrive before the ACK: keep them for receive().
    std::string early;
    nl::Wait wait;
    wait.state = name;
    wait.on_event = [&](const nl::Reply& event) -> Result<void> {
        if (std::optional<std::string_view> output = event.bytes(KLUA_ATTR_OUTPUT))
            early.append(*output);
        return {};
    };
    if (Result<void> r = nl::transact(*sock, family_, *msg, wait); !r)
        return r.error();
    Subscription subscription(std::string(name), std::move(*sock), family_);
    subscription.early_ = std::move(early);
    return subscription;
}

Result<void> Client::unsubscribe(Subscription& subscription, int timeout_ms) const
{
    Result<nl::Message> msg = nl::Message::request(family_, KLUA_CMD_UNSUBSCRIBE, 0, 0);
    if (!msg)
        return msg.error();
    if (Result<void> r = msg->put_string(KLUA_ATTR_NAME, subscription.state_); !r)
        return r;
    nl::Wait wait;
    wait.state = subscription.state_;
    wait.timeout_ms = timeout_ms;
    return nl::transact(subscription.sock_, family_, *msg, wait);
}

Result<void> Subscription::take_output(const nl::Reply& event, const LineHandler& on_line)
{
    std::optional<std::string> name = event.string(KLUA_ATTR_NAME);
    if (name && *name != state_)
        return {};
    std::optional<std::string_view> output = event.bytes(KLUA_ATTR_OUTPUT);
    if (!output)
        return {};
    splitter_.feed(*output, [&](std::string_view line) {
        // The first line after an overrun may be the end of a lost one.
        if (resync_) {
            resync_ = false;
            if (!nlohmann::json::accept(line))
                return;
        }
        on_line(line);
    });
    return {};
}

nl::Wait Subscription::event_wait(const EventHandlers& handlers)
{
    if (!early_.empty()) {
        std::string early = std::move(early_);
        early_.clear();
        splitter_.feed(early, handlers.on_line);
    }
    nl::Wait wait;
    wait.state = state_;
    wait.on_event = [this, &handlers](const nl::Reply& event) {
        return take_output(event, handlers.on_line);
    };
    wait.on_overrun = [this, &handlers] {
        splitter_.clear();
        resync_ = true;
        if (handlers.on_overrun)
            handlers.on_overrun();
    };
    return wait;
}

Result<void> Subscription::receive(const EventHandlers& handlers, Interrupter& interrupter)
{
    nl::Wait wait = event_wait(handlers);
    wait.interrupter = &interrupter;
    return nl::listen(sock_, family_, wait);
}

Result<void> Subscription::receive_pending(const EventHandlers& handlers)
{
    return nl::drain(sock_, family_, event_wait(handlers));
}

} // namespace klua
