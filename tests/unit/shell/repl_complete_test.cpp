// SPDX-License-Identifier: GPL-2.0-only
// Tab completion as pure logic: what the text before the cursor asks for,
// and the candidates, from a fake kernel; and the Lua chunk that lists keys,
// run in userspace Lua.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include <lua.hpp>

#include "complete.h"

using namespace klua::repl;

namespace {

class FakeSource final : public CompletionSource {
  public:
    std::vector<std::string> state_names() override { return {"web", "web-api", "db"}; }
    std::vector<std::string> lua_keys(std::span<const std::string> path) override
    {
        asked.assign(path.begin(), path.end());
        std::string key;
        for (const std::string& p : path)
            key += "/" + p;
        auto it = tables.find(key);
        return it == tables.end() ? std::vector<std::string>{} : it->second;
    }
    std::vector<std::string> module_names() override { return {"agg"}; }

    std::map<std::string, std::vector<std::string>> tables = {
        {"", {"string", "timer", "table", "counts", "print", "_G", "x y"}},
        {"/string", {"format", "find", "rep", "sub"}},
        {"/timer", {"every", "after"}},
        {"/counts/web", {"hits"}},
    };
    std::vector<std::string> asked;
};

std::vector<std::string> candidates(std::string_view before, bool continuation = false)
{
    FakeSource source;
    return complete(analyze_completion(before, continuation), source);
}

using Words = std::vector<std::string>;

} // namespace

TEST(Completion, DotCommandNames)
{
    CompletionContext ctx = analyze_completion(".u", false);
    EXPECT_EQ(ctx.kind, CompletionKind::command);
    EXPECT_EQ(ctx.start, 0u);
    EXPECT_EQ(ctx.prefix, ".u");
    EXPECT_EQ(candidates(".u"), Words{".use"});
    EXPECT_EQ(candidates(".t"), Words{".timing"});
    EXPECT_EQ(candidates(".").size(), 11u);
    EXPECT_EQ(candidates(".h"), (Words{".help", ".hooks"}));
    EXPECT_EQ(candidates(".help u"), Words{"use"});
}

TEST(Completion, StateNames)
{
    CompletionContext ctx = analyze_completion(".use we", false);
    EXPECT_EQ(ctx.kind, CompletionKind::state);
    EXPECT_EQ(ctx.start, 5u);
    EXPECT_EQ(candidates(".use we"), (Words{"web", "web-api"}));
    EXPECT_EQ(candidates(".use "), (Words{"db", "web", "web-api"}));
    EXPECT_EQ(candidates(".destroy d"), Words{"db"});
    EXPECT_TRUE(candidates(".use web x").empty()); // only the first argument
}

TEST(Completion, OnOff)
{
    EXPECT_EQ(candidates(".json o"), (Words{"off", "on"}));
    EXPECT_EQ(candidates(".timing of"), Words{"off"});
}

TEST(Completion, GlobalsAndKeywords)
{
    CompletionContext ctx = analyze_completion("x = pri", false);
    EXPECT_EQ(ctx.kind, CompletionKind::lua);
    EXPECT_EQ(ctx.start, 4u);
    EXPECT_TRUE(ctx.path.empty());
    EXPECT_EQ(candidates("x = pri"), Words{"print"});
    EXPECT_EQ(candidates("t"), (Words{"table", "then", "timer", "true"}));
    EXPECT_EQ(candidates("fun"), Words{"function"});
    // Keys that are not names are not offered.
    EXPECT_EQ(candidates("x"), Words{});
}

TEST(Completion, FieldsOfTables)
{
    CompletionContext ctx = analyze_completion("s = string.f", false);
    EXPECT_EQ(ctx.kind, CompletionKind::lua);
    EXPECT_EQ(ctx.path, Words{"string"});
    EXPECT_EQ(ctx.prefix, "f");
    EXPECT_EQ(ctx.start, 11u);
    EXPECT_EQ(candidates("s = string.f"), (Words{"find", "format"}));
    EXPECT_EQ(candidates("timer."), (Words{"after", "every"}));
    EXPECT_EQ(candidates("counts.web.h"), Words{"hits"});
    EXPECT_EQ(analyze_completion("t:st", false).path, Words{"t"}); // methods
    EXPECT_EQ(candidates("counts.nothing.x"), Words{});
}

TEST(Completion, ContinuationLinesAreLua)
{
    EXPECT_NE(analyze_completion(".u", true).kind, CompletionKind::command);
    EXPECT_EQ(candidates("  pri", true), Words{"print"});
}

