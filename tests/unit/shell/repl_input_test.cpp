// SPDX-License-Identifier: GPL-2.0-only
// The interactive shell's input classifier: what a buffer of typed lines is,
// decided locally, as the lua REPL decides it.
#include <gtest/gtest.h>

#include "input.h"

using namespace klua;
using namespace klua::repl;

namespace {

Classified classify(std::string_view buffer)
{
    InputClassifier classifier;
    return classifier.classify(buffer);
}

InputKind kind_of(std::string_view buffer)
{
    return classify(buffer).kind;
}

} // namespace

TEST(InputClassifier, ExpressionsAreReturned)
{
    Classified c = classify("1 + 1");
    EXPECT_EQ(c.kind, InputKind::expression);
    EXPECT_EQ(c.code, "return 1 + 1");
    EXPECT_EQ(kind_of("x"), InputKind::expression);
    EXPECT_EQ(kind_of("f()"), InputKind::expression); // its results are shown, as in lua
    EXPECT_EQ(kind_of("{1, 2, a = {}}"), InputKind::expression);
    EXPECT_EQ(kind_of("\"s\" .. x, 2"), InputKind::expression);
    EXPECT_EQ(kind_of("function() end"), InputKind::expression);
}

TEST(InputClassifier, StatementsRunAsTheyAre)
{
    Classified c = classify("x = 1");
    EXPECT_EQ(c.kind, InputKind::statement);
    EXPECT_EQ(c.code, "x = 1");
    EXPECT_EQ(kind_of("local t = {}"), InputKind::statement);
    EXPECT_EQ(kind_of("return 1, 2"), InputKind::statement);
    EXPECT_EQ(kind_of("function f() return 1 end"), InputKind::statement);
    EXPECT_EQ(kind_of("for i = 1, 3 do x = i end"), InputKind::statement);
    EXPECT_EQ(kind_of("f() g()"), InputKind::statement);
    EXPECT_EQ(kind_of("-- a comment"), InputKind::expression); // "return -- ..." returns nothing
}

TEST(InputClassifier, BlankInputIsEmpty)
{
    EXPECT_EQ(kind_of(""), InputKind::empty);
    EXPECT_EQ(kind_of("   \t"), InputKind::empty);
    EXPECT_EQ(kind_of("\n\n"), InputKind::empty);
}

TEST(InputClassifier, UnfinishedChunksContinue)
{
    EXPECT_EQ(kind_of("function f(n)"), InputKind::incomplete);
    EXPECT_EQ(kind_of("function f(n)\n  return n * n"), InputKind::incomplete);
    EXPECT_EQ(kind_of("function f(n)\n  return n * n\nend"), InputKind::statement);
    EXPECT_EQ(kind_of("do"), InputKind::incomplete);
    EXPECT_EQ(kind_of("t = {"), InputKind::incomplete);
    EXPECT_EQ(kind_of("t = {\n1,\n2"), InputKind::incomplete);
    EXPECT_EQ(kind_of("t = {\n1,\n2}"), InputKind::statement);
    EXPECT_EQ(kind_of("{"), InputKind::incomplete); // an expression that goes on
    EXPECT_EQ(kind_of("{\n1}"), InputKind::expression);
    EXPECT_EQ(kind_of("s = [[long"), InputKind::incomplete);
    EXPECT_EQ(kind_of("s = [[long\nstring]]"), InputKind::statement);
    EXPECT_EQ(kind_of("--[[ a long\ncomment"), InputKind::incomplete);
    EXPECT_EQ(kind_of("if x then"), InputKind::incomplete);
    EXPECT_EQ(kind_of("1 +"), InputKind::incomplete);
    EXPECT_EQ(kind_of("print(1,"), InputKind::incomplete);
    Classified c = classify("while true do");
    EXPECT_NE(c.message.find("<eof>"), std::string::npos) << c.message;
}

