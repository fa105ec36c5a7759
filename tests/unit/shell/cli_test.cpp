// SPDX-License-Identifier: GPL-2.0-only
// The command line: options, commands, and usage errors (exit code 2).
#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>
#include <vector>

#include <uapi/klua.h>

#include "cli.h"

using namespace klua;
using namespace klua::cli;

namespace {

Result<Invocation> parse(std::initializer_list<std::string_view> args, bool terminal = true)
{
    std::vector<std::string_view> v(args);
    return parse_args(v, terminal);
}

std::string command_of(const Result<Invocation>& r)
{
    return r.ok() && r->command ? std::string(r->command->name) : "";
}

// A usage error: main turns it into exit code 2.
void expect_usage_error(std::initializer_list<std::string_view> args, std::string_view says,
                        bool terminal = true)
{
    Result<Invocation> r = parse(args, terminal);
    ASSERT_FALSE(r.ok()) << "no usage error";
    EXPECT_EQ(r.error().kind, ErrorKind::usage);
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
}

} // namespace

TEST(ParseArgs, StateCreateWithLimits)
{
    auto r = parse({"state", "create", "web", "--memory", "1M", "--instructions", "5000"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(command_of(r), "state create");
    EXPECT_EQ(r->operands, std::vector<std::string>{"web"});
    EXPECT_EQ(r->memory, 1u << 20);
    EXPECT_EQ(r->instructions, 5000u);
    EXPECT_FALSE(r->time_limit);
    EXPECT_FALSE(r->json);
}

TEST(ParseArgs, StateCreateWithATimeLimit)
{
    auto r = parse({"state", "create", "web", "--time", "300ms"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->time_limit, 300'000'000u);
    r = parse({"state", "create", "--time=1.5s", "web"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->time_limit, 1'500'000'000u);
    // 0s parses: the module, which knows its range, refuses it
    r = parse({"state", "create", "web", "--time", "0s"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->time_limit, 0u);
}

TEST(ParseArgs, StateCreateWithAContext)
{
    auto r = parse({"state", "create", "web"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_FALSE(r->context);
    r = parse({"state", "create", "web", "--context", "hardirq"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->context, KLUA_CONTEXT_HARDIRQ);
    r = parse({"state", "create", "--context=softirq", "web"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->context, KLUA_CONTEXT_SOFTIRQ);
    r = parse({"state", "create", "web", "--context", "nmi"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "--context must be softirq or hardirq, not 'nmi'");
    // only state create takes it
    EXPECT_FALSE(parse({"state", "list", "--context", "hardirq"}).ok());
}

TEST(ParseArgs, OptionValuesAttached)
{
    auto r = parse({"state", "create", "--memory=64k", "web"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->memory, 64u * 1024);
    r = parse({"-sweb", "-ereturn 1", "--execute=return 2", "--state=api"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r->state, "api");
    EXPECT_EQ(r->chunks, (std::vector<std::string>{"return 1", "return 2"}));
}

TEST(ParseArgs, StateListAndDestroy)
{
    auto r = parse({"state", "list", "--json"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(command_of(r), "state list");
    EXPECT_TRUE(r->json);
    r = parse({"--json", "state", "destroy", "web"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(command_of(r), "state destroy");
    EXPECT_EQ(r->operands[0], "web");
}

TEST(ParseArgs, ChunksRunInOrder)
{
    auto r = parse({"-s", "web", "-e", "x = 1", "-e", "return x", "--json"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(command_of(r), "run");
    EXPECT_EQ(*r->state, "web");
    EXPECT_EQ(r->chunks, (std::vector<std::string>{"x = 1", "return x"}));
    EXPECT_TRUE(r->operands.empty());
    EXPECT_TRUE(r->json);
}

TEST(ParseArgs, ScriptArgumentsAreNotOptions)
{
    auto r = parse({"-s", "web", "script.lua", "-e", "--json", "x"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(command_of(r), "run");
    EXPECT_EQ(r->operands, (std::vector<std::string>{"script.lua", "-e", "--json", "x"}));
    EXPECT_TRUE(r->chunks.empty());
    EXPECT_FALSE(r->json);
}

TEST(ParseArgs, DashIsStdin)
{
    auto r = parse({"-s", "web", "-"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->operands, std::vector<std::string>{"-"});
}

TEST(ParseArgs, NoCommandOnATerminalShowsUsage)
{
    auto r = parse({}, true);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->command, nullptr);
    EXPECT_FALSE(r->help);
}

TEST(ParseArgs, NoCommandOnAPipeReadsStdin)
{
    auto r = parse({"-s", "web"}, false);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(command_of(r), "run");
    EXPECT_EQ(r->operands, std::vector<std::string>{"-"});
    expect_usage_error({}, "missing -s NAME", false);
}

TEST(ParseArgs, Watch)
{
    auto r = parse({"-s", "web", "--watch", "--json"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(command_of(r), "watch");
    EXPECT_TRUE(r->json);
}

TEST(ParseArgs, HelpAndVersionWin)
{
    EXPECT_TRUE(parse({"--help"})->help);
    EXPECT_TRUE(parse({"-h"})->help);
    EXPECT_TRUE(parse({"state", "create", "--help"})->help);
    EXPECT_TRUE(parse({"--version"})->version);
}

TEST(ParseArgs, DoubleDashEndsOptions)
{
    auto r = parse({"state", "destroy", "--", "-web"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->operands, std::vector<std::string>{"-web"});
}

TEST(UsageErrors, UnknownOptions)
{
    expect_usage_error({"--frobnicate"}, "unknown option '--frobnicate'");
    expect_usage_error({"-x"}, "unknown option '-x'");
    expect_usage_error({"--jsonx", "state", "list"}, "unknown option");
    expect_usage_error({"-hx"}, "unknown option '-hx'");
}

TEST(UsageErrors, MissingOrExtraArguments)
{
    expect_usage_error({"-s"}, "needs an argument (NAME)");
    expect_usage_error({"-s", "web", "-e"}, "needs an argument (CHUNK)");
    expect_usage_error({"state", "create", "web", "--memory"}, "needs an argument (BYTES)");
    expect_usage_error({"--json=yes", "state", "list"}, "takes no argument");
    expect_usage_error({"state", "create"}, "missing NAME");
    expect_usage_error({"state", "destroy"}, "missing NAME");
    expect_usage_error({"state", "list", "web"}, "unexpected argument 'web'");
    expect_usage_error({"state", "create", "a", "b"}, "unexpected argument 'b'");
}

TEST(UsageErrors, BadSizesAndNames)
{
    expect_usage_error({"state", "create", "web", "--memory", "12q"}, "invalid size '12q'");
    expect_usage_error({"state", "create", "web", "--instructions", "1k"}, "invalid number");
    expect_usage_error({"state", "create", "web", "--time", "0"},
                       "invalid duration '0': a unit must follow the number");
    expect_usage_error({"state", "create", "web", "--time", "2 s"}, "invalid duration '2 s'");
    expect_usage_error({"state", "create", "web", "--time"}, "needs an argument (DURATION)");
    expect_usage_error({"state", "create", "bad name"}, "invalid state name 'bad name'");
    expect_usage_error({"state", "destroy", std::string_view("x\0y", 3)}, "invalid state name");
    expect_usage_error({"-s", "a/b", "-e", "return 1"}, "invalid state name 'a/b'");
    expect_usage_error({"-s", "", "-e", "return 1"}, "cannot be empty");
}

TEST(UsageErrors, CommandsAndOptionsThatDoNotGoTogether)
{
    expect_usage_error({"state"}, "needs a command");
    expect_usage_error({"state", "frob"}, "unknown command 'state frob'");
    expect_usage_error({"-e", "return 1"}, "missing -s NAME");
    expect_usage_error({"--watch"}, "missing -s NAME: the state to watch");
    expect_usage_error({"-s", "web", "--watch", "-e", "x"},
                       "'--execute' cannot be used with --watch");
    expect_usage_error({"-s", "web", "--watch", "f.lua"}, "unexpected argument 'f.lua'");
    expect_usage_error({"state", "list", "--memory", "1k"},
                       "'--memory' cannot be used with 'state list'");
    expect_usage_error({"-s", "web", "state", "list"},
                       "'--state' cannot be used with 'state list'");
    expect_usage_error({"-s", "web", "-e", "x", "--memory", "1k"},
                       "'--memory' cannot be used with -e or FILE");
    expect_usage_error({"state", "list", "--time", "1s"},
                       "'--time' cannot be used with 'state list'");
    expect_usage_error({"-s", "web", "-e", "x", "--time", "1s"},
                       "'--time' cannot be used with -e or FILE");
}

TEST(CommandTable, DrivesHelp)
{
    std::string help = help_text();
    std::string usage = usage_text();
    for (const CommandSpec& c : command_table()) {
        EXPECT_NE(c.handler, nullptr) << c.name;
        std::string first = "klua " + std::string(c.usage.substr(0, c.usage.find('\n')));
        EXPECT_NE(help.find(first), std::string::npos) << first;
        EXPECT_NE(usage.find(first), std::string::npos) << first;
    }
    for (const OptionSpec& o : option_table())
        EXPECT_NE(help.find("--" + std::string(o.long_name)), std::string::npos) << o.long_name;
    EXPECT_NE(version_text().find("protocol version 1"), std::string::npos);
}
