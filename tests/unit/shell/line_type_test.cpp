// SPDX-License-Identifier: GPL-2.0-only
// kernel_line_type: the one-pass check of a kernel line that --json output
// relies on. It must accept and reject exactly what nlohmann::json (the text
// output's parser) does, so most tests compare the two.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "output.h"

using namespace klua::cli;
using namespace std::string_literals;

namespace {

// What the text output makes of line: its type, or nothing if invalid.
std::optional<std::string> parsed_type(std::string_view line)
{
    std::optional<KernelLine> parsed = parse_kernel_line(line);
    if (!parsed)
        return std::nullopt;
    return parsed->type;
}

void expect_agreement(std::string_view line)
{
    EXPECT_EQ(kernel_line_type(line), parsed_type(line)) << testing::PrintToString(line);
}

} // namespace

TEST(KernelLineType, ChecksTheWholeLine)
{
    EXPECT_EQ(kernel_line_type(R"({"type":"result","state":"web","data":[1]})"), "result");
    EXPECT_EQ(kernel_line_type(R"({"data":{"type":"inner"},"type":"print"})"), "print");
    EXPECT_EQ(kernel_line_type(R"( {"type":"end"} )"), "end");
    EXPECT_EQ(kernel_line_type(R"({"data":{"type":"inner"}})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"type":1})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"type":["result"]})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"([{"type":"result"}])"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"("result")"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"type":"result"} x)"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"type":"result","data":[1,})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(""), std::nullopt);
}

TEST(KernelLineType, TheLastTypeCounts)
{
    EXPECT_EQ(kernel_line_type(R"({"type":"x","type":"y"})"), "y");
    EXPECT_EQ(kernel_line_type(R"({"type":"x","type":1})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"type":"x","type":{}})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"type":1,"type":"y"})"), "y");
}

TEST(KernelLineType, OnlyTheKeyTypeCounts)
{
    EXPECT_EQ(kernel_line_type(R"({"types":"x"})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"typ":"x"})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"type\u0000":"x"})"), std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"typeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee":"x"})"),
              std::nullopt);
    EXPECT_EQ(kernel_line_type(R"({"\u0074\u0079\u0070\u0065":"x"})"), "x");
    EXPECT_EQ(kernel_line_type(R"({"type\u00e9":"x"})"), std::nullopt);
}

TEST(KernelLineType, DecodesTheType)
{
    EXPECT_EQ(kernel_line_type(R"({"type":"\u0072esult"})"), "result");
    EXPECT_EQ(kernel_line_type(R"({"t\u0079pe":"a\"b\\c\/\b\f\n\r\t"})"), "a\"b\\c/\b\f\n\r\t");
    EXPECT_EQ(kernel_line_type(R"({"type":"\u00e9\u20ac\ud83d\ude00"})"),
              "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    EXPECT_EQ(kernel_line_type("{\"type\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}"),
              "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    EXPECT_EQ(kernel_line_type(R"({"type":"a\u0000b"})"), std::string("a\0b", 3));
}

// Nesting is tracked without recursion: a deep line cannot overflow the stack.
TEST(KernelLineType, DeepNesting)
{
    constexpr int depth = 200000;
    std::string line =
        R"({"type":"result","data":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
    EXPECT_EQ(kernel_line_type(line), "result");
    line.pop_back();
    EXPECT_EQ(kernel_line_type(line), std::nullopt);
}

