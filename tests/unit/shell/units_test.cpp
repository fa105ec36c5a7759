// SPDX-License-Identifier: GPL-2.0-only
// Sizes (--memory), durations (--time) and the human-readable numbers of
// `klua state list`.
#include <gtest/gtest.h>

#include "units.h"

using klua::ErrorKind;
using klua::cli::format_duration;
using klua::cli::format_size;
using klua::cli::parse_count;
using klua::cli::parse_duration;
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

TEST(ParseDuration, EachUnit)
{
    EXPECT_EQ(*parse_duration("0s"), 0u);
    EXPECT_EQ(*parse_duration("250ns"), 250u);
    EXPECT_EQ(*parse_duration("20us"), 20'000u);
    EXPECT_EQ(*parse_duration("500ms"), 500'000'000u);
    EXPECT_EQ(*parse_duration("2s"), 2'000'000'000u);
    EXPECT_EQ(*parse_duration("1m"), 60'000'000'000u);
    EXPECT_EQ(*parse_duration("2h"), 7'200'000'000'000u);
}

TEST(ParseDuration, Fractions)
{
    EXPECT_EQ(*parse_duration("1.5s"), 1'500'000'000u);
    EXPECT_EQ(*parse_duration("0.25ms"), 250'000u);
    EXPECT_EQ(*parse_duration("2.500us"), 2'500u);
    EXPECT_EQ(*parse_duration("0.5m"), 30'000'000'000u);
    EXPECT_EQ(*parse_duration("1.000000001s"), 1'000'000'001u);
    EXPECT_EQ(*parse_duration("3.0ns"), 3u);
    // 13 decimals of an hour are still whole nanoseconds: 25 * 3.6e12 / 1e13
    EXPECT_EQ(*parse_duration("0.0000000000025h"), 9u);
    EXPECT_EQ(*parse_duration("0.1234567890125h"), 444'444'440'445u);
}

TEST(ParseDuration, BadInputIsAUsageError)
{
    for (const char* text : {"",    "s",     "ms",     "0",    "10",   "1.5",  "1x",    "1S",
                             "1Ms", "1 ms",  " 1s",    "1s ",  "-1s",  "+1s",  "1e3ms", ".5s",
                             "1.s", "1..5s", "1.5.5s", "1sec", "1min", "1ms5", "1m30s", "0x10s"}) {
        auto r = parse_duration(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error().kind, ErrorKind::usage) << text;
        EXPECT_EQ(r.error().message.find("invalid duration '" + std::string(text) + "': "), 0u)
            << r.error().message;
    }
    EXPECT_NE(parse_duration("500").error().message.find("a unit must follow the number"),
              std::string::npos);
    EXPECT_NE(parse_duration("5x").error().message.find("unknown unit 'x'"), std::string::npos);
}

TEST(ParseDuration, FinerThanANanosecondIsRefused)
{
    for (const char* text : {"1.5ns", "0.0001us", "1.0000000001s", "0.00000000000001h",
                             "0.00000000000000000000001s"}) {
        auto r = parse_duration(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_NE(r.error().message.find("finer than a nanosecond"), std::string::npos)
            << r.error().message;
    }
}

TEST(ParseDuration, OverflowIsRefused)
{
    EXPECT_EQ(*parse_duration("18446744073709551615ns"), UINT64_MAX);
    EXPECT_FALSE(parse_duration("18446744073709551616ns").ok());
    EXPECT_EQ(*parse_duration("18446744073s"), 18'446'744'073'000'000'000u);
    EXPECT_EQ(*parse_duration("18446744073.709551615s"), UINT64_MAX);
    EXPECT_FALSE(parse_duration("18446744073.709551616s").ok());
    EXPECT_FALSE(parse_duration("18446744074s").ok());
    EXPECT_FALSE(parse_duration("5124096h").ok());
    EXPECT_NE(parse_duration("99999999999999999999ms").error().message.find("too large"),
              std::string::npos);
    EXPECT_NE(parse_duration("18446744074s").error().message.find("too large"), std::string::npos);
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
