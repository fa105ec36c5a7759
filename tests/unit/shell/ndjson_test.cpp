// SPDX-License-Identifier: GPL-2.0-only
// Reassembly of OUTPUT attributes: a line (and a UTF-8 sequence) may be split
// between messages anywhere.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ndjson.h"

using klua::LineSplitter;

namespace {

const std::string stream =
    "{\"type\":\"print\",\"state\":\"web\",\"data\":\"caf\xc3\xa9 \xe2\x82\xac "
    "\xf0\x9f\x98\x80\"}\n"
    "{\"type\":\"lost\",\"state\":\"web\",\"data\":{\"count\":3}}\n"
    "{\"type\":\"result\",\"state\":\"web\",\"data\":[1,\"\xe6\x97\xa5\xe6\x9c\xac\"]}\n";

const std::vector<std::string> expected = {
    "{\"type\":\"print\",\"state\":\"web\",\"data\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
    "{\"type\":\"lost\",\"state\":\"web\",\"data\":{\"count\":3}}",
    "{\"type\":\"result\",\"state\":\"web\",\"data\":[1,\"\xe6\x97\xa5\xe6\x9c\xac\"]}",
};

std::vector<std::string> feed_pieces(const std::vector<std::string_view>& pieces,
                                     LineSplitter& splitter)
{
    std::vector<std::string> lines;
    for (std::string_view piece : pieces)
        splitter.feed(piece, [&](std::string_view line) { lines.emplace_back(line); });
    return lines;
}

} // namespace

TEST(LineSplitter, WholeStreamAtOnce)
{
    LineSplitter splitter;
    EXPECT_EQ(feed_pieces({stream}, splitter), expected);
    EXPECT_FALSE(splitter.has_partial());
}

TEST(LineSplitter, SplitAtEveryBytePosition)
{
    std::string_view all = stream;
    for (std::size_t cut = 0; cut <= all.size(); ++cut) {
        LineSplitter splitter;
        EXPECT_EQ(feed_pieces({all.substr(0, cut), all.substr(cut)}, splitter), expected)
            << "cut at " << cut;
        EXPECT_FALSE(splitter.has_partial());
    }
}

TEST(LineSplitter, SplitAtEveryPairOfPositions)
{
    std::string_view all = stream;
    for (std::size_t a = 0; a <= all.size(); ++a)
        for (std::size_t b = a; b <= all.size(); ++b) {
            LineSplitter splitter;
            auto lines =
                feed_pieces({all.substr(0, a), all.substr(a, b - a), all.substr(b)}, splitter);
            ASSERT_EQ(lines, expected) << "cuts at " << a << " and " << b;
        }
}

TEST(LineSplitter, OneByteAtATime)
{
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < stream.size(); ++i)
        bytes.push_back(std::string_view(stream).substr(i, 1));
    LineSplitter splitter;
    EXPECT_EQ(feed_pieces(bytes, splitter), expected);
}

TEST(LineSplitter, MidUtf8SplitKeepsTheBytes)
{
    // The split falls between the bytes of "é" (c3 a9).
    LineSplitter splitter;
    auto lines = feed_pieces({"{\"data\":\"caf\xc3", "\xa9\"}\n"}, splitter);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "{\"data\":\"caf\xc3\xa9\"}");
}

TEST(LineSplitter, KeepsAnUnfinishedLine)
{
    LineSplitter splitter;
    auto lines = feed_pieces({"{\"a\":1}\n{\"b\":"}, splitter);
    EXPECT_EQ(lines, std::vector<std::string>{"{\"a\":1}"});
    EXPECT_TRUE(splitter.has_partial());
    EXPECT_EQ(splitter.partial(), "{\"b\":");
    splitter.clear();
    EXPECT_FALSE(splitter.has_partial());
}

TEST(LineSplitter, EmptyPiecesAndEmptyLines)
{
    LineSplitter splitter;
    auto lines = feed_pieces({"", "\n", "", "x\n\n"}, splitter);
    EXPECT_EQ(lines, (std::vector<std::string>{"", "x", ""}));
}
