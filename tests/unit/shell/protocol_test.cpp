// SPDX-License-Identifier: GPL-2.0-only
// State names, chunk names and the chunk size limit, checked before sending.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <uapi/klua.h>

#include "protocol.h"

using namespace klua;

TEST(StateName, AcceptsTheAllowedCharacters)
{
    for (const char* name : {"web", "a", "A-Z_a.z-09", ".", "..", "-web"})
        EXPECT_TRUE(validate_state_name(name).ok()) << name;
    EXPECT_TRUE(validate_state_name(std::string(KLUA_NAME_MAX, 'x')).ok());
}

TEST(StateName, RefusesOthersAsUsageErrors)
{
    for (const char* name : {"", "we b", "a/b", "caf\xc3\xa9", "tab\t", "semi;colon", "q\"uote"}) {
        Result<void> r = validate_state_name(name);
        ASSERT_FALSE(r.ok()) << name;
        EXPECT_EQ(r.error().kind, ErrorKind::usage);
    }
    Result<void> r = validate_state_name(std::string(KLUA_NAME_MAX + 1, 'x'));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("too long"), std::string::npos);
}

TEST(ChunkName, ShortNamesStay)
{
    EXPECT_EQ(fit_chunk_name("=(command line)"), "=(command line)");
    std::string most = "@" + std::string(KLUA_CHUNKNAME_MAX - 2, 'a');
    EXPECT_EQ(fit_chunk_name(most), most);
}

TEST(ChunkName, LongNamesKeepPrefixAndEnd)
{
    std::string path = "@/" + std::string(300, 'd') + "/script.lua";
    std::string fitted = fit_chunk_name(path);
    EXPECT_LT(fitted.size(), static_cast<std::size_t>(KLUA_CHUNKNAME_MAX));
    EXPECT_EQ(fitted.substr(0, 4), "@...");
    EXPECT_EQ(fitted.substr(fitted.size() - 11), "/script.lua");
}

TEST(ChunkName, CutDoesNotSplitUtf8)
{
    std::string path = "@";
    for (int i = 0; i < 100; ++i)
        path += "\xc3\xa9"; // é
    std::string fitted = fit_chunk_name(path);
    EXPECT_LT(fitted.size(), static_cast<std::size_t>(KLUA_CHUNKNAME_MAX));
    EXPECT_NE(static_cast<unsigned char>(fitted[4]) & 0xc0, 0x80);
}

TEST(ChunkSize, LimitIs64000Bytes)
{
    EXPECT_EQ(max_chunk_bytes, 64000u);
    EXPECT_TRUE(check_chunk_size(std::string(64000, 'x')).ok());
    Result<void> r = check_chunk_size(std::string(64001, 'x'));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::request);
    EXPECT_NE(r.error().message.find("64001"), std::string::npos);
    EXPECT_NE(r.error().message.find("64000"), std::string::npos);
}

TEST(ChunkArgs, CountBytesAndNulAreChecked)
{
    EXPECT_TRUE(check_chunk_args({}).ok());
    std::vector<std::string> args(KLUA_EXEC_ARGS_MAX, "a");
    EXPECT_TRUE(check_chunk_args(args).ok());
    args.push_back("b");
    Result<std::size_t> r = check_chunk_args(args);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("too many arguments: 1025"), std::string::npos)
        << r.error().message;

    // As they are encoded: 1024 arguments of 58 bytes take 64 each, 65536
    // in all, over the 16-bit length of the attribute that holds them.
    EXPECT_EQ(arg_bytes(""), 8u);
    EXPECT_EQ(arg_bytes("abc"), 8u);
    EXPECT_EQ(arg_bytes("abcd"), 12u);
    std::vector<std::string> big(KLUA_EXEC_ARGS_MAX, std::string(58, 'x'));
    r = check_chunk_args(big);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("too large: they take 65536 bytes"), std::string::npos)
        << r.error().message;
    big.back().resize(54); // 65532
    EXPECT_FALSE(check_chunk_args(big).ok());
    big.back().resize(50); // 65528
    ASSERT_TRUE(check_chunk_args(big).ok());
    EXPECT_EQ(check_chunk_args(big).value(), 65528u); // what the request makes room for
    std::vector<std::string> one = {std::string(max_args_bytes - 8, 'x')}; // 65528
    EXPECT_TRUE(check_chunk_args(one).ok());
    one[0].push_back('y');
    EXPECT_FALSE(check_chunk_args(one).ok());

    std::vector<std::string> nul = {"ok", std::string("a\0b", 3)};
    r = check_chunk_args(nul);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "argument 2 contains a NUL byte");
}
