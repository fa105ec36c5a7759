// SPDX-License-Identifier: GPL-2.0-only
// readline in callback mode (rl_callback_read_char when stdin is readable),
// so that events can be printed while a line is being typed.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "complete.h"
#include "input_source.h"

namespace klua::repl {

namespace {

// Where completion words end: for Lua, at anything that is not part of a
// name; for dot-command arguments (state and file names), at blanks.
char lua_breaks[] = " \t\n\"\\'`@$><=;|&{(,.:[]+-*/%^~#)}!?";
char blank_breaks[] = " \t\n";

class ReadlineInput;

// readline calls plain functions: they reach the one ReadlineInput through
// this pointer, which lives as long as it does.
ReadlineInput* active = nullptr;

std::size_t terminal_columns()
{
    winsize ws{};
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

class ReadlineInput final : public LineInput {
  public:
    ReadlineInput(Shell& shell, History& history) : shell_(shell)
    {
        if (active)
            throw std::logic_error("two readline inputs at once");
        active = this;
        rl_readline_name = "klua";
        // Ctrl-C and SIGTERM arrive on a signalfd (InterruptRouter).
        rl_catch_signals = 0;
        rl_outstream = isatty(STDOUT_FILENO) ? stdout : stderr;
        rl_attempted_completion_function = on_complete;
        rl_completion_word_break_hook = on_word_breaks;
        rl_basic_word_break_characters = lua_breaks;
        using_history();
        stifle_history(static_cast<int>(history_cap));
        for (const std::string& entry : history.entries())
            add_history(entry.c_str());
        history.on_add = [](const std::string& entry) { add_history(entry.c_str()); };
        shell_.set_columns(terminal_columns());
        rl_callback_handler_install(shell_.prompt().c_str(), on_line);
        installed_ = true;
    }

    ~ReadlineInput() override
    {
        if (installed_)
            rl_callback_handler_remove();
        active = nullptr;
    }

    int fd() const override { return STDIN_FILENO; }

    void read() override { rl_callback_read_char(); }

    void interrupt() override
    {
        shell_.cancel_input();
        rl_callback_sigcleanup();
        // "^C" after what was typed, then a fresh prompt.
        rl_point = rl_end;
        rl_redisplay();
        std::fputs("^C\n", rl_outstream);
        rl_replace_line("", 0);
        rl_point = 0;
        rl_set_prompt(shell_.prompt().c_str());
        rl_on_new_line();
        rl_redisplay();
    }

    void print_above(const std::function<void()>& print) override
    {
        rl_clear_visible_line();
        std::fflush(rl_outstream);
        print();
        // The prompt changes if the state ended.
        rl_set_prompt(shell_.prompt().c_str());
        rl_forced_update_display();
    }

  private:
    static void on_line(char* line)
    {
        ReadlineInput& self = *active;
        if (!line) {
            // Ctrl-D on an empty line: leave on a line of our own.
            std::fputs("\n", rl_outstream);
            self.shell_.end_of_input();
        } else {
            std::string text(line);
            std::free(line);
            self.shell_.set_columns(terminal_columns());
            self.shell_.take_line(text);
        }
        if (self.shell_.done()) {
            rl_callback_handler_remove();
            self.installed_ = false;
        } else {
            rl_set_prompt(self.shell_.prompt().c_str());
        }
    }

    CompletionContext context(std::size_t end) const
    {
        std::string_view before(rl_line_buffer, std::min<std::size_t>(end, rl_end));
        return analyze_completion(before, shell_.continuing());
    }

    static char* on_word_breaks()
    {
        CompletionContext ctx = active->context(static_cast<std::size_t>(rl_point));
        bool lua = ctx.kind == CompletionKind::lua || ctx.kind == CompletionKind::module ||
                   ctx.kind == CompletionKind::none;
        return lua ? lua_breaks : blank_breaks;
    }

    static char** on_complete(const char* text, int, int end)
    {
        ReadlineInput& self = *active;
        rl_attempted_completion_over = 1; // no file names unless asked
        CompletionContext ctx = self.context(static_cast<std::size_t>(end));
        if (ctx.kind == CompletionKind::file)
            return rl_completion_matches(text, rl_filename_completion_function);
        self.candidates_ = complete(ctx, self.shell_);
        std::erase_if(self.candidates_, [&](const std::string& c) { return !c.starts_with(text); });
        if (self.candidates_.empty())
            return nullptr;
        bool word = ctx.kind == CompletionKind::command || ctx.kind == CompletionKind::state ||
                    ctx.kind == CompletionKind::word;
        if (word)
            rl_completion_append_character = ' ';
        else
            rl_completion_suppress_append = 1;
        self.next_ = 0;
        return rl_completion_matches(text, on_candidate);
    }

    static char* on_candidate(const char*, int)
    {
        ReadlineInput& self = *active;
        if (self.next_ >= self.candidates_.size())
            return nullptr;
        return strdup(self.candidates_[self.next_++].c_str());
    }

    Shell& shell_;
    bool installed_ = false;
    std::vector<std::string> candidates_;
    std::size_t next_ = 0;
};

} // namespace

std::unique_ptr<LineInput> make_readline_input(Shell& shell, History& history)
{
    return std::make_unique<ReadlineInput>(shell, history);
}

} // namespace klua::repl
