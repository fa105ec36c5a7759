// SPDX-License-Identifier: GPL-2.0-only
// The command line of the interactive shell: klua [-i] [-s NAME] [--json],
// and -i after -e and FILE. The non-interactive forms are unchanged.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>
#include <vector>

#include "cli.h"

using namespace klua;
using namespace klua::cli;

namespace {

Result<Invocation> parse(std::initializer_list<std::string_view> args, bool terminal)
{
    std::vector<std::string_view> v(args);
    return parse_args(v, terminal);
}

} // namespace

TEST(InteractiveArgs, NothingToRunOnATerminalIsTheShell)
{
    auto r = parse({}, true);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->interactive);
    EXPECT_EQ(r->command, nullptr);
    EXPECT_FALSE(r->state);

    r = parse({"-s", "web", "--json"}, true);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->interactive);
    EXPECT_EQ(*r->state, "web");
    EXPECT_TRUE(r->json);
}

TEST(InteractiveArgs, APipeIsAScriptUnlessDashI)
{
    auto r = parse({"-s", "web"}, false);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->interactive);
    ASSERT_NE(r->command, nullptr);
    EXPECT_EQ(r->command->name, "run");

    r = parse({"-i", "-s", "web"}, false);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->interactive);
    EXPECT_EQ(r->command, nullptr);
    EXPECT_TRUE(r->operands.empty()); // stdin is read line by line, not as a script

    r = parse({"--interactive"}, false);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->interactive);
}

TEST(InteractiveArgs, DashIAfterChunksAndScripts)
{
    auto r = parse({"-s", "web", "-i", "-e", "x = 1", "init.lua", "a"}, true);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->interactive);
    ASSERT_NE(r->command, nullptr);
    EXPECT_EQ(r->command->name, "run");
    EXPECT_EQ(r->chunks, std::vector<std::string>{"x = 1"});
    EXPECT_EQ(r->operands, (std::vector<std::string>{"init.lua", "a"}));

    // Without -i, -e on a terminal runs and exits, as before.
    r = parse({"-s", "web", "-e", "x = 1"}, true);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->interactive);
}

TEST(InteractiveArgs, UsageErrors)
{
    auto error_of = [](std::initializer_list<std::string_view> args) {
        auto r = parse(args, true);
        EXPECT_FALSE(r.ok());
        return r.ok() ? std::string() : r.error().message;
    };
    EXPECT_EQ(error_of({"--memory", "1k"}),
              "option '--memory' cannot be used with the interactive shell");
    EXPECT_EQ(error_of({"-s", "bad name"}).find("invalid state name"), 0u);
    EXPECT_EQ(error_of({"-i", "state", "list"}),
              "option '--interactive' cannot be used with 'state list'");
    EXPECT_EQ(error_of({"-i", "-s", "web", "--watch"}),
              "option '--interactive' cannot be used with --watch");
}

TEST(InteractiveArgs, HelpShowsTheShell)
{
    EXPECT_NE(help_text().find("klua [-i] [-s NAME] [--json]"), std::string::npos);
    EXPECT_NE(usage_text().find("klua [-i] [-s NAME] [--json]"), std::string::npos);
    EXPECT_NE(help_text().find("-i, --interactive"), std::string::npos);
}
