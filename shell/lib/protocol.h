// SPDX-License-Identifier: GPL-2.0-only
// Client-side rules of the klua protocol that include/uapi/klua.h states in
// comments: state names, chunk names, the size of a chunk and its arguments.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "result.h"

namespace klua {

// The largest chunk (KLUA_ATTR_CODE) the kernel accepts, in bytes.
inline constexpr std::size_t max_chunk_bytes = 64000;

// Names of states: 1 to KLUA_NAME_MAX characters of [A-Za-z0-9_.-].
Result<void> validate_state_name(std::string_view name);

// Chunk names are cut to fit KLUA_CHUNKNAME_MAX, keeping the prefix ('=' or
// '@') and the end of the rest, like Lua does when it shows a long source.
std::string fit_chunk_name(std::string_view name);

// Refuses a chunk above max_chunk_bytes before it is sent.
Result<void> check_chunk_size(std::string_view code);

// The most bytes a chunk's arguments take in KLUA_ATTR_ARGS, whose length is
// 16 bits: each is an attribute of its bytes, a NUL and a 4-byte header,
// rounded up to 4 bytes (arg_bytes).
inline constexpr std::size_t max_args_bytes = 0xffff - 4;
std::size_t arg_bytes(std::string_view arg);

// Refuses arguments the kernel cannot take: more than KLUA_EXEC_ARGS_MAX, more
// than max_args_bytes in all, or one with a NUL byte (they travel as
// NUL-terminated strings). Else the bytes they take in KLUA_ATTR_ARGS.
Result<std::size_t> check_chunk_args(std::span<const std::string> args);

} // namespace klua
