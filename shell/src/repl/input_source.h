// SPDX-License-Identifier: GPL-2.0-only
// Where the interactive shell's lines come from: readline on a terminal, or
// plain lines from a pipe or a file. Both feed Shell::take_line, and the
// loop polls them next to the events of the current state and Ctrl-C.
#pragma once

#include <functional>
#include <memory>

#include "history.h"
#include "interrupts.h"
#include "shell.h"

namespace klua::repl {

class LineInput {
  public:
    virtual ~LineInput() = default;
    virtual int fd() const = 0;
    // Reads what waits on fd(); complete lines go to the shell.
    virtual void read() = 0;
    // Ctrl-C while no chunk runs.
    virtual void interrupt() = 0;
    // Runs print, which writes output, above the line being typed, which
    // stays as it was.
    virtual void print_above(const std::function<void()>& print) = 0;
};

// readline's callback interface on stdin; the prompt goes to stdout if it
// is a terminal, else to stderr. Only one may exist at a time (readline's
// state is global).
std::unique_ptr<LineInput> make_readline_input(Shell& shell, History& history);

// Lines read from fd as they come, without prompts or editing.
std::unique_ptr<LineInput> make_plain_input(Shell& shell, int fd);

// Runs the shell until it is done: lines from input, the current state's
// events above the prompt, and Ctrl-C.
void run_loop(Shell& shell, LineInput& input, InterruptRouter& router);

} // namespace klua::repl
