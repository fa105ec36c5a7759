// SPDX-License-Identifier: GPL-2.0-only
// Readable text for the errors that the kernel returns to requests.
#pragma once

#include <string>
#include <string_view>

#include "result.h"

namespace klua {

inline constexpr std::string_view module_not_loaded =
    "the klua kernel module is not loaded: run modprobe klua";

// The message for a request that failed with errno err: the kernel's extack
// message if it sent one, else a description of err. state names the state
// the request was about ("" if none).
std::string describe_kernel_error(int err, std::string_view extack, std::string_view state);

Error kernel_failure(int err, std::string_view extack, std::string_view state);

} // namespace klua
