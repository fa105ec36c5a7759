// SPDX-License-Identifier: GPL-2.0-only
// The interactive shell apart from the terminal: lines come in (from
// readline or a pipe), dot-commands and Lua chunks run, output goes out.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli.h"
#include "complete.h"
#include "history.h"
#include "input.h"
#include "interrupts.h"
#include "output.h"
#include "script.h"
#include "session.h"

namespace klua::repl {

struct ShellOptions {
    bool terminal = false; // lines come from readline, which echoes them
    bool json = false;     // start with .json on
    cli::TextOptions text; // the text output's
};

class Shell final : public CompletionSource {
  public:
    Shell(Session& session, InterruptRouter& router, History* history, std::ostream& out,
          std::ostream& err, const ShellOptions& options);

    // A line of input, without its "\n".
    void take_line(std::string_view line);
    // The input ended (Ctrl-D, the end of a pipe): an unfinished chunk is
    // reported, and the shell is done.
    void end_of_input();
    // Ctrl-C while typing: an unfinished chunk is dropped.
    void cancel_input();
    // Runs a chunk of -e or a script in the current state, checked locally
    // first unless the input classifier did.
    cli::Status run(const cli::Chunk& chunk, bool checked = false);
    // Shows the events that wait for the current state.
    void show_events();

    // "klua:web> ", or "klua:web>> " inside an unfinished chunk.
    std::string prompt() const { return prompt_for(continuing()); }
    bool continuing() const { return !buffer_.empty(); }
    bool done() const { return done_; }
    void quit() { done_ = true; }
    // Something failed (for the exit status when the input is not a terminal).
    bool failed() const { return failures_ > 0; }
    // The terminal's width, for carets under the input line (0: unknown).
    void set_columns(std::size_t columns) { columns_ = columns; }

    // For the dot-commands.
    Session& session() { return session_; }
    InterruptRouter& router() { return router_; }
    cli::Output& output() { return json_ ? *json_output_ : *text_output_; }
    bool json() const { return json_; }
    void set_json(bool on) { json_ = on; }
    bool timing() const { return timing_; }
    void set_timing(bool on) { timing_ = on; }
    void record_failure() { ++failures_; }
    // Output lines are flushed one by one (a terminal), or only by
    // flush_output(), which the loop calls before it waits for input.
    void set_line_flush(bool on)
    {
        text_output_->set_line_flush(on);
        json_output_->set_line_flush(on);
    }
    void flush_output()
    {
        text_output_->flush();
        json_output_->flush();
    }
    // Text asked for (.help, ".json is on"): a "text" line in JSON.
    void print(std::string_view text);

    // CompletionSource: the kernel's answers, or nothing on any error.
    std::vector<std::string> state_names() override;
    std::vector<std::string> lua_keys(std::span<const std::string> path) override;
    std::vector<std::string> module_names() override;

  private:
    std::string prompt_for(bool continuation) const;
    void run_command(std::string_view line);
    void run_lua(std::string_view line);
    void show_syntax_error(const Classified& input);

    Session& session_;
    InterruptRouter& router_;
    std::ostream& out_;
    std::ostream& err_;
    History* history_;
    bool terminal_;
    std::unique_ptr<cli::Output> text_output_;
    std::unique_ptr<cli::Output> json_output_;
    InputClassifier classifier_;
    SyntaxChecker checker_;
    std::string buffer_; // the lines of an unfinished chunk
    std::size_t lines_ = 0;
    bool json_;
    bool timing_ = false;
    bool done_ = false;
    std::size_t failures_ = 0;
    std::size_t columns_ = 0;
};

} // namespace klua::repl