TEST(KernelLineType, AgreesWithTheParser)
{
    for (std::string_view line : {
             R"({"type":"error","data":{"kind":"runtime"}})",
             R"({"state":"a","type":"lost","data":{"count":2}})",
             R"({"type":"result"}{})",
             "{\"type\":\"res\xff\"}",
             R"({"type":null})",
             "null",
             "\xef\xbb\xbf{\"type\":\"bom\"}",
             " \xef\xbb\xbf{\"type\":\"bom\"}",
             "{\"type\":\"x\"}\xef\xbb\xbf",
             // strings
             R"({"type":"\ud800"})",
             R"({"type":"\udc00"})",
             R"({"type":"\ud800\u0041"})",
             R"({"type":"\ud800x"})",
             R"({"type":"\uDBFF\uDFFF"})",
             R"({"type":"\u12"})",
             R"({"type":"\x"})",
             R"({"type":"\)",
             "{\"type\":\"a\tb\"}",
             "{\"type\":\"a\x7f\"}",
             "{\"type\":\"\xc0\x80\"}",
             "{\"type\":\"\xc1\xbf\"}",
             "{\"type\":\"\xc2\x80\"}",
             "{\"type\":\"\xe0\x9f\xbf\"}",
             "{\"type\":\"\xe0\xa0\x80\"}",
             "{\"type\":\"\xed\x9f\xbf\"}",
             "{\"type\":\"\xed\xa0\x80\"}",
             "{\"type\":\"\xef\xbf\xbf\"}",
             "{\"type\":\"\xf0\x8f\xbf\xbf\"}",
             "{\"type\":\"\xf0\x90\x80\x80\"}",
             "{\"type\":\"\xf4\x8f\xbf\xbf\"}",
             "{\"type\":\"\xf4\x90\x80\x80\"}",
             "{\"type\":\"\xf5\x80\x80\x80\"}",
             "{\"type\":\"\xe2\x82\"}",
             "{\"type\":\"\xe2\x82",
             // numbers
             R"({"type":"n","d":[0,-0,1,-1,0.5,-0.5e-3,1E5,1e+5,123456789012345678901234567890]})",
             R"({"type":"n","d":01})",
             R"({"type":"n","d":-})",
             R"({"type":"n","d":1.})",
             R"({"type":"n","d":.5})",
             R"({"type":"n","d":1e})",
             R"({"type":"n","d":1e+})",
             R"({"type":"n","d":+1})",
             R"({"type":"n","d":1e308})",
             R"({"type":"n","d":1.7976931348623157e308})",
             R"({"type":"n","d":1.8e308})",
             R"({"type":"n","d":1e309})",
             R"({"type":"n","d":-1e999})",
             R"({"type":"n","d":1e-400})",
             R"({"type":"n","d":0.0000001e-330})",
             R"({"type":"n","d":100000000000000000000e290})",
             R"({"type":"n","d":0.00000000001e318})",
             R"({"type":"n","d":0.00000000001e320})",
             R"({"type":"n","d":1e99999999999999999999})",
             R"({"type":"n","d":1e-99999999999999999999})",
             // literals and structure
             R"({"type":"l","d":[true,false,null]})",
             R"({"type":"l","d":tru})",
             R"({"type":"l","d":nul})",
             R"({"type":"l","d":True})",
             R"({"type":"s","d":{}})",
             R"({"type":"s","d":[]})",
             R"({"type":"s","d":[1,]})",
             R"({"type":"s","d":{"a":1,}})",
             R"({"type":"s","d":{"a"}})",
             R"({"type":"s","d":{1:2}})",
             R"({"type":"s","d":[}})",
             R"({"type":"s","d":{]})",
             R"({"type":"s" "d":1})",
             R"({"type":"s",,"d":1})",
             "{\"type\":\"s\"}\n",
             "{\"type\":\"s\"}\f",
             "{\"type\":\"s\"}\v",
             "{\"type\" : \"s\" , \"d\" : [ 1 , { } ] }",
             "{\"type\":\"s\",\"d\":[1 2]}",
             "{}",
             "{",
             "",
             " ",
         }) {
        expect_agreement(line);
    }
    // Exponents far beyond a double's, against a mantissa that shifts them
    // back into range (or not).
    const std::string zeros(100000, '0');
    for (const std::string& number :
         {"0." + zeros + "1e1000000", "1" + zeros + "e-1000000", "0." + zeros + "1e100010",
          "1" + zeros + "e-99700", "1" + zeros + "e-100400", "0." + zeros + "1e99999999999999999"})
        expect_agreement(R"({"type":"n","d":)" + number + "}");
    // nlohmann::json would end the line at a NUL byte; neither does.
    expect_agreement("{\"type\":\"s\"}\0"s);
    expect_agreement("{\"type\":\"s\"}\0junk"s);
    EXPECT_EQ(kernel_line_type("{\"type\":\"s\"}\0"s), std::nullopt);
}

// Lines like the kernel's, with random damage: both must agree on each.
TEST(KernelLineType, AgreesWithTheParserOnDamagedLines)
{
    const std::string seeds[] = {
        R"({"type":"result","state":"web","data":{"n":1,"list":[1,2.5,-3e2,true,false,null],"s":"a\"b\u00e9"}})",
        "{\"type\":\"print\",\"state\":\"t\",\"data\":\"caf\xc3\xa9 \xe2\x82\xac "
        "\xf0\x9f\x98\x80\"}",
        R"({"type":"error","data":{"kind":"runtime","message":"x:1: boom","traceback":["a","b"]}})",
        R"({"type":"lost","state":"s","data":{"count":18446744073709551615}})",
    };
    // Bytes that change how a line reads: JSON's, and those that bound
    // UTF-8's ranges.
    const std::string alphabet = "{}[],:\"\\ \t\n\r0123456789-+.eEtrufalsnu"
                                 "\x00\x1f\x7f\x80\xbf\xc0\xc2\xe0\xed\xef\xf0\xf4\xf5\xff"s;
    std::mt19937 rng(20261130);
    auto pick = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    int accepted = 0;
    constexpr int cases = 200000;
    for (int i = 0; i < cases; ++i) {
        std::string line = seeds[pick(std::size(seeds))];
        for (int edits = 1 + pick(3); edits > 0; --edits) {
            std::size_t at = pick(line.size() + 1);
            char c = alphabet[pick(alphabet.size())];
            switch (pick(4)) {
            case 0:
                if (at < line.size())
                    line[at] = c;
                break;
            case 1:
                line.insert(line.begin() + at, c);
                break;
            case 2:
                if (at < line.size())
                    line.erase(at, 1 + pick(3));
                break;
            default:
                line.resize(at);
                break;
            }
        }
        std::optional<std::string> mine = kernel_line_type(line);
        ASSERT_EQ(mine, parsed_type(line)) << testing::PrintToString(line);
        accepted += mine.has_value();
    }
    // The damage leaves both kinds of line to compare.
    EXPECT_GT(accepted, cases / 20);
    EXPECT_LT(accepted, cases - cases / 20);
}
