// SPDX-License-Identifier: GPL-2.0-only
// Script files: the code the kernel gets keeps its line numbers, and sees
// its path and arguments in the local table arg.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <lua.hpp>

#include "script.h"
#include "syntax.h"

using namespace klua;
using namespace klua::cli;

namespace {

struct LuaState {
    std::unique_ptr<lua_State, decltype(&lua_close)> L{luaL_newstate(), &lua_close};
};

// Runs code in a fresh userspace Lua with args as its ..., as the kernel
// does; returns its first result or error as a string.
std::string run_lua(const std::string& code, const std::string& name,
                    const std::vector<std::string>& args = {})
{
    LuaState s;
    lua_State* L = s.L.get();
    luaL_openlibs(L);
    if (luaL_loadbufferx(L, code.data(), code.size(), name.c_str(), "t") != LUA_OK)
        return std::string("load: ") + lua_tostring(L, -1);
    for (const std::string& a : args)
        lua_pushlstring(L, a.data(), a.size());
    if (lua_pcall(L, static_cast<int>(args.size()), 1, 0) != LUA_OK)
        return std::string("error: ") + lua_tostring(L, -1);
    const char* r = luaL_tolstring(L, -1, nullptr);
    return r ? r : "";
}

class TempFile {
  public:
    explicit TempFile(const std::string& text)
    {
        char name[] = "/tmp/klua-script-test-XXXXXX";
        int fd = mkstemp(name);
        EXPECT_GE(fd, 0);
        path_ = name;
        EXPECT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
        close(fd);
    }
    ~TempFile() { unlink(path_.c_str()); }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

} // namespace

TEST(ScriptCode, ArgTableHoldsPathAndArguments)
{
    std::vector<std::string> args = {"one", "two words", "q\"uote\n", "\xff"};
    std::string code = script_code("dir/s'\".lua", "return #arg .. '|' .. arg[0] .. '|' .. "
                                                   "arg[1] .. '|' .. arg[2] .. '|' .. arg[3] "
                                                   ".. '|' .. #arg[4]");
    EXPECT_EQ(run_lua(code, "@dir/s.lua", args), "4|dir/s'\".lua|one|two words|q\"uote\n|1");
}

TEST(ScriptCode, ArgumentsAreAlsoTheChunksVarargs)
{
    std::vector<std::string> args = {"a", "b"};
    std::string code = script_code("s.lua", "local x, y = ... return select('#', ...) .. x .. y");
    EXPECT_EQ(run_lua(code, "@s.lua", args), "2ab");
    EXPECT_EQ(run_lua(script_code("s.lua", "return select('#', ...) .. #arg"), "@s.lua"), "00");
}

TEST(ScriptCode, LineNumbersStay)
{
    std::string code = script_code("s.lua", "local x = 1\n\nerror('boom')\n");
    EXPECT_EQ(run_lua(code, "@s.lua"), "error: s.lua:3: boom");
}

TEST(ScriptCode, ShebangLineIsEmptied)
{
    std::string code = script_code("s.lua", "#!/usr/bin/env klua -s web\nerror('x')");
    EXPECT_FALSE(find_syntax_error(code, "@s.lua").has_value());
    EXPECT_EQ(run_lua(code, "@s.lua"), "error: s.lua:2: x");
    code = script_code("s.lua", "# only a comment line");
    EXPECT_EQ(run_lua(code, "@s.lua"), "nil");
}

TEST(ScriptCode, SyntaxErrorsKeepTheirLine)
{
    std::string code = script_code("s.lua", "x = 1\ny = = 2\n");
    auto message = find_syntax_error(code, "@s.lua");
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(message->rfind("s.lua:2:", 0), 0u) << *message;
}

TEST(LoadScript, ReadsAFile)
{
    TempFile file("return 42\n");
    Result<Chunk> chunk = load_script(file.path(), {});
    ASSERT_TRUE(chunk.ok()) << chunk.error().message;
    EXPECT_EQ(chunk->name, "@" + file.path());
    EXPECT_EQ(run_lua(chunk->code, chunk->name), "42");
}

TEST(LoadScript, KeepsTheArguments)
{
    TempFile file("return (...)\n");
    std::vector<std::string> args = {"x", "y"};
    Result<Chunk> chunk = load_script(file.path(), args);
    ASSERT_TRUE(chunk.ok()) << chunk.error().message;
    EXPECT_EQ(chunk->args, args);
    EXPECT_EQ(run_lua(chunk->code, chunk->name, chunk->args), "x");
}

TEST(LoadScript, MissingFileIsAFileError)
{
    Result<Chunk> chunk = load_script("/nonexistent/klua/script.lua", {});
    ASSERT_FALSE(chunk.ok());
    EXPECT_EQ(chunk.error().kind, ErrorKind::file);
    EXPECT_EQ(chunk.error().err, ENOENT);
    EXPECT_NE(chunk.error().message.find("cannot open '/nonexistent/klua/script.lua'"),
              std::string::npos);
}

TEST(LoadScript, HugeFileIsRefused)
{
    TempFile file(std::string(5 * 64000, '-'));
    Result<Chunk> chunk = load_script(file.path(), {});
    ASSERT_FALSE(chunk.ok());
    EXPECT_NE(chunk.error().message.find("too large"), std::string::npos);
}

TEST(CommandLineChunk, Name)
{
    EXPECT_EQ(command_line_chunk("return 1").name, "=(command line)");
}
