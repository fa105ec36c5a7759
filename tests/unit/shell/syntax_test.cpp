// SPDX-License-Identifier: GPL-2.0-only
// The local syntax check: a syntax error is found without a round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "syntax.h"

using klua::find_syntax_error;

TEST(SyntaxCheck, ValidChunksPass)
{
    EXPECT_FALSE(find_syntax_error("return 1", "=(command line)").has_value());
    EXPECT_FALSE(find_syntax_error("", "=(command line)").has_value());
    EXPECT_FALSE(
        find_syntax_error("local t = {} for i = 1, 3 do t[i] = i end return t", "=(command line)")
            .has_value());
}

TEST(SyntaxCheck, ErrorsNameTheChunkAndLine)
{
    auto message = find_syntax_error("x = 1\nreturn 1 +", "=(command line)");
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(message->rfind("(command line):2:", 0), 0u) << *message;
    EXPECT_NE(message->find("unexpected symbol"), std::string::npos);

    message = find_syntax_error("if x then", "@scripts/a.lua");
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(message->rfind("scripts/a.lua:1:", 0), 0u) << *message;
}

TEST(SyntaxCheck, BinaryChunksAreRefused)
{
    auto message = find_syntax_error("\x1bLua\x54", "=(command line)");
    ASSERT_TRUE(message.has_value());
    EXPECT_NE(message->find("binary"), std::string::npos) << *message;
}

TEST(SyntaxCheck, RuntimeErrorsAreNotSyntaxErrors)
{
    EXPECT_FALSE(find_syntax_error("error('boom')", "=(command line)").has_value());
    EXPECT_FALSE(find_syntax_error("return nil + 1", "=(command line)").has_value());
}

TEST(SyntaxChecker, TellsAnEarlyEndFromOtherErrors)
{
    klua::SyntaxChecker checker;
    auto error = checker.check("function f()", "=stdin");
    ASSERT_TRUE(error.has_value());
    EXPECT_TRUE(error->at_eof) << error->message;
    error = checker.check("x = = 1", "=stdin");
    ASSERT_TRUE(error.has_value());
    EXPECT_FALSE(error->at_eof);
    EXPECT_EQ(error->message, "stdin:1: unexpected symbol near '='");
    EXPECT_FALSE(checker.check("return 1", "=stdin").has_value());
    // The state is kept: many checks in a row.
    for (int i = 0; i < 1000; ++i)
        ASSERT_FALSE(checker.check("local x = " + std::to_string(i), "=stdin").has_value());
}

TEST(SyntaxChecker, ChecksLargeChunksAndGivesTheirMemoryBack)
{
    // Thousands of functions and strings: blocks of every size class and
    // vectors that grow past the small blocks, then freed by the collector.
    std::string code;
    for (int i = 0; i < 5000; ++i)
        code += "function f" + std::to_string(i % 150) + "() return '" +
                std::string(static_cast<std::size_t>(i % 300), 'x') + "' .. " + std::to_string(i) +
                " end\n";
    klua::SyntaxChecker checker;
    for (int round = 0; round < 3; ++round) {
        EXPECT_FALSE(checker.check(code, "=big").has_value());
        auto error = checker.check(code + "end", "=big");
        ASSERT_TRUE(error.has_value());
        EXPECT_EQ(error->message, "big:5001: <eof> expected near 'end'");
    }
    EXPECT_FALSE(checker.check("return 1", "=stdin").has_value());
}

TEST(SyntaxChecker, MovesWithItsMemory)
{
    klua::SyntaxChecker a;
    klua::SyntaxChecker b;
    EXPECT_FALSE(a.check("return 1", "=a").has_value());
    EXPECT_FALSE(b.check("return 2", "=b").has_value());
    a = std::move(b); // a's state closes into a's pool before the pool goes
    EXPECT_FALSE(a.check("return {1, 2}", "=a").has_value());
    klua::SyntaxChecker c(std::move(a));
    EXPECT_TRUE(c.check("return +", "=c").has_value());
}

// The pool as Lua's allocator: a block keeps its bytes when it moves between
// sizes, and what it caches is bounded.
TEST(BlockPool, ReallocKeepsContentsAcrossSizes)
{
    klua::BlockPool pool;
    void* ud = &pool;
    auto* p = static_cast<unsigned char*>(klua::BlockPool::lua_alloc(ud, nullptr, 0, 10));
    ASSERT_NE(p, nullptr);
    for (int i = 0; i < 10; ++i)
        p[i] = static_cast<unsigned char>(i);
    std::size_t size = 10;
    // Up through the small classes into malloc's range, and back down.
    for (std::size_t next : {24u, 200u, 256u, 257u, 5000u, 300u, 100u, 16u}) {
        p = static_cast<unsigned char*>(klua::BlockPool::lua_alloc(ud, p, size, next));
        ASSERT_NE(p, nullptr);
        for (std::size_t i = 0; i < std::min<std::size_t>(size, 10); ++i)
            ASSERT_EQ(p[i], i) << "after a move from " << size << " to " << next << " bytes";
        size = next;
    }
    EXPECT_EQ(klua::BlockPool::lua_alloc(ud, p, size, 0), nullptr);
    // A freed block is handed out again for its class.
    std::size_t cached = pool.cached_bytes();
    void* again = klua::BlockPool::lua_alloc(ud, nullptr, 0, 9);
    EXPECT_EQ(again, p);
    EXPECT_EQ(pool.cached_bytes(), cached - 16);
    klua::BlockPool::lua_alloc(ud, again, 9, 0);
}

TEST(BlockPool, TrimFreesWhatItCachesAboveTheLimit)
{
    klua::BlockPool pool;
    std::vector<void*> blocks;
    for (std::size_t n = 0; n * 64 <= klua::BlockPool::cached_max; ++n)
        blocks.push_back(klua::BlockPool::lua_alloc(&pool, nullptr, 0, 64));
    for (void* b : blocks)
        klua::BlockPool::lua_alloc(&pool, b, 64, 0);
    EXPECT_GT(pool.cached_bytes(), klua::BlockPool::cached_max);
    pool.trim();
    EXPECT_EQ(pool.cached_bytes(), 0u);
    void* one = klua::BlockPool::lua_alloc(&pool, nullptr, 0, 64);
    klua::BlockPool::lua_alloc(&pool, one, 64, 0);
    pool.trim(); // under the limit: kept
    EXPECT_EQ(pool.cached_bytes(), 64u);
}
