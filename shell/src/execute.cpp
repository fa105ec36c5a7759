// SPDX-License-Identifier: GPL-2.0-only
#include "execute.h"

#include <chrono>

#include "protocol.h"

namespace klua::cli {

Result<void> check_chunk(const Chunk& chunk, SyntaxChecker& checker)
{
    if (Result<void> r = check_chunk_size(chunk.code); !r)
        return r;
    if (Result<std::size_t> r = check_chunk_args(chunk.args); !r)
        return r.error();
    if (std::optional<SyntaxError> error = checker.check(chunk.code, chunk.name))
        return Error{ErrorKind::syntax, std::move(error->message)};
    return {};
}

Status run_chunk(Connection& conn, Output& output, std::string_view state, const Chunk& chunk,
                 const RunOptions& options)
{
    if (options.checker) {
        if (Result<void> r = check_chunk(chunk, *options.checker); !r) {
            output.error(state, r.error());
            return Status::failed;
        }
    }
    using Clock = std::chrono::steady_clock;
    Status status = Status::ok;
    Clock::duration showing{};
    bool shown = false;
    auto show = [&](std::string_view line) {
        if (!shown && options.before_output)
            options.before_output();
        shown = true;
        LineKind kind = output.kernel_line(line, state);
        if (kind == LineKind::error || kind == LineKind::invalid)
            status = Status::failed;
    };
    Clock::time_point start = Clock::now();
    Result<void> r;
    if (!options.elapsed_ns) {
        r = conn.exec({state, chunk.code, chunk.name, chunk.args}, show);
    } else {
        r = conn.exec({state, chunk.code, chunk.name, chunk.args}, [&](std::string_view line) {
            Clock::time_point shown = Clock::now();
            show(line);
            showing += Clock::now() - shown;
        });
        *options.elapsed_ns = static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start - showing)
                .count());
    }
    if (!r) {
        output.error(state, r.error());
        return Status::failed;
    }
    return status;
}

} // namespace klua::cli
