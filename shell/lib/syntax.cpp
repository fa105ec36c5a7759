// SPDX-License-Identifier: GPL-2.0-only
#include "syntax.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include <lua.hpp>

namespace klua {

// What Lua's parser says when a chunk ends too early (lua.c's EOFMARK).
static constexpr std::string_view eof_mark = "<eof>";

void SyntaxChecker::StateDeleter::operator()(lua_State* L) const noexcept
{
    lua_close(L);
}

void* BlockPool::take(std::size_t size) noexcept
{
    if (size > block_max)
        return std::malloc(size);
    std::size_t c = class_of(size);
    void* block = free_[c];
    if (!block)
        return std::malloc((c + 1) * granule);
    std::memcpy(&free_[c], block, sizeof(void*));
    cached_bytes_ -= (c + 1) * granule;
    return block;
}

void BlockPool::give(void* block, std::size_t size) noexcept
{
    if (size > block_max) {
        std::free(block);
        return;
    }
    std::size_t c = class_of(size);
    std::memcpy(block, &free_[c], sizeof(void*));
    free_[c] = block;
    cached_bytes_ += (c + 1) * granule;
}

void* BlockPool::lua_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) noexcept
{
    BlockPool& pool = *static_cast<BlockPool*>(ud);
    if (!ptr) // osize is the kind of object, not a size
        return nsize ? pool.take(nsize) : nullptr;
    if (nsize == 0) {
        pool.give(ptr, osize);
        return nullptr;
    }
    if (osize > block_max && nsize > block_max)
        return std::realloc(ptr, nsize);
    if (osize <= block_max && nsize <= block_max && class_of(osize) == class_of(nsize))
        return ptr;
    void* block = pool.take(nsize);
    if (!block)
        return nullptr; // Lua keeps ptr
    std::memcpy(block, ptr, std::min(osize, nsize));
    pool.give(ptr, osize);
    return block;
}

void BlockPool::trim() noexcept
{
    if (cached_bytes_ > cached_max)
        release();
}

void BlockPool::release() noexcept
{
    for (void*& head : free_) {
        while (head) {
            void* next;
            std::memcpy(&next, head, sizeof(void*));
            std::free(head);
            head = next;
        }
    }
    cached_bytes_ = 0;
}

SyntaxChecker::SyntaxChecker()
    : pool_(new (std::nothrow) BlockPool),
      L_(pool_ ? lua_newstate(BlockPool::lua_alloc, pool_.get()) : nullptr)
{
}
SyntaxChecker::~SyntaxChecker() = default;
SyntaxChecker::SyntaxChecker(SyntaxChecker&&) noexcept = default;
SyntaxChecker& SyntaxChecker::operator=(SyntaxChecker&& other) noexcept
{
    // The state first: closing it frees into its pool.
    L_.reset();
    pool_ = std::move(other.pool_);
    L_ = std::move(other.L_);
    return *this;
}

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
    pool_->trim();
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
