// SPDX-License-Identifier: GPL-2.0-only
#include "netlink.h"

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "errors.h"

namespace klua::nl {

// Receive buffer: events come in bursts, and replies of an exec must not be
// dropped. SO_RCVBUFFORCE works for CAP_NET_ADMIN, which klua requires anyway.
static constexpr int receive_buffer_bytes = 4 << 20;
// Send buffer: room for the largest EXEC request.
static constexpr int send_buffer_bytes = 256 << 10;
// Room for the attributes of any request besides a chunk's code.
static constexpr std::size_t base_request_bytes = 1024;
// The read buffer of a socket: receive()'s, which a Reading::any_size
// socket grows to a peeked size, and libnl's where it still reads. The
// kernel sizes each message of a dump (every EXEC) to the largest buffer the
// socket has read with, at least NLMSG_GOODSIZE (a page less the skb's
// overhead): libnl's default of four pages made every EXEC allocate and zero
// 32 KiB in the kernel, whatever its output. KLUA_REPLY_MAX is under a page,
// which keeps dump messages at NLMSG_GOODSIZE.
static constexpr std::size_t read_bytes = KLUA_REPLY_MAX;

void SocketDeleter::operator()(nl_sock* sock) const noexcept
{
    nl_socket_free(sock);
}

void MessageDeleter::operator()(nl_msg* msg) const noexcept
{
    nlmsg_free(msg);
}

std::string libnl_error(int nl_err)
{
    return nl_geterror(nl_err);
}

static void set_int_option(int fd, int level, int name, int value)
{
    // Best effort: an old kernel without extended acks still works.
    (void)setsockopt(fd, level, name, &value, sizeof(value));
}

Result<Socket> Socket::connect(Reading reading)
{
    nl_sock* raw = nl_socket_alloc();
    if (!raw)
        return Error{ErrorKind::request, "cannot allocate a netlink socket"};
    Socket sock(raw, reading);
    if (int err = genl_connect(raw); err < 0)
        return Error{ErrorKind::request,
                     "cannot open a generic netlink socket: " + libnl_error(err)};
    int fd = sock.fd();
    set_int_option(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
    set_int_option(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer_bytes,
                   sizeof(receive_buffer_bytes)) < 0)
        set_int_option(fd, SOL_SOCKET, SO_RCVBUF, receive_buffer_bytes);
    set_int_option(fd, SOL_SOCKET, SO_SNDBUF, send_buffer_bytes);
    // For the reads that libnl still does itself (genl_ctrl_resolve): the
    // same as receive().
    if (reading == Reading::any_size)
        nl_socket_enable_msg_peek(raw);
    else
        nl_socket_disable_msg_peek(raw); // else libnl peeks while the buffer is unset
    (void)nl_socket_set_msg_buf_size(raw, read_bytes);
    return sock;
}

Socket::Socket(nl_sock* sock, Reading reading) : sock_(sock), reading_(reading), buffer_(read_bytes)
{
}

// One recvmsg() of up to len bytes: the datagram's bytes (all of them with
// MSG_TRUNC in flags) or -errno, with its sender and the message's flags.
static long receive_one(int fd, int flags, char* buf, std::size_t len, sockaddr_nl& from,
                        int& msg_flags)
{
    iovec iov{buf, len};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ssize_t n;
    do
        n = recvmsg(fd, &msg, flags);
    while (n < 0 && errno == EINTR);
    msg_flags = msg.msg_flags;
    return n < 0 ? -errno : static_cast<long>(n);
}

long Socket::receive()
{
    int fd = this->fd();
    for (;;) {
        sockaddr_nl from{};
        int msg_flags = 0;
        if (reading_ == Reading::any_size) {
            // A peek at the datagram's size and sender, copying nothing.
            long size = receive_one(fd, MSG_PEEK | MSG_TRUNC, nullptr, 0, from, msg_flags);
            if (size < 0)
                return size == -EAGAIN || size == -EWOULDBLOCK ? 0 : size;
            if (from.nl_pid == 0 && static_cast<std::size_t>(size) > buffer_.size())
                buffer_.resize(static_cast<std::size_t>(size));
        }
        long n = receive_one(fd, 0, buffer_.data(), buffer_.size(), from, msg_flags);
        if (n < 0)
            return n == -EAGAIN || n == -EWOULDBLOCK ? 0 : n;
        // Empty, or sent by another process to this port: not an answer,
        // whatever its size.
        if (n == 0 || from.nl_pid != 0)
            continue;
        if (msg_flags & MSG_TRUNC)
            return -EMSGSIZE;
        return n;
    }
}

int Socket::fd() const
{
    return nl_socket_get_fd(sock_.get());
}

uint32_t Socket::port() const
{
    return nl_socket_get_local_port(sock_.get());
}

Result<void> Socket::set_nonblocking()
{
    if (nonblocking_)
        return {};
    if (int err = nl_socket_set_nonblocking(sock_.get()); err < 0)
        return Error{ErrorKind::request, "cannot set up the netlink socket: " + libnl_error(err)};
    nonblocking_ = true;
    return {};
}

Result<Message> Message::request(int family, uint8_t cmd, int flags, std::size_t payload_bytes)
{
    nl_msg* raw = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + base_request_bytes + payload_bytes);
    if (!raw)
        return Error{ErrorKind::request, "out of memory building a netlink message"};
    Message msg(raw);
    if (!genlmsg_put(raw, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, KLUA_GENL_VERSION))
        return Error{ErrorKind::request, "cannot build a netlink message header"};
    return msg;
}

