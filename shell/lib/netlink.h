// SPDX-License-Identifier: GPL-2.0-only
// RAII wrappers of the libnl objects (nl_sock, nl_msg) and the request/reply
// engine of the klua family: one request in flight per socket, matched by
// sequence number, ended by the ACK (or by NLMSG_DONE for a dump such as
// EXEC), with notifications (KLUA_CMD_EVENT) told apart by command. libnl
// opens the socket and builds the requests; the engine reads the datagrams
// itself, into the socket's own buffer (libnl's nl_recvmsgs allocated a
// buffer a read and copied each message into a new nl_msg).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <linux/netlink.h>
#include <netlink/netlink.h>

#include <uapi/klua.h>

#include "interrupter.h"
#include "result.h"

namespace klua::nl {

struct SocketDeleter {
    void operator()(nl_sock* sock) const noexcept;
};
struct MessageDeleter {
    void operator()(nl_msg* msg) const noexcept;
};

// How a socket reads its datagrams.
enum class Reading {
    // klua's replies to requests: each datagram fits in KLUA_REPLY_MAX bytes
    // and is read with one recvmsg(). A longer one from the kernel fails the
    // read (EMSGSIZE): the module broke the protocol.
    replies,
    // Events, and the generic netlink controller's replies: each read peeks
    // at the datagram's size first, then reads it whole (two system calls).
    any_size,
};

// A generic netlink socket with extended acks and capped acks (errors do not
// echo the request).
class Socket {
  public:
    static Result<Socket> connect(Reading reading);

    nl_sock* get() const { return sock_.get(); }
    int fd() const;
    // The socket's netlink port (what the kernel sees as the sender).
    uint32_t port() const;
    // Once per socket: later calls cost nothing.
    Result<void> set_nonblocking();

    // Reads the next datagram from the kernel into buffer() (without
    // blocking, once set_nonblocking): its size, 0 if none waits, or
    // -errno (EMSGSIZE: longer than KLUA_REPLY_MAX on a Reading::replies
    // socket). Datagrams from other sockets than the kernel are dropped.
    long receive();
    char* buffer() { return buffer_.data(); }

  private:
    Socket(nl_sock* sock, Reading reading);
    std::unique_ptr<nl_sock, SocketDeleter> sock_;
    Reading reading_;
    std::vector<char> buffer_;
    bool nonblocking_ = false;
};

// A request of the klua family.
class Message {
  public:
    // Room for attributes whose payloads add up to payload_bytes.
    static Result<Message> request(int family, uint8_t cmd, int flags, std::size_t payload_bytes);

    Result<void> put_string(int type, std::string_view value);
    Result<void> put_u8(int type, uint8_t value);
    Result<void> put_u32(int type, uint32_t value);
    Result<void> put_u64(int type, uint64_t value);
    Result<void> put_bytes(int type, std::string_view value);
    // A nested attribute of type, holding each value as a string attribute
    // of item_type, in order.
    Result<void> put_string_list(int type, int item_type, std::span<const std::string> values);

    nl_msg* get() const { return msg_.get(); }

  private:
    explicit Message(nl_msg* msg) : msg_(msg) {}
    std::unique_ptr<nl_msg, MessageDeleter> msg_;
};

// A failure the kernel reported: the errno and the extack message.
struct KernelError {
    int err;
    std::string extack;
};

// The kernel's answer to a request if hdr ends it with an error: an
// NLMSG_ERROR with a non-zero error, or an NLMSG_DONE with a negative one.
// hdr must hold hdr->nlmsg_len bytes.
std::optional<KernelError> kernel_error_of(const nlmsghdr* hdr);

// The extack message of an NLMSG_ERROR or NLMSG_DONE message ("" if none).
std::string extack_message(const nlmsghdr* hdr);

// A message of the klua family with its attributes parsed.
class Reply {
  public:
    uint8_t cmd = 0;
    std::array<nlattr*, KLUA_ATTR_MAX + 1> attrs{};

    std::optional<std::string> string(int type) const;
    std::optional<std::string_view> bytes(int type) const;
    std::optional<uint64_t> u64(int type) const;
    std::optional<uint8_t> u8(int type) const;
    std::optional<uint32_t> u32(int type) const;
};

// A handler must not use the socket: the reply's attributes point into the
// socket's buffer, which the next read overwrites.
using ReplyHandler = std::function<Result<void>(const Reply&)>;

// What to do with the messages that arrive while waiting.
struct Wait {
    std::string_view state; // named in error messages
    ReplyHandler on_reply;  // replies to the request
    ReplyHandler on_event;  // KLUA_CMD_EVENT notifications; dropped if empty
    // Lost messages (socket buffer overrun) while listening for events.
    std::function<void()> on_overrun;
    // Polled next to the socket: an interrupt ends listen() with success,
    // and transact() with an ErrorKind::interrupted error.
    Interrupter* interrupter = nullptr;
    int timeout_ms = -1; // -1: no timeout
};

// Sends msg on sock (non-blocking) and handles the messages that answer it
// until its ACK, the end of its dump, or an error.
Result<void> transact(Socket& sock, int family, Message& msg, const Wait& wait);

// Handles notifications until wait.interrupter fires.
Result<void> listen(Socket& sock, int family, const Wait& wait);

// Handles the notifications that wait on sock now, without blocking
// (wait.interrupter and wait.timeout_ms are not used).
Result<void> drain(Socket& sock, int family, const Wait& wait);

// Readable text of a libnl error code (negative NLE_*).
std::string libnl_error(int nl_err);

} // namespace klua::nl
