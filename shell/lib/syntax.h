// SPDX-License-Identifier: GPL-2.0-only
// A local syntax check of chunks with userspace Lua, to report syntax errors
// without a round trip. The kernel remains the authority: a chunk that passes
// here may still fail there (klua's Lua has integers only).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct lua_State;

namespace klua {

struct SyntaxError {
    std::string message; // Lua's, starting with the chunk name and the line
    // The chunk ended where Lua wanted more ("... near <eof>"): more lines
    // may complete it, as the lua REPL assumes.
    bool at_eof = false;
};

// Memory for a Lua state that compiles the same kind of chunk over and over:
// small blocks are kept on free lists by size and reused, so a check costs
// no trip through malloc once the lists are warm. Blocks above block_max go
// to malloc; the lists are emptied when they hold more than cached_max.
class BlockPool {
  public:
    static constexpr std::size_t granule = 16;
    static constexpr std::size_t block_max = 256;
    static constexpr std::size_t cached_max = 256 << 10;

    BlockPool() = default;
    BlockPool(const BlockPool&) = delete;
    BlockPool& operator=(const BlockPool&) = delete;
    ~BlockPool() { release(); }

    // A lua_Alloc: ud is the pool.
    static void* lua_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) noexcept;
    // Frees the cached blocks if they are more than cached_max.
    void trim() noexcept;
    std::size_t cached_bytes() const { return cached_bytes_; }

  private:
    static constexpr std::size_t classes = block_max / granule;
    static std::size_t class_of(std::size_t size) { return (size + granule - 1) / granule - 1; }
    void* take(std::size_t size) noexcept;
    void give(void* block, std::size_t size) noexcept;
    void release() noexcept;

    std::array<void*, classes> free_{}; // each free block holds the next one
    std::size_t cached_bytes_ = 0;
};

// Compiles chunks without running them, in one userspace Lua state kept for
// all checks (a state per check costs more than most checks).
class SyntaxChecker {
  public:
    SyntaxChecker();
    ~SyntaxChecker();
    SyntaxChecker(SyntaxChecker&&) noexcept;
    SyntaxChecker& operator=(SyntaxChecker&&) noexcept;

    // Lua's error if code (text only) does not compile, else nothing.
    // Nothing too if the check itself cannot run (no memory).
    std::optional<SyntaxError> check(std::string_view code, const std::string& chunk_name);

  private:
    struct StateDeleter {
        void operator()(lua_State* L) const noexcept;
    };
    // Declared first: the state, destroyed first, frees into it.
    std::unique_ptr<BlockPool> pool_;
    std::unique_ptr<lua_State, StateDeleter> L_;
};

// Lua's message if code (text only) does not compile, else nothing. Nothing
// too if the check itself cannot run.
std::optional<std::string> find_syntax_error(std::string_view code, const std::string& chunk_name);

} // namespace klua