static Result<void> put_result(int err, int type)
{
    if (err < 0)
        return Error{ErrorKind::request, "cannot add attribute " + std::to_string(type) +
                                             " to a netlink message: " + libnl_error(err)};
    return {};
}

Result<void> Message::put_string(int type, std::string_view value)
{
    std::string terminated(value);
    return put_result(
        nla_put(msg_.get(), type, static_cast<int>(terminated.size() + 1), terminated.c_str()),
        type);
}

Result<void> Message::put_u8(int type, uint8_t value)
{
    return put_result(nla_put_u8(msg_.get(), type, value), type);
}

Result<void> Message::put_u32(int type, uint32_t value)
{
    return put_result(nla_put_u32(msg_.get(), type, value), type);
}

Result<void> Message::put_u64(int type, uint64_t value)
{
    return put_result(nla_put_u64(msg_.get(), type, value), type);
}

Result<void> Message::put_bytes(int type, std::string_view value)
{
    return put_result(nla_put(msg_.get(), type, static_cast<int>(value.size()), value.data()),
                      type);
}

Result<void> Message::put_string_list(int type, int item_type, std::span<const std::string> values)
{
    nlattr* nest = nla_nest_start(msg_.get(), type);
    if (!nest)
        return put_result(-NLE_NOMEM, type);
    for (const std::string& value : values)
        if (int err = nla_put_string(msg_.get(), item_type, value.c_str()); err < 0) {
            nla_nest_cancel(msg_.get(), nest);
            return put_result(err, type);
        }
    return put_result(nla_nest_end(msg_.get(), nest), type);
}

std::string extack_message(const nlmsghdr* hdr)
{
    if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) || hdr->nlmsg_len < NLMSG_HDRLEN)
        return "";
    const char* payload = static_cast<const char*>(NLMSG_DATA(hdr));
    std::size_t len = hdr->nlmsg_len - NLMSG_HDRLEN;
    std::size_t offset;
    if (hdr->nlmsg_type == NLMSG_ERROR) {
        nlmsgerr err;
        if (len < sizeof(err))
            return "";
        std::memcpy(&err, payload, sizeof(err));
        offset = sizeof(err);
        // Without NLM_F_CAPPED the whole request is echoed before the TLVs.
        if (!(hdr->nlmsg_flags & NLM_F_CAPPED)) {
            if (err.msg.nlmsg_len < NLMSG_HDRLEN)
                return "";
            offset += err.msg.nlmsg_len - NLMSG_HDRLEN;
        }
    } else if (hdr->nlmsg_type == NLMSG_DONE) {
        offset = sizeof(int);
    } else {
        return "";
    }
    offset = NLMSG_ALIGN(offset);
    if (offset > len)
        return "";
    const char* pos = payload + offset;
    std::size_t rem = len - offset;
    while (rem >= NLA_HDRLEN) {
        nlattr attr;
        std::memcpy(&attr, pos, sizeof(attr));
        if (attr.nla_len < NLA_HDRLEN || attr.nla_len > rem)
            break;
        if ((attr.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
            const char* text = pos + NLA_HDRLEN;
            return std::string(text, strnlen(text, attr.nla_len - NLA_HDRLEN));
        }
        std::size_t step = NLA_ALIGN(attr.nla_len);
        if (step >= rem)
            break;
        pos += step;
        rem -= step;
    }
    return "";
}

