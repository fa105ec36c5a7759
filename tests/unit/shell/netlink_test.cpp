// SPDX-License-Identifier: GPL-2.0-only
// Extended acks, parsed from messages built here byte by byte as the kernel
// lays them out (netlink_ack, netlink_dump_done), and the reading of
// datagrams from a real socket.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netlink.h"

using klua::nl::extack_message;
using klua::nl::kernel_error_of;

namespace {

class Builder {
  public:
    template <class T>
    void put(const T& value)
    {
        const char* p = reinterpret_cast<const char*>(&value);
        bytes_.insert(bytes_.end(), p, p + sizeof(value));
    }
    void put_bytes(std::string_view data)
    {
        bytes_.insert(bytes_.end(), data.begin(), data.end());
        bytes_.resize(NLMSG_ALIGN(bytes_.size()));
    }
    void put_attr(uint16_t type, std::string_view data)
    {
        nlattr attr{static_cast<uint16_t>(NLA_HDRLEN + data.size()), type};
        put(attr);
        put_bytes(data);
    }
    // The message, with its nlmsg_len set.
    std::vector<char> finish()
    {
        nlmsghdr* hdr = reinterpret_cast<nlmsghdr*>(bytes_.data());
        hdr->nlmsg_len = static_cast<uint32_t>(bytes_.size());
        return bytes_;
    }

  private:
    std::vector<char> bytes_;
};

const nlmsghdr* header(const std::vector<char>& bytes)
{
    return reinterpret_cast<const nlmsghdr*>(bytes.data());
}

// An NLMSG_ERROR answering a request whose payload was request_payload.
std::vector<char> error_message(int error, bool capped, std::string_view request_payload,
                                std::optional<std::string> extack, bool offset_attr_first = false)
{
    Builder b;
    uint16_t flags = capped ? NLM_F_CAPPED : 0;
    if (extack)
        flags |= NLM_F_ACK_TLVS;
    b.put(nlmsghdr{0, NLMSG_ERROR, flags, 7, 0});
    nlmsgerr err{};
    err.error = error;
    err.msg = nlmsghdr{static_cast<uint32_t>(NLMSG_HDRLEN + request_payload.size()), 30,
                       NLM_F_REQUEST | NLM_F_ACK, 7, 4242};
    b.put(err);
    if (!capped)
        b.put_bytes(request_payload);
    if (offset_attr_first) {
        uint32_t offset = 24;
        b.put_attr(NLMSGERR_ATTR_OFFS, std::string_view(reinterpret_cast<char*>(&offset), 4));
    }
    if (extack)
        b.put_attr(NLMSGERR_ATTR_MSG, *extack + std::string(1, '\0'));
    return b.finish();
}

} // namespace

TEST(Extack, CappedError)
{
    auto msg = error_message(-ENOENT, true, std::string(64000, 'c'), "no state named 'web'");
    EXPECT_EQ(extack_message(header(msg)), "no state named 'web'");
    auto err = kernel_error_of(header(msg));
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->err, ENOENT);
    EXPECT_EQ(err->extack, "no state named 'web'");
}

TEST(Extack, UncappedErrorSkipsTheEchoedRequest)
{
    auto msg = error_message(-EINVAL, false, "\x01\x02\x03\x04\x05", "bad chunk name", true);
    EXPECT_EQ(extack_message(header(msg)), "bad chunk name");
}

TEST(Extack, NoneWithoutAckTlvs)
{
    auto msg = error_message(-EPERM, true, "", std::nullopt);
    EXPECT_EQ(extack_message(header(msg)), "");
    auto err = kernel_error_of(header(msg));
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->err, EPERM);
    EXPECT_EQ(err->extack, "");
}

TEST(Extack, AckIsNoError)
{
    auto msg = error_message(0, true, "", std::nullopt);
    EXPECT_FALSE(kernel_error_of(header(msg)).has_value());
}

TEST(Extack, MalformedAttributesAreIgnored)
{
    auto msg = error_message(-ENOENT, true, "", "text");
    // Claim an attribute longer than the message.
    nlattr* attr = reinterpret_cast<nlattr*>(msg.data() + NLMSG_HDRLEN + sizeof(nlmsgerr));
    attr->nla_len = 5000;
    EXPECT_EQ(extack_message(header(msg)), "");
    // Claim an echoed request longer than the message.
    auto uncapped = error_message(-ENOENT, false, "abcd", "text");
    reinterpret_cast<nlmsgerr*>(uncapped.data() + NLMSG_HDRLEN)->msg.nlmsg_len = 100000;
    EXPECT_EQ(extack_message(header(uncapped)), "");
}