TEST(Completion, NothingWhereNoNameCanBe)
{
    EXPECT_EQ(analyze_completion("x = (a).b", false).kind, CompletionKind::none);
    EXPECT_EQ(analyze_completion("t[1].b", false).kind, CompletionKind::none);
    EXPECT_EQ(analyze_completion("x = 1.5", false).kind, CompletionKind::none);
    EXPECT_EQ(analyze_completion("a:b.c", false).kind, CompletionKind::none);
    EXPECT_EQ(analyze_completion("s = \"str", false).kind, CompletionKind::none);
    EXPECT_EQ(analyze_completion("x = 1 -- pri", false).kind, CompletionKind::none);
    EXPECT_EQ(analyze_completion("s = [[pri", false).kind, CompletionKind::none);
    // A closed string does not count.
    EXPECT_EQ(analyze_completion("s = 'a' .. pri", false).kind, CompletionKind::lua);
    EXPECT_EQ(candidates("s = 'a' .. pri"), Words{"print"});
}

TEST(Completion, StdlibModulesInRequire)
{
    CompletionContext ctx = analyze_completion("local agg = require(\"a", false);
    EXPECT_EQ(ctx.kind, CompletionKind::module);
    EXPECT_EQ(ctx.prefix, "a");
    EXPECT_EQ(candidates("local agg = require(\"a"), Words{"agg"});
    EXPECT_EQ(candidates("require 'a"), Words{"agg"});
    EXPECT_EQ(candidates("require ( \""), Words{"agg"});
    EXPECT_EQ(analyze_completion("myrequire(\"a", false).kind, CompletionKind::none);
}

TEST(Completion, StdlibModulesComeFromStdlib)
{
    auto modules = stdlib_modules();
    EXPECT_NE(std::find(modules.begin(), modules.end(), "agg"), modules.end());
}

namespace {

// Runs lua_keys_chunk(path) in userspace Lua after setup; returns its keys, sorted.
std::vector<std::string> keys_in_lua(const std::string& setup, std::vector<std::string> path)
{
    std::unique_ptr<lua_State, decltype(&lua_close)> L(luaL_newstate(), &lua_close);
    luaL_openlibs(L.get());
    EXPECT_EQ(luaL_dostring(L.get(), setup.c_str()), LUA_OK);
    std::string code = lua_keys_chunk(path);
    if (luaL_dostring(L.get(), code.c_str()) != LUA_OK) {
        ADD_FAILURE() << lua_tostring(L.get(), -1);
        return {};
    }
    std::vector<std::string> keys;
    lua_Integer n = luaL_len(L.get(), -1);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_geti(L.get(), -1, i);
        keys.emplace_back(lua_tostring(L.get(), -1));
        lua_pop(L.get(), 1);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

} // namespace

TEST(LuaKeysChunk, ListsKeysWithoutRunningMetamethods)
{
    std::string setup = "t = setmetatable({a = 1, b = {c = 2}, [1] = 3}, {"
                        "  __index = {method = print},"
                        "  __pairs = function() error('ran __pairs') end})"
                        "s = 'text'";
    EXPECT_EQ(keys_in_lua(setup, {"t"}), (Words{"a", "b", "method"}));
    EXPECT_EQ(keys_in_lua(setup, {"t", "b"}), Words{"c"});
    EXPECT_EQ(keys_in_lua(setup, {"nothing", "here"}), Words{});
    EXPECT_EQ(keys_in_lua(setup, {"t", "a"}), Words{}); // a number has no keys
    auto string_keys = keys_in_lua(setup, {"s"});
    EXPECT_NE(std::find(string_keys.begin(), string_keys.end(), "upper"), string_keys.end());
    auto globals = keys_in_lua(setup, {});
    EXPECT_NE(std::find(globals.begin(), globals.end(), "t"), globals.end());
    EXPECT_NE(std::find(globals.begin(), globals.end(), "print"), globals.end());
    // Names are quoted: no injection through the path.
    EXPECT_EQ(keys_in_lua(setup, {"t\"}) error('x') --"}), Words{});
}

TEST(LuaKeysChunk, ParseTheResultLine)
{
    EXPECT_EQ(parse_lua_keys(R"({"type":"result","state":"a","data":[["x","y"]]})"),
              (Words{"x", "y"}));
    EXPECT_EQ(parse_lua_keys(R"({"type":"result","state":"a","data":[[]]})"), Words{});
    EXPECT_EQ(parse_lua_keys(R"({"type":"error","state":"a","data":{"kind":"runtime"}})"), Words{});
    EXPECT_EQ(parse_lua_keys(R"({"type":"print","state":"a","data":"x"})"), Words{});
    EXPECT_EQ(parse_lua_keys("not json"), Words{});
}
