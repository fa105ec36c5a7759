// SPDX-License-Identifier: GPL-2.0-only
// The interactive shell: klua [-i] [-s NAME] [--json] [-e CHUNK]... [FILE [ARGS...]].
#pragma once

#include "cli.h"

namespace klua::repl {

// Runs the chunks of inv (-e, then FILE) in the state, stopping at the
// first that fails, then reads lines until .quit, Ctrl-D or the end of the
// input: with readline when stdin is a terminal, else plain lines. Fails if
// the kernel cannot be reached, or, when stdin is not a terminal, if any
// line failed.
cli::Status run_repl(const cli::Invocation& inv, cli::Runtime& rt);

} // namespace klua::repl
