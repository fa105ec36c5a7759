// SPDX-License-Identifier: GPL-2.0-only
// The handlers of the dot-command table (commands.cpp).
#pragma once

#include <span>
#include <string>

#include "dot_commands.h"

namespace klua::repl {

CommandStatus cmd_help(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_states(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_hooks(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_use(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_create(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_destroy(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_load(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_json(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_timing(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_watch(Shell& shell, std::span<const std::string> args);
CommandStatus cmd_quit(Shell& shell, std::span<const std::string> args);

} // namespace klua::repl