std::optional<KernelError> kernel_error_of(const nlmsghdr* hdr)
{
    if (hdr->nlmsg_type == NLMSG_ERROR) {
        nlmsgerr err;
        if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
            return KernelError{EBADMSG, "the kernel sent a truncated error message"};
        std::memcpy(&err, NLMSG_DATA(hdr), sizeof(err));
        if (err.error == 0)
            return std::nullopt;
        return KernelError{err.error < 0 ? -err.error : err.error, extack_message(hdr)};
    }
    if (hdr->nlmsg_type == NLMSG_DONE && hdr->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
        int err;
        std::memcpy(&err, NLMSG_DATA(hdr), sizeof(err));
        if (err < 0)
            return KernelError{-err, extack_message(hdr)};
    }
    return std::nullopt;
}

std::optional<std::string> Reply::string(int type) const
{
    const nlattr* attr = attrs[type];
    if (!attr)
        return std::nullopt;
    const char* text = static_cast<const char*>(nla_data(attr));
    return std::string(text, strnlen(text, static_cast<std::size_t>(nla_len(attr))));
}

std::optional<std::string_view> Reply::bytes(int type) const
{
    const nlattr* attr = attrs[type];
    if (!attr)
        return std::nullopt;
    return std::string_view(static_cast<const char*>(nla_data(attr)),
                            static_cast<std::size_t>(nla_len(attr)));
}

std::optional<uint64_t> Reply::u64(int type) const
{
    const nlattr* attr = attrs[type];
    if (!attr || nla_len(attr) < static_cast<int>(sizeof(uint64_t)))
        return std::nullopt;
    return nla_get_u64(attr);
}

std::optional<uint8_t> Reply::u8(int type) const
{
    const nlattr* attr = attrs[type];
    if (!attr || nla_len(attr) < static_cast<int>(sizeof(uint8_t)))
        return std::nullopt;
    return nla_get_u8(attr);
}

std::optional<uint32_t> Reply::u32(int type) const
{
    const nlattr* attr = attrs[type];
    if (!attr || nla_len(attr) < static_cast<int>(sizeof(uint32_t)))
        return std::nullopt;
    return nla_get_u32(attr);
}

namespace {

constexpr std::array<nla_policy, KLUA_ATTR_MAX + 1> make_policy()
{
    std::array<nla_policy, KLUA_ATTR_MAX + 1> policy{};
    policy[KLUA_ATTR_NAME].type = NLA_STRING;
    policy[KLUA_ATTR_MEMORY_LIMIT].type = NLA_U64;
    policy[KLUA_ATTR_INSTR_LIMIT].type = NLA_U64;
    policy[KLUA_ATTR_CHUNKNAME].type = NLA_STRING;
    policy[KLUA_ATTR_MEMORY_USED].type = NLA_U64;
    policy[KLUA_ATTR_MEMORY_PEAK].type = NLA_U64;
    policy[KLUA_ATTR_RUNS].type = NLA_U64;
    policy[KLUA_ATTR_ERRORS].type = NLA_U64;
    policy[KLUA_ATTR_TIME_NS].type = NLA_U64;
    policy[KLUA_ATTR_TIMERS].type = NLA_U32;
    policy[KLUA_ATTR_SUBSCRIBERS].type = NLA_U32;
    policy[KLUA_ATTR_LOST].type = NLA_U64;
    policy[KLUA_ATTR_STACK_PEAK].type = NLA_U64;
    policy[KLUA_ATTR_TIME_LIMIT].type = NLA_U64;
    policy[KLUA_ATTR_HOLD_PEAK].type = NLA_U64;
    policy[KLUA_ATTR_HOOKS].type = NLA_U32;
    policy[KLUA_ATTR_HOOK_ID].type = NLA_U32;
    policy[KLUA_ATTR_HOOK_KIND].type = NLA_STRING;
    policy[KLUA_ATTR_HOOK_TARGET].type = NLA_STRING;
    policy[KLUA_ATTR_HOOK_MISSED].type = NLA_U64;
    policy[KLUA_ATTR_CONTEXT].type = NLA_U8;
    return policy;
}

const std::array<nla_policy, KLUA_ATTR_MAX + 1> reply_policy = make_policy();

// One wait on a socket: a request's replies, or notifications.
struct Exchange {
    Exchange(int family, uint32_t seq, bool listening, const Wait& wait)
        : family(family), seq(seq), listening(listening), wait(wait)
    {
    }

