// SPDX-License-Identifier: GPL-2.0-only
// A local syntax check of chunks with userspace Lua, to report syntax errors
// without a round trip. The kernel remains the authority: a chunk that passes
// here may still fail there (klua's Lua has integers only).
#pragma once

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
    std::unique_ptr<lua_State, StateDeleter> L_;
};

// Lua's message if code (text only) does not compile, else nothing. Nothing
// too if the check itself cannot run.
std::optional<std::string> find_syntax_error(std::string_view code, const std::string& chunk_name);

} // namespace klua
