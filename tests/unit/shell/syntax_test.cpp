// SPDX-License-Identifier: GPL-2.0-only
// The local syntax check: a syntax error is found without a round trip.
#include <gtest/gtest.h>

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
