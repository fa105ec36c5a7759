// SPDX-License-Identifier: GPL-2.0-only
// Tab completion of the interactive shell, as pure logic: what the text
// before the cursor asks for, and the candidates from a source that knows
// the states and the keys of Lua tables (the kernel, or a fake in tests).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace klua::repl {

enum class CompletionKind {
    none,
    command, // a dot-command's name
    state,   // a state's name
    file,    // a file name (readline completes those itself)
    word,    // one of CompletionContext::words
    lua,     // a global, or a key of the table at path
    module,  // a stdlib module, in require("...")
};

struct CompletionContext {
    CompletionKind kind = CompletionKind::none;
    std::size_t start = 0;          // where the word being completed starts
    std::string prefix;             // the text from start to the cursor
    std::vector<std::string> path;  // lua: the names before the last '.' or ':'
    std::vector<std::string> words; // word: the choices
};

// What the text before the cursor asks to complete. A continuation line
// (inside an unfinished chunk) is Lua, never a dot-command.
CompletionContext analyze_completion(std::string_view before_cursor, bool continuation);

class CompletionSource {
  public:
    virtual ~CompletionSource() = default;
    virtual std::vector<std::string> state_names() = 0;
    // The string keys of the value at path from the globals (the globals
    // for an empty path); nothing if there is no such value.
    virtual std::vector<std::string> lua_keys(std::span<const std::string> path) = 0;
    virtual std::vector<std::string> module_names() = 0;
};

// The candidates that start with ctx.prefix, sorted, without duplicates
// (none for files: readline lists those).
std::vector<std::string> complete(const CompletionContext& ctx, CompletionSource& source);

// A Lua chunk that returns, as one array, the string keys of the value at
// path from _ENV: a table's keys and those of its metatable's __index table
// (a string's are the string library's). It reads with rawget and next, so
// no metamethod of the user's runs, and returns {} when the path leads
// nowhere.
std::string lua_keys_chunk(std::span<const std::string> path);

// The keys from the "result" line that lua_keys_chunk's run gave (nothing
// from any other line).
std::vector<std::string> parse_lua_keys(std::string_view line);

// The stdlib modules that klua embeds (generated from stdlib/*.lua).
std::span<const std::string_view> stdlib_modules();

} // namespace klua::repl
