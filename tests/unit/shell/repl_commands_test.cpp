// SPDX-License-Identifier: GPL-2.0-only
// The dot-command table: one table drives dispatch, .help and completion.
#include <gtest/gtest.h>

#include <set>

#include "complete.h"
#include "dot_commands.h"

using namespace klua;
using namespace klua::repl;

TEST(DotCommands, TheTableIsComplete)
{
    std::set<std::string_view> names;
    for (const DotCommand& c : dot_commands()) {
        EXPECT_TRUE(c.name.starts_with('.')) << c.name;
        EXPECT_NE(c.handler, nullptr) << c.name;
        EXPECT_FALSE(c.summary.empty()) << c.name;
        EXPECT_LE(c.min_args, c.max_args) << c.name;
        EXPECT_TRUE(names.insert(c.name).second) << "twice: " << c.name;
    }
    for (std::string_view want : {".help", ".states", ".use", ".create", ".destroy", ".load",
                                  ".json", ".timing", ".watch", ".quit"})
        EXPECT_TRUE(names.count(want)) << want;
}

TEST(DotCommands, HelpListsEveryCommand)
{
    std::string help = dot_help();
    for (const DotCommand& c : dot_commands())
        EXPECT_NE(help.find(dot_usage(c)), std::string::npos) << c.name;
    EXPECT_EQ(dot_usage(*find_dot_command(".use")), ".use NAME");
    EXPECT_EQ(dot_usage(*find_dot_command(".quit")), ".quit");
}

TEST(DotCommands, WhatIsACommand)
{
    EXPECT_TRUE(is_dot_command(".help"));
    EXPECT_TRUE(is_dot_command("  .use web"));
    EXPECT_FALSE(is_dot_command(".5 + 1")); // Lua
    EXPECT_FALSE(is_dot_command("x = .5"));
    EXPECT_FALSE(is_dot_command("."));
    EXPECT_FALSE(is_dot_command(""));
}

TEST(DotCommands, FoundByNameOrUniquePrefix)
{
    EXPECT_EQ(find_dot_command(".use")->name, ".use");
    EXPECT_EQ(find_dot_command("use")->name, ".use"); // as in ".help use"
    EXPECT_EQ(find_dot_command(".q")->name, ".quit");
    EXPECT_EQ(find_dot_command(".cr")->name, ".create");
    EXPECT_EQ(find_dot_command(".t")->name, ".timing");
    EXPECT_EQ(find_dot_command(".s")->name, ".states");
    EXPECT_EQ(find_dot_command(".frob"), nullptr);
    EXPECT_EQ(find_dot_command("."), nullptr); // every command: ambiguous
}

TEST(DotCommands, SplitWords)
{
    auto words = split_words("  .load  'my file.lua' a \"b c\" d\\e ");
    ASSERT_TRUE(words.ok());
    EXPECT_EQ(*words, (std::vector<std::string>{".load", "my file.lua", "a", "b c", "d\\e"}));
    words = split_words(".load \"a\\\"b\"");
    ASSERT_TRUE(words.ok());
    EXPECT_EQ((*words)[1], "a\"b");
    EXPECT_FALSE(split_words(".load 'open").ok());
    EXPECT_TRUE(split_words("")->empty());
}

TEST(DotCommands, ParseChecksTheArguments)
{
    auto call = parse_dot_command(".create web 1M 5000");
    ASSERT_TRUE(call.ok()) << call.error().message;
    EXPECT_EQ(call->command->name, ".create");
    EXPECT_EQ(call->args, (std::vector<std::string>{"web", "1M", "5000"}));
    call = parse_dot_command(".create web 1M 5000 2s");
    ASSERT_TRUE(call.ok()) << call.error().message;
    EXPECT_EQ(call->args, (std::vector<std::string>{"web", "1M", "5000", "2s"}));
    call = parse_dot_command(".create web 1M 5000 2s more");
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.error().message, "usage: .create NAME [MEMORY] [INSTRUCTIONS] [TIME]");

    call = parse_dot_command(".use");
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.error().kind, ErrorKind::usage);
    EXPECT_EQ(call.error().message, "usage: .use NAME");

    call = parse_dot_command(".quit now");
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.error().message, "usage: .quit");

    call = parse_dot_command(".frobnicate");
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.error().message, "unknown command '.frobnicate': .help lists the commands");
}

TEST(DotCommands, CompletionFollowsTheTable)
{
    // Each command's first argument completes as the table says.
    auto kind_after = [](std::string_view command) {
        return analyze_completion(std::string(command) + " x", false).kind;
    };
    EXPECT_EQ(kind_after(".use"), CompletionKind::state);
    EXPECT_EQ(kind_after(".destroy"), CompletionKind::state);
    EXPECT_EQ(kind_after(".watch"), CompletionKind::state);
    EXPECT_EQ(kind_after(".load"), CompletionKind::file);
    EXPECT_EQ(kind_after(".json"), CompletionKind::word);
    EXPECT_EQ(kind_after(".timing"), CompletionKind::word);
    EXPECT_EQ(kind_after(".help"), CompletionKind::command);
    EXPECT_EQ(kind_after(".create"), CompletionKind::none); // a new name
    EXPECT_EQ(kind_after(".quit"), CompletionKind::none);
}