TEST(Extack, MessageWithoutNulStopsAtTheAttribute)
{
    Builder b;
    b.put(nlmsghdr{0, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1, 0});
    nlmsgerr err{};
    err.error = -ENOENT;
    b.put(err);
    b.put_attr(NLMSGERR_ATTR_MSG, "abc"); // padded with a zero byte, not part of it
    auto msg = b.finish();
    EXPECT_EQ(extack_message(header(msg)), "abc");
}

TEST(Extack, DumpDoneWithError)
{
    Builder b;
    b.put(nlmsghdr{0, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 9, 0});
    b.put(int{-ENOMEM});
    b.put_attr(NLMSGERR_ATTR_MSG, std::string("the output buffer is gone") + '\0');
    auto msg = b.finish();
    auto err = kernel_error_of(header(msg));
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->err, ENOMEM);
    EXPECT_EQ(err->extack, "the output buffer is gone");
}

TEST(Extack, DumpDoneWithoutError)
{
    Builder b;
    b.put(nlmsghdr{0, NLMSG_DONE, NLM_F_MULTI, 9, 0});
    b.put(int{0});
    auto msg = b.finish();
    EXPECT_FALSE(kernel_error_of(header(msg)).has_value());
}

TEST(Extack, TruncatedErrorMessage)
{
    Builder b;
    b.put(nlmsghdr{0, NLMSG_ERROR, 0, 1, 0});
    b.put(int{-ENOENT});
    auto msg = b.finish();
    auto err = kernel_error_of(header(msg));
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->err, EBADMSG);
}

// Socket::receive on the host's own generic netlink: another process may send
// to a klua socket's port, and what it sends must not pass for the kernel's
// answer, nor fail the read if it is longer than a reply may be. (The host's
// controller family answers; the module is not needed.)
TEST(Receive, DatagramsFromOtherSocketsAreDropped)
{
    using namespace klua::nl;
    for (Reading reading : {Reading::replies, Reading::any_size}) {
        SCOPED_TRACE(reading == Reading::replies ? "replies" : "any_size");
        klua::Result<Socket> sock = Socket::connect(reading);
        ASSERT_TRUE(sock) << sock.error().message;
        ASSERT_TRUE(sock->set_nonblocking());
        EXPECT_EQ(sock->receive(), 0); // nothing waits

        // A forged ACK from another socket, and a datagram longer than
        // KLUA_REPLY_MAX, queued first.
        int forger = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
        ASSERT_GE(forger, 0);
        sockaddr_nl to{};
        to.nl_family = AF_NETLINK;
        to.nl_pid = sock->port();
        struct {
            nlmsghdr hdr;
            nlmsgerr err;
        } forged{};
        forged.hdr = {sizeof(forged), NLMSG_ERROR, 0, 0, 0};
        std::vector<char> longer(2 * KLUA_REPLY_MAX);
        std::memcpy(longer.data(), &forged, sizeof(forged));
        for (auto [data, size] : {std::pair<const void*, std::size_t>{&forged, sizeof(forged)},
                                  {longer.data(), longer.size()}})
            ASSERT_EQ(sendto(forger, data, size, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)),
                      static_cast<ssize_t>(size));
        close(forger);

        // Then the kernel's answer to a request.
        klua::Result<Message> msg = Message::request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, 16);
        ASSERT_TRUE(msg);
        ASSERT_TRUE(msg->put_string(CTRL_ATTR_FAMILY_NAME, "nlctrl"));
        ASSERT_GE(nl_send_auto(sock->get(), msg->get()), 0);
        uint32_t seq = nlmsg_hdr(msg->get())->nlmsg_seq;
        pollfd pfd{sock->fd(), POLLIN, 0};
        ASSERT_EQ(poll(&pfd, 1, 5000), 1);
        long got = sock->receive();
        ASSERT_GT(got, static_cast<long>(NLMSG_HDRLEN));
        const auto* hdr = reinterpret_cast<const nlmsghdr*>(sock->buffer());
        EXPECT_EQ(hdr->nlmsg_type, GENL_ID_CTRL); // not the forged NLMSG_ERROR
        EXPECT_EQ(hdr->nlmsg_seq, seq);
        // The kernel's ACK (libnl asks for one), and nothing more.
        ASSERT_GT(sock->receive(), 0);
        EXPECT_EQ(hdr->nlmsg_type, NLMSG_ERROR);
        EXPECT_EQ(hdr->nlmsg_seq, seq);
        EXPECT_EQ(sock->receive(), 0);
    }
}
