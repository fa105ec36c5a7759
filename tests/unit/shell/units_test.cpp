// SPDX-License-Identifier: GPL-2.0-only
// Sizes (--memory) and the human-readable numbers of `klua state list`.
#include <gtest/gtest.h>

#include "units.h"

using klua::ErrorKind;
using klua::cli::format_duration;
using klua::cli::format_size;
using klua::cli::parse_count;
using klua::cli::parse_size;

TEST(ParseSize, PlainBytes)
{
    EXPECT_EQ(*parse_size("0"), 0u);
    EXPECT_EQ(*parse_size("1"), 1u);
    EXPECT_EQ(*parse_size("65536"), 65536u);
}

TEST(ParseSize, SuffixesAre1024BasedInEitherCase)
{
    EXPECT_EQ(*parse_size("64k"), 64u * 1024);
    EXPECT_EQ(*parse_size("64K"), 64u * 1024);
    EXPECT_EQ(*parse_size("1m"), 1u << 20);
    EXPECT_EQ(*parse_size("3M"), 3u << 20);
    EXPECT_EQ(*parse_size("1g"), 1ull << 30);
    EXPECT_EQ(*parse_size("2G"), 2ull << 30);
}

TEST(ParseSize, BadInputIsAUsageError)
{
    for (const char* text :
         {"", "k", "M", "1x", "1kb", "1KiB", "-1", "+1", "1.5m", " 1", "1 ", "0x10", "1kk"}) {
        auto r = parse_size(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error().kind, ErrorKind::usage) << text;
        EXPECT_NE(r.error().message.find("invalid size"), std::string::npos) << text;
    }
}

TEST(ParseSize, OverflowIsRefused)
{
    EXPECT_EQ(*parse_size("18446744073709551615"), UINT64_MAX);
    EXPECT_FALSE(parse_size("18446744073709551616").ok());
    EXPECT_EQ(*parse_size("17179869183g"), 17179869183ull << 30);
    EXPECT_FALSE(parse_size("17179869184g").ok());
    EXPECT_NE(parse_size("99999999999999999999").error().message.find("too large"),
              std::string::npos);
}

TEST(ParseCount, DigitsOnly)
{
    EXPECT_EQ(*parse_count("1000000"), 1000000u);
    EXPECT_FALSE(parse_count("").ok());
    EXPECT_FALSE(parse_count("1k").ok());
    EXPECT_FALSE(parse_count("-5").ok());
    EXPECT_FALSE(parse_count("18446744073709551616").ok());
    EXPECT_EQ(parse_count("x").error().kind, ErrorKind::usage);
}

TEST(FormatSize, ThreeDigitsAtMost)
{
    EXPECT_EQ(format_size(0), "0B");
    EXPECT_EQ(format_size(1023), "1023B");
    EXPECT_EQ(format_size(1024), "1K");
    EXPECT_EQ(format_size(1536), "1.5K");
    EXPECT_EQ(format_size(17 * 1024 + 300), "17.3K");
    EXPECT_EQ(format_size(512 * 1024), "512K");
    EXPECT_EQ(format_size(1 << 20), "1M");
    EXPECT_EQ(format_size((1 << 20) - 1), "1M"); // not "1024K"
    EXPECT_EQ(format_size(3ull << 30), "3G");
}

TEST(FormatDuration, PicksTheUnit)
{
    EXPECT_EQ(format_duration(0), "0s");
    EXPECT_EQ(format_duration(850), "850ns");
    EXPECT_EQ(format_duration(1500), "1.5us");
    EXPECT_EQ(format_duration(1234567), "1.23ms");
    EXPECT_EQ(format_duration(999999), "1ms");
    EXPECT_EQ(format_duration(4500000000ull), "4.5s");
    EXPECT_EQ(format_duration(7200000000000ull), "7200s");
}
