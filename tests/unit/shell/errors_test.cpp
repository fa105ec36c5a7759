// SPDX-License-Identifier: GPL-2.0-only
// Errors of requests: the extack text if the kernel sent one, else readable
// errno text.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "errors.h"

using klua::describe_kernel_error;

TEST(KernelErrors, PermissionNamesTheCapability)
{
    EXPECT_EQ(describe_kernel_error(EPERM, "", ""), "permission denied: klua needs CAP_NET_ADMIN");
    EXPECT_EQ(describe_kernel_error(EPERM, "", "web"),
              "permission denied: klua needs CAP_NET_ADMIN");
}

TEST(KernelErrors, ExtackWins)
{
    EXPECT_EQ(describe_kernel_error(ENOENT, "no state named 'web'", "web"), "no state named 'web'");
    EXPECT_EQ(describe_kernel_error(ERANGE, "instruction limit must be 1 to 100", "web"),
              "instruction limit must be 1 to 100");
    EXPECT_EQ(
        describe_kernel_error(EBUSY, "too many execs wait for this state; try again later", "web"),
        "too many execs wait for this state; try again later");
}

TEST(KernelErrors, AMissingStateIsNamedWhateverTheKernelSaid)
{
    // 6.1 cannot format extack text: its message names no state.
    EXPECT_EQ(describe_kernel_error(ENOENT, "no state with that name", "web"),
              "no state named 'web'");
    EXPECT_EQ(describe_kernel_error(ENOENT, "no state with that name", ""),
              "no state with that name");
}

TEST(KernelErrors, WithoutExtack)
{
    EXPECT_EQ(describe_kernel_error(ENOENT, "", "web"), "no state named 'web'");
    EXPECT_EQ(describe_kernel_error(EEXIST, "", "web"), "a state named 'web' already exists");
    EXPECT_EQ(describe_kernel_error(ENOENT, "", ""), "no such state");
    EXPECT_EQ(describe_kernel_error(EBUSY, "", "web"),
              "state 'web' is busy: too many execs wait for it; try again later");
    EXPECT_EQ(describe_kernel_error(ENOTTY, "", "web"), std::strerror(ENOTTY));
}

TEST(KernelErrors, FailureIsARequestError)
{
    klua::Error e = klua::kernel_failure(ENOENT, "", "web");
    EXPECT_EQ(e.kind, klua::ErrorKind::request);
    EXPECT_EQ(e.err, ENOENT);
    EXPECT_EQ(to_string(e.kind), "request");
}
