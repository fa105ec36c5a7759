// SPDX-License-Identifier: GPL-2.0-only
// The history file: per user, capped, no consecutive duplicates, chunks of
// several lines kept as one entry.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "history.h"

using namespace klua::repl;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    TempDir()
    {
        char templ[] = "/tmp/klua-history-test.XXXXXX";
        path = mkdtemp(templ);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string path;
};

std::vector<std::string> file_lines(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

using Entries = std::vector<std::string>;

} // namespace

TEST(HistoryEntries, EncodingKeepsLinesAndBackslashes)
{
    for (std::string entry : {"x = 1", "function f()\n  return '\\n'\nend", "a\\", "\\\\n", ""}) {
        std::string line = encode_history_entry(entry);
        EXPECT_EQ(line.find('\n'), std::string::npos);
        EXPECT_EQ(decode_history_entry(line), entry);
    }
    EXPECT_EQ(encode_history_entry("a\nb\\c"), "a\\nb\\\\c");
}

TEST(HistoryEntries, CompactDropsRepeatsAndKeepsTheLast)
{
    EXPECT_EQ(compact_history({"a", "a", "b", "a", "", "  ", "c", "c"}, 10),
              (Entries{"a", "b", "a", "c"}));
    EXPECT_EQ(compact_history({"1", "2", "3", "4"}, 2), (Entries{"3", "4"}));
}

TEST(HistoryPath, XdgStateHomeThenHome)
{
    EXPECT_EQ(history_path("/state", "/home/u"), "/state/klua/history");
    EXPECT_EQ(history_path(nullptr, "/home/u"), "/home/u/.local/state/klua/history");
    EXPECT_EQ(history_path("", "/home/u"), "/home/u/.local/state/klua/history");
    EXPECT_EQ(history_path("relative", "/home/u"), "/home/u/.local/state/klua/history");
    EXPECT_EQ(history_path(nullptr, nullptr), std::nullopt);
}

TEST(HistoryFile, AppendCreatesDirectoriesAndLoadReadsBack)
{
    TempDir dir;
    std::string path = dir.path + "/state/klua/history";
    HistoryFile file(path, 5);
    ASSERT_TRUE(file.load().ok()); // no file yet: no entries
    EXPECT_TRUE(file.load()->empty());
    ASSERT_TRUE(file.append("x = 1").ok());
    ASSERT_TRUE(file.append("do\n  y = 2\nend").ok());
    EXPECT_EQ(fs::status(dir.path + "/state/klua").permissions() & fs::perms::all,
              fs::perms::owner_all);
    auto entries = file.load();
    ASSERT_TRUE(entries.ok());
    EXPECT_EQ(*entries, (Entries{"x = 1", "do\n  y = 2\nend"}));
    EXPECT_EQ(file_lines(path).size(), 2u);
}

TEST(HistoryFile, LoadAndCompactCutTheFileToItsCap)
{
    TempDir dir;
    std::string path = dir.path + "/history";
    HistoryFile file(path, 3);
    for (std::string e : {"1", "2", "2", "3", "4", "5"})
        ASSERT_TRUE(file.append(e).ok());
    EXPECT_EQ(file_lines(path).size(), 6u);
    ASSERT_TRUE(file.compact().ok());
    EXPECT_EQ(file_lines(path), (Entries{"3", "4", "5"}));
    ASSERT_TRUE(file.append("6").ok());
    EXPECT_EQ(*file.load(), (Entries{"4", "5", "6"}));
    EXPECT_EQ(file_lines(path).size(), 3u);
}

TEST(History, NoConsecutiveDuplicatesAndEveryEntryAppended)
{
    TempDir dir;
    std::string path = dir.path + "/history";
    History history(HistoryFile(path, 100));
    ASSERT_TRUE(history.load().ok());
    std::vector<std::string> told;
    history.on_add = [&](const std::string& e) { told.push_back(e); };
    EXPECT_TRUE(history.add("a"));
    EXPECT_FALSE(history.add("a"));
    EXPECT_FALSE(history.add("   "));
    EXPECT_TRUE(history.add("b"));
    EXPECT_TRUE(history.add("a"));
    EXPECT_EQ(history.entries(), (Entries{"a", "b", "a"}));
    EXPECT_EQ(told, (Entries{"a", "b", "a"}));
    EXPECT_EQ(file_lines(path), (Entries{"a", "b", "a"}));

    // A new session starts from the file.
    History next(HistoryFile(path, 100));
    ASSERT_TRUE(next.load().ok());
    EXPECT_FALSE(next.add("a")); // repeats the last entry of the last session
    EXPECT_EQ(next.entries().size(), 3u);
}

TEST(History, WithoutAFileItStillWorks)
{
    History history(std::nullopt);
    ASSERT_TRUE(history.load().ok());
    EXPECT_TRUE(history.add("x"));
    history.save();
    EXPECT_EQ(history.entries(), Entries{"x"});
}

TEST(History, AFileThatCannotBeWrittenIsReportedOnce)
{
    TempDir dir;
    // A directory where the file should be: every append fails.
    std::string path = dir.path + "/history";
    fs::create_directory(path);
    History history(HistoryFile(path, 100));
    std::vector<std::string> errors;
    history.on_error = [&](const klua::Error& e) { errors.push_back(e.message); };
    EXPECT_TRUE(history.add("a"));
    EXPECT_TRUE(history.add("b"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find(path), std::string::npos) << errors[0];
    // The session keeps its entries all the same.
    EXPECT_EQ(history.entries(), (Entries{"a", "b"}));
}
