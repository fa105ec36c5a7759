// SPDX-License-Identifier: GPL-2.0-only
// {"$base64": ...} values: strings that are not UTF-8.
#include <gtest/gtest.h>

#include "base64.h"

using klua::base64_decode;
using klua::base64_encode;

TEST(Base64, DecodesPaddedText)
{
    EXPECT_EQ(*base64_decode(""), "");
    EXPECT_EQ(*base64_decode("/w=="), "\xff");
    EXPECT_EQ(*base64_decode("Zg=="), "f");
    EXPECT_EQ(*base64_decode("Zm8="), "fo");
    EXPECT_EQ(*base64_decode("Zm9v"), "foo");
    EXPECT_EQ(*base64_decode("Zm9vYmFy"), "foobar");
    EXPECT_EQ(*base64_decode("AP8A"), std::string("\x00\xff\x00", 3));
}

TEST(Base64, RefusesWhatAnEncoderNeverWrites)
{
    for (const char* text : {"Zm9", "Zm9v=", "Z===", "Zm=v", "Zm9$", "=Zm9", "Zm9v Zm9v",
                             "Zh==", "Zm9=", "Zm\n9v", "-_8="})
        EXPECT_FALSE(base64_decode(text).has_value()) << text;
}

TEST(Base64, RoundTripsEveryByte)
{
    std::string bytes;
    for (int i = 0; i < 256; ++i)
        bytes.push_back(static_cast<char>(i));
    for (std::size_t len = 0; len <= bytes.size(); len += 1) {
        std::string part = bytes.substr(0, len);
        auto decoded = base64_decode(base64_encode(part));
        ASSERT_TRUE(decoded.has_value()) << len;
        EXPECT_EQ(*decoded, part);
    }
}
