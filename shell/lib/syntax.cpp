// SPDX-License-Identifier: GPL-2.0-only
#include "syntax.h"

#include <lua.hpp>

namespace klua {

// What Lua's parser says when a chunk ends too early (lua.c's EOFMARK).
static constexpr std::string_view eof_mark = "<eof>";

void SyntaxChecker::StateDeleter::operator()(lua_State* L) const noexcept
{
    lua_close(L);
}

SyntaxChecker::SyntaxChecker() : L_(luaL_newstate()) {}
SyntaxChecker::~SyntaxChecker() = default;
SyntaxChecker::SyntaxChecker(SyntaxChecker&&) noexcept = default;
SyntaxChecker& SyntaxChecker::operator=(SyntaxChecker&&) noexcept = default;

std::optional<SyntaxError> SyntaxChecker::check(std::string_view code,
                                                const std::string& chunk_name)
{
    if (!L_)
        return std::nullopt;
    lua_State* L = L_.get();
    // Compiles without running; pushes the function or the error message.
    int status = luaL_loadbufferx(L, code.data(), code.size(), chunk_name.c_str(), "t");
    std::optional<SyntaxError> error;
    if (status == LUA_ERRSYNTAX) {
        std::size_t len = 0;
        const char* message = lua_tolstring(L, -1, &len);
        error.emplace();
        error->message = message ? std::string(message, len) : "syntax error";
        error->at_eof = std::string_view(error->message).ends_with(eof_mark);
    }
    lua_settop(L, 0);
    return error;
}

std::optional<std::string> find_syntax_error(std::string_view code, const std::string& chunk_name)
{
    SyntaxChecker checker;
    std::optional<SyntaxError> error = checker.check(code, chunk_name);
    if (!error)
        return std::nullopt;
    return std::move(error->message);
}

} // namespace klua
