// SPDX-License-Identifier: GPL-2.0-only
#include "syntax.h"

#include <memory>

#include <lua.hpp>

namespace klua {

namespace {
struct StateDeleter {
    void operator()(lua_State* L) const noexcept { lua_close(L); }
};
} // namespace

std::optional<std::string> find_syntax_error(std::string_view code, const std::string& chunk_name)
{
    std::unique_ptr<lua_State, StateDeleter> L(luaL_newstate());
    if (!L)
        return std::nullopt;
    // Compiles without running; pushes the function or the error message.
    int status = luaL_loadbufferx(L.get(), code.data(), code.size(), chunk_name.c_str(), "t");
    if (status != LUA_ERRSYNTAX)
        return std::nullopt;
    std::size_t len = 0;
    const char* message = lua_tolstring(L.get(), -1, &len);
    if (!message)
        return std::string("syntax error");
    return std::string(message, len);
}

} // namespace klua
