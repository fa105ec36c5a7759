// SPDX-License-Identifier: GPL-2.0-only
// Unit tests of kernel/buf.c: the chunked byte FIFO that holds an exec's
// output and a state's events (writes stop at a limit, a line is taken back
// to a mark whole, a reserved spare chunk serves the last lines).
#include <string>

#include <gtest/gtest.h>

extern "C" {
#include "buf.h"
int klua_test_fail_allocs;
long klua_test_held;
int klua_test_warnings;
}

namespace {

constexpr size_t chunk = 4096 - 24; // PAGE_SIZE less the chunk's header (list node, len)

struct Buf {
    klua_buf b{};
    explicit Buf(size_t limit = 1 << 20)
    {
        klua_test_fail_allocs = 0;
        klua_test_held = 0;
        klua_test_warnings = 0;
        klua_buf_init(&b, limit, GFP_NOWAIT);
    }
    ~Buf()
    {
        klua_buf_free(&b);
        EXPECT_EQ(klua_test_held, 0) << "blocks leaked";
        EXPECT_EQ(klua_test_warnings, 0);
    }
    int write(const std::string& s) { return klua_buf_write(&b, s.data(), s.size()); }
    std::string read(size_t max = SIZE_MAX)
    {
        std::string out(std::min(max, b.held), '\0');
        out.resize(klua_buf_read(&b, out.data(), out.size()));
        return out;
    }
};

std::string pattern(size_t n, char seed = 'a')
{
    std::string s(n, ' ');
    for (size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>(seed + i % 23);
    return s;
}

} // namespace

TEST(Buf, WritesAndReadsAcrossChunks)
{
    Buf t;
    std::string data = pattern(3 * chunk + 100);
    ASSERT_EQ(t.write(data), 0);
    EXPECT_EQ(t.b.held, data.size());
    EXPECT_EQ(klua_test_held, 4);
    EXPECT_EQ(t.read(chunk + 7), data.substr(0, chunk + 7)); // a read across a chunk's end
    EXPECT_EQ(klua_test_held, 3);                             // the first chunk went
    EXPECT_EQ(t.read(), data.substr(chunk + 7));
    EXPECT_EQ(t.b.held, 0u);
    EXPECT_EQ(t.b.written, data.size()); // marks count every byte ever written
}

TEST(Buf, TheLimitRefusesAWholeWrite)
{
    Buf t(100);
    ASSERT_EQ(t.write(pattern(60)), 0);
    EXPECT_EQ(t.write(pattern(41)), -ENOSPC);
    EXPECT_EQ(t.b.held, 60u) << "a refused write wrote nothing";
    EXPECT_EQ(t.write(pattern(40)), 0);
    EXPECT_EQ(t.write("x"), -ENOSPC);
    // a limit lent for a line and taken back leaves held past it: no write fits
    t.b.limit += 50;
    ASSERT_EQ(t.write(pattern(30)), 0);
    t.b.limit -= 50;
    EXPECT_EQ(t.write(""), -ENOSPC);
}

TEST(Buf, RollbackTakesBackExactlyWhatFollowedTheMark)
{
    Buf t;
    ASSERT_EQ(t.write("kept\n"), 0);
    u64 mark = klua_buf_mark(&t.b);
    ASSERT_EQ(t.write(pattern(2 * chunk)), 0); // spans into a third chunk
    EXPECT_EQ(klua_test_held, 3);
    klua_buf_rollback(&t.b, mark);
    EXPECT_EQ(t.b.held, 5u);
    EXPECT_EQ(t.b.written, 5u);
    EXPECT_EQ(klua_test_held, 1) << "the chunks it emptied are freed";
    ASSERT_EQ(t.write("next\n"), 0);
    EXPECT_EQ(t.read(), "kept\nnext\n");
}

TEST(Buf, RollbackAfterAPartialReadKeepsWhatWasRead)
{
    Buf t;
    ASSERT_EQ(t.write("abcdef"), 0);
    EXPECT_EQ(t.read(2), "ab");
    u64 mark = klua_buf_mark(&t.b);
    ASSERT_EQ(t.write("XYZ"), 0);
    klua_buf_rollback(&t.b, mark);
    EXPECT_EQ(t.read(), "cdef");
    // everything unread taken back, then written again
    ASSERT_EQ(t.write("12"), 0);
    EXPECT_EQ(t.read(1), "1");
    mark = klua_buf_mark(&t.b) - 1;
    klua_buf_rollback(&t.b, mark);
    EXPECT_EQ(t.b.held, 0u);
    ASSERT_EQ(t.write("3\n"), 0);
    EXPECT_EQ(t.read(), "3\n");
}

TEST(Buf, ARollbackPastWhatIsHeldIsRefused)
{
    Buf t;
    ASSERT_EQ(t.write("abc"), 0);
    EXPECT_EQ(t.read(), "abc");
    klua_buf_rollback(&t.b, 0); // those bytes were read: nothing to take back
    EXPECT_EQ(klua_test_warnings, 1);
    klua_test_warnings = 0;
    EXPECT_EQ(t.b.written, 3u);
}

TEST(Buf, LinesThatFit)
{
    Buf t;
    size_t first;
    EXPECT_EQ(klua_buf_lines(&t.b, 100, &first), 0u);
    EXPECT_EQ(first, 0u);
    ASSERT_EQ(t.write("ab\ncdef\ngh"), 0); // the last line is not complete
    EXPECT_EQ(klua_buf_lines(&t.b, 100, &first), 8u);
    EXPECT_EQ(first, 3u);
    EXPECT_EQ(klua_buf_lines(&t.b, 7, &first), 3u) << "only whole lines within max";
    EXPECT_EQ(klua_buf_lines(&t.b, 2, &first), 0u) << "not even the first";
    EXPECT_EQ(first, 3u) << "but its length is told";
    // after a partial read, lines count from the head
    EXPECT_EQ(t.read(1), "a");
    EXPECT_EQ(klua_buf_lines(&t.b, 100, &first), 7u);
    EXPECT_EQ(first, 2u);
    // a line across chunks
    std::string long_line = pattern(chunk + 10) + "\n";
    ASSERT_EQ(t.write("\n" + long_line), 0);
    EXPECT_EQ(klua_buf_lines(&t.b, 1 << 20, &first), 7u + 3 + long_line.size());
}

TEST(Buf, AFailedAllocationIsENOMEMAndKeepsWhatWasWritten)
{
    Buf t;
    ASSERT_EQ(t.write(pattern(chunk - 2)), 0);
    klua_test_fail_allocs = 1;
    u64 mark = klua_buf_mark(&t.b);
    EXPECT_EQ(t.write("0123456789"), -ENOMEM);
    klua_buf_rollback(&t.b, mark); // the caller takes the part back
    EXPECT_EQ(t.b.held, chunk - 2);
    EXPECT_EQ(t.write("0123456789"), 0);
}

TEST(Buf, TheSpareServesOnlyTheLastLines)
{
    Buf t;
    ASSERT_EQ(klua_buf_reserve(&t.b, GFP_KERNEL), 0);
    EXPECT_EQ(klua_test_held, 1);
    klua_test_fail_allocs = 100;
    EXPECT_EQ(t.write("a line\n"), -ENOMEM) << "without use_spare the spare stays aside";
    t.b.use_spare = true;
    ASSERT_EQ(t.write("the last line\n"), 0);
    EXPECT_EQ(t.b.spare, nullptr);
    // a rollback of that line gives the chunk back as the spare
    klua_buf_rollback(&t.b, klua_buf_mark(&t.b) - 14);
    EXPECT_NE(t.b.spare, nullptr);
    ASSERT_EQ(t.write("again\n"), 0);
    t.b.use_spare = false;
    klua_test_fail_allocs = 0;
    EXPECT_EQ(t.read(), "again\n");
}

TEST(Buf, AReserveFailureIsENOMEM)
{
    Buf t;
    klua_test_fail_allocs = 1;
    EXPECT_EQ(klua_buf_reserve(&t.b, GFP_KERNEL), -ENOMEM);
    EXPECT_EQ(klua_buf_reserve(&t.b, GFP_KERNEL), 0);
    EXPECT_EQ(klua_buf_reserve(&t.b, GFP_KERNEL), 0) << "a second reserve keeps the one spare";
    EXPECT_EQ(klua_test_held, 1);
}
