// SPDX-License-Identifier: GPL-2.0-only
// Lua-like text for the kernel's JSON values.
#include <gtest/gtest.h>

#include "render.h"

using nlohmann::json;
using namespace klua::cli;

static json J(const char* text)
{
    return json::parse(text);
}

TEST(LuaQuote, EscapesLikeLuaSource)
{
    EXPECT_EQ(lua_quote("abc"), "\"abc\"");
    EXPECT_EQ(lua_quote(""), "\"\"");
    EXPECT_EQ(lua_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(lua_quote("1\n2\t3\r\a\b\f\v"), "\"1\\n2\\t3\\r\\a\\b\\f\\v\"");
    EXPECT_EQ(lua_quote(std::string("\0\x1f\x7f", 3)), "\"\\x00\\x1f\\x7f\"");
}

TEST(LuaQuote, KeepsValidUtf8AndEscapesTheRest)
{
    EXPECT_EQ(lua_quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
    EXPECT_EQ(lua_quote("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
    EXPECT_EQ(lua_quote("\xff"), "\"\\xff\"");
    EXPECT_EQ(lua_quote("\xc0\x80"), "\"\\xc0\\x80\"");                   // overlong
    EXPECT_EQ(lua_quote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");          // surrogate
    EXPECT_EQ(lua_quote("\xf4\x90\x80\x80"), "\"\\xf4\\x90\\x80\\x80\""); // above U+10FFFF
    EXPECT_EQ(lua_quote("\xc3"), "\"\\xc3\"");                            // cut short
}

TEST(RenderValue, Scalars)
{
    EXPECT_EQ(render_value(json()), "nil");
    EXPECT_EQ(render_value(true), "true");
    EXPECT_EQ(render_value(false), "false");
    EXPECT_EQ(render_value(42), "42");
    EXPECT_EQ(render_value(J("-9223372036854775808")), "-9223372036854775808");
    EXPECT_EQ(render_value(J("18446744073709551615")), "18446744073709551615");
    EXPECT_EQ(render_value("hi"), "\"hi\"");
    EXPECT_EQ(render_value(1.5), "1.5");
    EXPECT_EQ(render_value(2.0), "2.0");
}

TEST(RenderValue, Tables)
{
    EXPECT_EQ(render_value(J("[]")), "{}");
    EXPECT_EQ(render_value(J("{}")), "{}");
    EXPECT_EQ(render_value(J("[1,2,3]")), "{1, 2, 3}");
    EXPECT_EQ(render_value(J(R"({"1":1,"2":2,"a":true})")), "{1, 2, a = true}");
    EXPECT_EQ(render_value(J(R"({"b":1,"a":2,"B":3})")), "{B = 3, a = 2, b = 1}");
    EXPECT_EQ(render_value(J(R"({"3":"c","1":"a","10":"j","-1":"m"})")),
              R"({"a", [-1] = "m", [3] = "c", [10] = "j"})");
    EXPECT_EQ(render_value(J(R"({"01":1,"1.5":2,"a b":3,"end":4,"_x9":5})")),
              R"({["01"] = 1, ["1.5"] = 2, _x9 = 5, ["a b"] = 3, ["end"] = 4})");
    EXPECT_EQ(render_value(J(R"({"true":1})")), R"({["true"] = 1})");
    EXPECT_EQ(render_value(J(R"([[1,[2]],{"k":{"z":null}}])")), "{{1, {2}}, {k = {z = nil}}}");
    EXPECT_EQ(render_value(J(R"(["x\ny"])")), R"({"x\ny"})");
}

TEST(RenderValue, Base64IsAnEscapedString)
{
    EXPECT_EQ(render_value(J(R"({"$base64":"/w=="})")), R"("\xff")");
    EXPECT_EQ(render_value(J(R"([{"$base64":"YWL/Yw=="}])")), R"({"ab\xffc"})");
    // Not a $base64 value: shown as the table it is.
    EXPECT_EQ(render_value(J(R"({"$base64":"!!"})")), R"({["$base64"] = "!!"})");
    EXPECT_EQ(render_value(J(R"({"$base64":"/w==","x":1})")), R"({["$base64"] = "/w==", x = 1})");
}

TEST(RenderResult, TopLevelValuesSeparatedByTabs)
{
    EXPECT_EQ(render_result(J("[]")), "");
    EXPECT_EQ(render_result(J(R"(["hello"])")), "hello");
    EXPECT_EQ(render_result(J(R"(["a b", 1, true, null])")), "a b\t1\ttrue\tnil");
    EXPECT_EQ(render_result(J(R"(["x\ty"])")), "x\ty");
    EXPECT_EQ(render_result(J(R"([{"$base64":"/w=="}, "<function>"])")), "\"\\xff\"\t<function>");
    EXPECT_EQ(render_result(J(R"([[1,2,{"a":"s"}]])")), R"({1, 2, {a = "s"}})");
}

TEST(TextOf, RawBytes)
{
    EXPECT_EQ(text_of("line"), "line");
    EXPECT_EQ(text_of(J(R"({"$base64":"/w=="})")), "\xff");
    EXPECT_EQ(text_of(J("[1]")), "{1}");
}