TEST(InputClassifier, SyntaxErrorsAtOnceWithTheirPlace)
{
    Classified c = classify("x = = 1");
    EXPECT_EQ(c.kind, InputKind::error);
    EXPECT_EQ(c.message, "stdin:1: unexpected symbol near '='");
    ASSERT_TRUE(c.place);
    EXPECT_EQ(c.place->line, 1u);
    EXPECT_EQ(c.place->column, 4u); // the second '='

    // A short string cannot span lines: at the end of the input Lua says
    // "near <eof>" (lua.c continues too), but the next line makes it an error.
    EXPECT_EQ(kind_of("s = \"abc"), InputKind::incomplete);
    c = classify("s = \"abc\nd\"");
    EXPECT_EQ(c.kind, InputKind::error);
    EXPECT_NE(c.message.find("unfinished string"), std::string::npos);
    ASSERT_TRUE(c.place && c.place->column);
    EXPECT_EQ(c.place->line, 1u);
    EXPECT_EQ(*c.place->column, 4u);

    c = classify("local 1 = 2");
    EXPECT_EQ(c.kind, InputKind::error);
    ASSERT_TRUE(c.place && c.place->column);
    EXPECT_EQ(*c.place->column, 6u);
}

TEST(InputClassifier, TheParseThatGotFurtherIsReported)
{
    // As a statement it fails at "1"; as an expression at the second "+".
    Classified c = classify("1 + + 2");
    EXPECT_EQ(c.kind, InputKind::error);
    EXPECT_EQ(c.message, "stdin:1: unexpected symbol near '+'");
    ASSERT_TRUE(c.place && c.place->column);
    EXPECT_EQ(*c.place->column, 4u);

    c = classify("print(\"a\" \"b\")");
    EXPECT_EQ(c.kind, InputKind::error);
    EXPECT_EQ(c.message, "stdin:1: ')' expected near '\"b\"'");
    ASSERT_TRUE(c.place && c.place->column);
    EXPECT_EQ(*c.place->column, 10u);
}

TEST(InputClassifier, ErrorsInLaterLines)
{
    Classified c = classify("function f()\n  x = = 2");
    EXPECT_EQ(c.kind, InputKind::error);
    ASSERT_TRUE(c.place);
    EXPECT_EQ(c.place->line, 2u);
    EXPECT_EQ(c.place->column, 6u);
    EXPECT_EQ(c.message.rfind("stdin:2:", 0), 0u) << c.message;
}

TEST(InputClassifier, ChunkNameIsStdin)
{
    InputClassifier classifier("=stdin");
    EXPECT_EQ(classifier.classify("x y").message.rfind("stdin:1:", 0), 0u);
}

TEST(LocateSyntaxError, NoLineNoPlace)
{
    SyntaxChecker checker;
    EXPECT_FALSE(locate_syntax_error(checker, "x", "=stdin", "no position here"));
}

TEST(LocateSyntaxError, TokensOfSeveralCharacters)
{
    SyntaxChecker checker;
    std::string code = "x = 1 end";
    std::optional<SyntaxError> e = checker.check(code, "=stdin");
    ASSERT_TRUE(e);
    auto place = locate_syntax_error(checker, code, "=stdin", e->message);
    ASSERT_TRUE(place && place->column) << e->message;
    EXPECT_EQ(*place->column, 6u); // "end"
}

TEST(LineOf, Lines)
{
    EXPECT_EQ(line_of("a\nbc\n", 1), "a");
    EXPECT_EQ(line_of("a\nbc\n", 2), "bc");
    EXPECT_EQ(line_of("a\nbc\n", 3), "");
    EXPECT_EQ(line_of("a\nbc", 4), "");
    EXPECT_EQ(line_of("abc", 1), "abc");
}

TEST(CaretUnder, KeepsTabsAndCountsCharacters)
{
    EXPECT_EQ(caret_under("x = = 1", 4), "    ^");
    EXPECT_EQ(caret_under("\tx = = 1", 5), "\t    ^");
    EXPECT_EQ(caret_under("s = \"\xc3\xa9\" +", 9), "        ^"); // é is one column
    EXPECT_EQ(caret_under("", 0), "^");
}
