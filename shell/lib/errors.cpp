// SPDX-License-Identifier: GPL-2.0-only
#include "errors.h"

#include <cerrno>
#include <cstring>

namespace klua {

static std::string quoted(std::string_view state)
{
    return "'" + std::string(state) + "'";
}

std::string describe_kernel_error(int err, std::string_view extack, std::string_view state)
{
    // Kernels before 6.2 cannot format extack text: theirs says "no state
    // with that name"; say which, as later kernels do.
    if (err == ENOENT && !state.empty())
        return "no state named " + quoted(state);
    if (!extack.empty())
        return std::string(extack);
    switch (err) {
    case EPERM:
    case EACCES:
        return "permission denied: klua needs CAP_NET_ADMIN";
    case ENOENT:
        return state.empty() ? "no such state" : "no state named " + quoted(state);
    case EEXIST:
        return state.empty() ? "the state already exists"
                             : "a state named " + quoted(state) + " already exists";
    case EBUSY:
        // Too many execs wait for the state already. Kernels before 6.5
        // drop the extack of a dump's start, EXEC's.
        return (state.empty() ? "the state" : "state " + quoted(state)) +
               " is busy: too many execs wait for it; try again later";
    case ENOMEM:
        return "the kernel is out of memory";
    case EINVAL:
        return "the kernel refused the request as invalid";
    case E2BIG:
    case EMSGSIZE:
        return "the request is too large";
    case EOPNOTSUPP:
        return "the klua module does not support this request";
    default:
        return std::strerror(err);
    }
}

Error kernel_failure(int err, std::string_view extack, std::string_view state)
{
    return Error{ErrorKind::request, describe_kernel_error(err, extack, state), err};
}

} // namespace klua
