// SPDX-License-Identifier: GPL-2.0-only
#include "protocol.h"

#include <linux/netlink.h>

#include <uapi/klua.h>

namespace klua {

std::string_view to_string(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::usage:
        return "usage";
    case ErrorKind::request:
        return "request";
    case ErrorKind::syntax:
        return "syntax";
    case ErrorKind::protocol:
        return "protocol";
    case ErrorKind::file:
        return "file";
    case ErrorKind::interrupted:
        return "interrupted";
    }
    return "unknown";
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

Result<void> validate_state_name(std::string_view name)
{
    if (name.empty())
        return Error{ErrorKind::usage, "a state name cannot be empty"};
    if (name.size() > KLUA_NAME_MAX)
        return Error{ErrorKind::usage, "state name is too long (" + std::to_string(name.size()) +
                                           " characters, at most " + std::to_string(KLUA_NAME_MAX) +
                                           ")"};
    for (char c : name)
        if (!is_name_char(c))
            return Error{ErrorKind::usage,
                         "invalid state name '" + std::string(name) +
                             "': names are made of letters, digits, '_', '.' and '-'"};
    return {};
}

std::string fit_chunk_name(std::string_view name)
{
    // KLUA_CHUNKNAME_MAX counts the terminating NUL.
    constexpr std::size_t max = KLUA_CHUNKNAME_MAX - 1;
    if (name.size() <= max)
        return std::string(name);
    constexpr std::string_view dots = "...";
    std::size_t keep = max - 1 - dots.size();
    std::size_t from = name.size() - keep;
    // Do not start in the middle of a UTF-8 sequence.
    while (from < name.size() && (static_cast<unsigned char>(name[from]) & 0xc0) == 0x80)
        ++from;
    return std::string(name.substr(0, 1)) + std::string(dots) + std::string(name.substr(from));
}

Result<void> check_chunk_size(std::string_view code)
{
    if (code.size() <= max_chunk_bytes)
        return {};
    return Error{ErrorKind::request, "chunk is too large: " + std::to_string(code.size()) +
                                         " bytes, the limit is " + std::to_string(max_chunk_bytes)};
}

std::size_t arg_bytes(std::string_view arg)
{
    return NLA_ALIGN(NLA_HDRLEN + arg.size() + 1);
}

Result<std::size_t> check_chunk_args(std::span<const std::string> args)
{
    if (args.size() > KLUA_EXEC_ARGS_MAX)
        return Error{ErrorKind::request, "too many arguments: " + std::to_string(args.size()) +
                                             ", the limit is " +
                                             std::to_string(KLUA_EXEC_ARGS_MAX)};
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i].find('\0') != std::string::npos)
            return Error{ErrorKind::request,
                         "argument " + std::to_string(i + 1) + " contains a NUL byte"};
        bytes += arg_bytes(args[i]);
    }
    if (bytes > max_args_bytes)
        return Error{ErrorKind::request,
                     "the arguments are too large: they take " + std::to_string(bytes) +
                         " bytes in the request (each its length plus 5, rounded up to 4), "
                         "the limit is " +
                         std::to_string(max_args_bytes)};
    return bytes;
}

} // namespace klua
