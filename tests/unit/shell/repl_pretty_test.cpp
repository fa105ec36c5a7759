// SPDX-License-Identifier: GPL-2.0-only
// The interactive shell's printer: nested tables laid out, keys sorted,
// capped in depth, entries and string length, with a note of what was cut;
// errors with their place; colours only when asked.
#include <gtest/gtest.h>

#include <sstream>

#include "output.h"
#include "pretty.h"
#include "style.h"

using nlohmann::json;
using namespace klua;
using namespace klua::cli;

namespace {

json J(const char* text)
{
    return json::parse(text);
}

std::string pretty(const char* text, RenderLimits limits = {})
{
    return render_pretty(J(text), limits).text;
}

} // namespace

TEST(Pretty, SmallTablesStayOnOneLine)
{
    EXPECT_EQ(pretty("[1,2,3]"), "{1, 2, 3}");
    EXPECT_EQ(pretty(R"({"b":1,"a":{"x":[true]}})"), "{a = {x = {true}}, b = 1}");
    EXPECT_EQ(pretty("[]"), "{}");
    EXPECT_EQ(pretty(R"("s")"), R"("s")");
    EXPECT_EQ(pretty("null"), "nil");
}

TEST(Pretty, WideTablesGoOverSeveralLinesIndented)
{
    RenderLimits narrow;
    narrow.width = 20;
    EXPECT_EQ(pretty(R"({"name":"a long name","list":[1,2,3],"n":1})", narrow),
              "{\n"
              "  list = {1, 2, 3},\n"
              "  n = 1,\n"
              "  name = \"a long name\",\n"
              "}");
    EXPECT_EQ(pretty(R"({"outer":{"inner":{"k":"vvvvvvvvvvvvvvvvvvvvvv"}}})", narrow),
              "{\n"
              "  outer = {\n"
              "    inner = {\n"
              "      k = \"vvvvvvvvvvvvvvvvvvvvvv\",\n"
              "    },\n"
              "  },\n"
              "}");
}

TEST(Pretty, KeysSortedArrayPartFirst)
{
    EXPECT_EQ(pretty(R"({"z":1,"2":"b","1":"a","a b":2,"-1":0})"),
              R"({"a", "b", [-1] = 0, ["a b"] = 2, z = 1})");
}

TEST(Pretty, DepthIsCapped)
{
    RenderLimits limits;
    limits.max_depth = 2;
    Pretty p = render_pretty(J("[[[1]],[[]],2]"), limits);
    EXPECT_EQ(p.text, "{{{...}}, {{}}, 2}"); // an empty table costs nothing to show
    EXPECT_EQ(p.cut.deep_tables, 1u);
    EXPECT_EQ(describe_cut(p.cut, limits), "output cut: 1 table nested deeper than 2 levels");
}

TEST(Pretty, EntriesAreCapped)
{
    RenderLimits limits;
    limits.max_entries = 3;
    Pretty p = render_pretty(J("[1,2,3,4,5,[6,7,8,9]]"), limits);
    EXPECT_EQ(p.text, "{1, 2, 3, ... (3 more)}");
    EXPECT_EQ(p.cut.hidden_entries, 3u);
    EXPECT_EQ(describe_cut(p.cut, limits), "output cut: 3 entries beyond 3 a table");
}

TEST(Pretty, LongStringsInsideTablesAreCut)
{
    RenderLimits limits;
    limits.max_string = 4;
    Pretty p = render_pretty(J(R"(["abcdefgh", "\u00e9\u00e9\u00e9"])"), limits);
    // Cut at a character's start: "éé" is 4 bytes.
    EXPECT_EQ(p.text, "{\"abcd\"... (4 more bytes), \"\xc3\xa9\xc3\xa9\"... (2 more bytes)}");
    EXPECT_EQ(p.cut.long_strings, 2u);
    EXPECT_EQ(describe_cut(p.cut, limits), "output cut: 2 strings longer than 4 bytes");
}

TEST(Pretty, ResultsShowTopLevelStringsRaw)
{
    RenderLimits limits;
    Pretty p = render_pretty_result(J(R"(["hello", 1, [1,2], {"$base64":"/w=="}])"), limits);
    EXPECT_EQ(p.text, "hello\t1\t{1, 2}\t\"\\xff\"");
    EXPECT_FALSE(p.cut.any());
    EXPECT_EQ(describe_cut(p.cut, limits), "");
}

TEST(PrettyOutput, TextOutputNotesWhatWasCut)
{
    std::ostringstream out, err;
    TextOptions options;
    options.pretty = RenderLimits{};
    options.pretty->max_entries = 2;
    auto output = make_text_output(out, err, options);
    output->kernel_line(R"({"type":"result","state":"web","data":[[1,2,3]]})", "web");
    EXPECT_EQ(out.str(), "{1, 2, ... (1 more)}\n");
    EXPECT_EQ(err.str(), "(output cut: 1 entry beyond 2 a table)\n");
}

TEST(PrettyOutput, ErrorsSayWhereWhenTheMessageDoesNot)
{
    std::ostringstream out, err;
    TextOptions options;
    options.locate_errors = true;
    auto output = make_text_output(out, err, options);
    output->kernel_line(
        R"({"type":"error","state":"web","data":{"kind":"runtime","message":"boom","traceback":"stack traceback:\n\t[C]: in ?","chunk":"stdin","line":3}})");
    output->kernel_line(
        R"({"type":"error","state":"web","data":{"kind":"runtime","message":"stdin:2: bad","chunk":"stdin","line":2}})");
    EXPECT_EQ(err.str(), "klua: runtime error: boom (at stdin:3)\n"
                         "stack traceback:\n\t[C]: in ?\n"
                         "klua: runtime error: stdin:2: bad\n");
}

TEST(PrettyOutput, ColoursOnlyWhenAsked)
{
    std::ostringstream out, err, plain_err;
    TextOptions options;
    options.colors = true;
    auto coloured = make_text_output(out, err, options);
    auto plain = make_text_output(out, plain_err);
    Error e{ErrorKind::request, "no state named 'x'"};
    coloured->error("x", e);
    plain->error("x", e);
    EXPECT_EQ(err.str(), "\033[1;31mklua: no state named 'x'\033[0m\n");
    EXPECT_EQ(plain_err.str(), "klua: no state named 'x'\n");
}

TEST(Style, NoColorWins)
{
    setenv("NO_COLOR", "1", 1);
    EXPECT_FALSE(colors_wanted(STDERR_FILENO));
    unsetenv("NO_COLOR");
    EXPECT_EQ(Style(false).error("x"), "x");
    EXPECT_EQ(Style(true).dim("x"), "\033[2mx\033[0m");
}

TEST(JsonOutputTiming, IsALineOfItsOwn)
{
    std::ostringstream out;
    auto output = make_json_output(out);
    output->timing("web", 1234);
    output->note("ignored in JSON");
    EXPECT_EQ(out.str(), R"({"type":"timing","state":"web","data":{"round_trip_ns":1234}})"
                         "\n");
}