    int family;
    uint32_t seq;
    bool listening;        // notifications only: no request is in flight
    bool draining = false; // listening, until nothing more waits
    const Wait& wait;
    bool done = false;
    std::optional<KernelError> kernel_error;
    std::optional<Error> failure;
};

// What comes after a message: handling it, the next one, or nothing more.
enum class Step { handle, next, stop };

bool is_event(const nlmsghdr* hdr, int family)
{
    if (hdr->nlmsg_type != family || hdr->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
        return false;
    genlmsghdr genl;
    std::memcpy(&genl, NLMSG_DATA(hdr), sizeof(genl));
    return genl.cmd == KLUA_CMD_EVENT;
}

// First look at every message: drops what does not belong to this exchange
// and ends it on the ACK, on the end of a dump, or on an error.
Step look_at(const nlmsghdr* hdr, Exchange& x)
{
    if (is_event(hdr, x.family))
        return Step::handle;
    if (x.listening || hdr->nlmsg_seq != x.seq)
        return Step::next;
    switch (hdr->nlmsg_type) {
    case NLMSG_ERROR:
    case NLMSG_DONE:
        x.kernel_error = kernel_error_of(hdr);
        x.done = true;
        return Step::stop;
    case NLMSG_NOOP:
        return Step::next;
    case NLMSG_OVERRUN:
        x.failure = Error{ErrorKind::request, "the kernel reported lost netlink messages"};
        return Step::stop;
    default:
        return Step::handle;
    }
}

// A message of the family: parsed, and given to its handler.
Step handle(nlmsghdr* hdr, Exchange& x)
{
    if (hdr->nlmsg_type != x.family)
        return Step::next;
    Reply reply;
    if (!genlmsg_valid_hdr(hdr, 0)) {
        x.failure = Error{ErrorKind::protocol, "the kernel sent a truncated klua message"};
        return Step::stop;
    }
    reply.cmd = genlmsg_hdr(hdr)->cmd;
    if (int err = genlmsg_parse(hdr, 0, reply.attrs.data(), KLUA_ATTR_MAX, reply_policy.data());
        err < 0) {
        x.failure = Error{ErrorKind::protocol,
                          "the kernel sent a malformed klua message: " + libnl_error(err)};
        return Step::stop;
    }
    const ReplyHandler& handler = reply.cmd == KLUA_CMD_EVENT ? x.wait.on_event : x.wait.on_reply;
    if (handler)
        if (Result<void> r = handler(reply); !r) {
            x.failure = r.error();
            return Step::stop;
        }
    return Step::next;
}

// The messages of one datagram, in order, until one ends the exchange.
void handle_datagram(char* data, long size, Exchange& x)
{
    int len = static_cast<int>(size);
    for (auto* hdr = reinterpret_cast<nlmsghdr*>(data); NLMSG_OK(hdr, len);
         hdr = NLMSG_NEXT(hdr, len)) {
        Step step = look_at(hdr, x);
        if (step == Step::handle)
            step = handle(hdr, x);
        if (step == Step::stop)
            return;
    }
}

// What a failed receive (an errno) means: lost events are reported to the
// wait and are no failure while listening.
Result<void> receive_failure(int err, Exchange& x)
{
    // ENOBUFS: the socket's receive queue overflowed and messages were lost.
    if (err == ENOBUFS && x.listening && x.wait.on_overrun) {
        x.wait.on_overrun();
        return {};
    }
    if (err == ENOBUFS)
        return Error{ErrorKind::request,
                     "replies from the kernel were lost: the socket's receive buffer overflowed"};
    if (err == EMSGSIZE)
        return Error{ErrorKind::protocol,
                     "the kernel sent a reply longer than the protocol allows (" +
                         std::to_string(KLUA_REPLY_MAX) +
                         " bytes): is the module from another version of klua?"};
    return Error{ErrorKind::request, std::string("netlink: ") + std::strerror(err), err};
}

// Reads one datagram and handles its messages: false if none waited.
Result<bool> read_datagram(Socket& sock, Exchange& x)
{
    long got = sock.receive();
    if (got > 0) {
        handle_datagram(sock.buffer(), got, x);
        return true;
    }
    if (got < 0)
        if (Result<void> r = receive_failure(static_cast<int>(-got), x); !r)
            return r.error();
    return false;
}

Result<void> pump(Socket& sock, Exchange& x)
{
    const Wait& wait = x.wait;
    // The kernel often answers within the sending system call (an EXEC with
    // an empty reply, while its chunk waits to run in a kernel worker): read
    // before polling, which saves a system call per request. Reading an
    // EXEC's reply blocks in the kernel until the chunk has run, even on
    // this non-blocking socket: the dump goes on inside recvmsg().
    bool try_read = !x.listening && !wait.interrupter;
    for (;;) {
        if (x.failure)
            return *x.failure;
        if (x.done) {
            if (x.kernel_error)
                return kernel_failure(x.kernel_error->err, x.kernel_error->extack, wait.state);
            return {};
        }
        if (try_read) {
            Result<bool> read = read_datagram(sock, x);
            if (!read)
                return read.error();
            if (*read)
                continue;
            try_read = false; // nothing waited: poll for it
        }
        pollfd fds[2] = {{sock.fd(), POLLIN, 0}, {-1, POLLIN, 0}};
        nfds_t nfds = 1;
        if (wait.interrupter && !x.draining) {
            fds[1].fd = wait.interrupter->fd();
            nfds = 2;
        }
        int n = poll(fds, nfds, x.draining ? 0 : wait.timeout_ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error{ErrorKind::request, std::string("poll: ") + std::strerror(errno), errno};
        }
        if (n == 0 && x.draining)
            return {};
        if (n == 0)
            return Error{ErrorKind::request,
                         "no answer from the kernel in " + std::to_string(wait.timeout_ms) + " ms"};
        if (nfds == 2 && fds[1].revents && wait.interrupter->take()) {
            if (x.listening)
                return {};
            return Error{ErrorKind::interrupted, "interrupted"};
        }
        if (!fds[0].revents)
            continue;
        Result<bool> read = read_datagram(sock, x);
        if (!read)
            return read.error();
        // More of a dump may wait: read on until none does. Events are read
        // one a poll, which keeps the interrupter heard in a stream of them.
        try_read = *read && !x.listening;
    }
}

} // namespace

Result<void> transact(Socket& sock, int family, Message& msg, const Wait& wait)
{
    if (Result<void> r = sock.set_nonblocking(); !r)
        return r;
    if (int sent = nl_send_auto(sock.get(), msg.get()); sent < 0)
        return Error{ErrorKind::request, "cannot send the request: " + libnl_error(sent)};
    Exchange x(family, nlmsg_hdr(msg.get())->nlmsg_seq, false, wait);
    return pump(sock, x);
}

Result<void> listen(Socket& sock, int family, const Wait& wait)
{
    if (Result<void> r = sock.set_nonblocking(); !r)
        return r;
    Exchange x(family, 0, true, wait);
    return pump(sock, x);
}

Result<void> drain(Socket& sock, int family, const Wait& wait)
{
    if (Result<void> r = sock.set_nonblocking(); !r)
        return r;
    Exchange x(family, 0, true, wait);
    x.draining = true;
    return pump(sock, x);
}

} // namespace klua::nl
