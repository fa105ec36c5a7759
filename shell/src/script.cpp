// SPDX-License-Identifier: GPL-2.0-only
#include "script.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "protocol.h"
#include "render.h"

namespace klua::cli {

// Reading stops here: anything longer is refused anyway.
static constexpr std::size_t read_limit = 4 * max_chunk_bytes;

Chunk command_line_chunk(std::string code)
{
    return Chunk{std::move(code), "=(command line)"};
}

std::string script_code(std::string_view path, std::string_view text)
{
    std::string code = "local arg = {[0] = " + lua_quote(path) + ", ...}; ";
    if (!text.empty() && text[0] == '#') {
        std::size_t nl = text.find('\n');
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl);
    }
    code += text;
    return code;
}

static Result<std::string> read_all(int fd, std::string_view shown)
{
    std::string text;
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error{ErrorKind::file,
                         "cannot read " + std::string(shown) + ": " + std::strerror(errno), errno};
        }
        if (n == 0)
            return text;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > read_limit)
            return Error{ErrorKind::file, std::string(shown) +
                                              " is too large: the limit of a chunk is " +
                                              std::to_string(max_chunk_bytes) + " bytes"};
    }
}

Result<Chunk> load_script(std::string_view path, std::span<const std::string> args)
{
    if (path == "-") {
        Result<std::string> text = read_all(STDIN_FILENO, "standard input");
        if (!text)
            return text.error();
        return Chunk{script_code(path, *text), "=stdin", {args.begin(), args.end()}};
    }
    std::string shown = "'" + std::string(path) + "'";
    int fd = open(std::string(path).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error{ErrorKind::file, "cannot open " + shown + ": " + std::strerror(errno), errno};
    Result<std::string> text = read_all(fd, shown);
    close(fd);
    if (!text)
        return text.error();
    return Chunk{script_code(path, *text), "@" + std::string(path), {args.begin(), args.end()}};
}

} // namespace klua::cli
