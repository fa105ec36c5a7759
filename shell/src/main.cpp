// SPDX-License-Identifier: GPL-2.0-only
// klua: the command-line client of the klua kernel module.
#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "output.h"
#include "repl.h"
#include "style.h"

using namespace klua::cli;

// Exit codes.
enum { exit_ok = 0, exit_failed = 1, exit_usage = 2 };

static int klua_main(std::span<const std::string_view> args)
{
    klua::Result<Invocation> inv = parse_args(args, isatty(STDIN_FILENO));
    if (!inv) {
        std::cerr << "klua: " << inv.error().message << "\n"
                  << "Try 'klua --help' for more information.\n";
        return exit_usage;
    }
    if (inv->help) {
        std::cout << help_text();
        return exit_ok;
    }
    if (inv->version) {
        std::cout << version_text();
        return exit_ok;
    }
    if (!inv->command && !inv->interactive) {
        std::cerr << usage_text() << "Try 'klua --help' for more information.\n";
        return exit_usage;
    }
    TextOptions text;
    text.colors = colors_wanted(STDERR_FILENO);
    std::unique_ptr<Output> output =
        inv->json ? make_json_output(std::cout) : make_text_output(std::cout, std::cerr, text);
    Runtime rt(*output);
    if (inv->interactive)
        return klua::repl::run_repl(*inv, rt) == Status::ok ? exit_ok : exit_failed;
    return inv->command->handler(*inv, rt) == Status::ok ? exit_ok : exit_failed;
}

int main(int argc, char** argv)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    try {
        return klua_main(args);
    } catch (const std::exception& e) {
        // A bug: exceptions are only thrown for those.
        std::cerr << "klua: internal error: " << e.what() << "\n";
        return exit_failed;
    }
}
