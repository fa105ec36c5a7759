// SPDX-License-Identifier: GPL-2.0-only
#include "shell.h"

#include "dot_commands.h"
#include "execute.h"
#include "protocol.h"

namespace klua::repl {

// The name of the chunks that completion runs, in case one shows up in an
// error report of the state.
static constexpr std::string_view completion_chunk_name = "=(completion)";

Shell::Shell(Session& session, InterruptRouter& router, History* history, std::ostream& out,
             std::ostream& err, const ShellOptions& options)
    : session_(session), router_(router), out_(out), err_(err), history_(history),
      terminal_(options.terminal), text_output_(cli::make_text_output(out, err, options.text)),
      json_output_(cli::make_json_output(out)), json_(options.json)
{
}

std::string Shell::prompt_for(bool continuation) const
{
    std::string prompt = "klua";
    if (session_.has_state())
        prompt += ":" + session_.state();
    return prompt + (continuation ? ">> " : "> ");
}

void Shell::print(std::string_view text)
{
    output().text(text);
}

void Shell::take_line(std::string_view line)
{
    if (!continuing() && is_dot_command(line)) {
        if (history_)
            history_->add(line);
        run_command(line);
        return;
    }
    run_lua(line);
}

void Shell::run_command(std::string_view line)
{
    Result<DotCall> call = parse_dot_command(line);
    if (!call) {
        output().error(session_.state(), call.error());
        record_failure();
        return;
    }
    CommandStatus status = call->command->handler(*this, call->args);
    if (status == CommandStatus::usage)
        output().error(session_.state(),
                       Error{ErrorKind::usage, "usage: " + dot_usage(*call->command)});
    if (status != CommandStatus::ok)
        record_failure();
}

void Shell::run_lua(std::string_view line)
{
    if (continuing())
        buffer_ += '\n';
    buffer_ += line;
    ++lines_;
    Classified input = classifier_.classify(buffer_);
    if (input.kind == InputKind::incomplete) {
        if (buffer_.size() <= max_chunk_bytes)
            return; // more lines follow, on the continuation prompt
        output().error(session_.state(), check_chunk_size(buffer_).error());
        record_failure();
    }
    if (history_ && input.kind != InputKind::empty)
        history_->add(buffer_);
    if (input.kind == InputKind::error)
        show_syntax_error(input);
    else if (input.kind == InputKind::expression || input.kind == InputKind::statement)
        run(cli::Chunk{std::move(input.code), std::string(input_chunk_name)}, true);
    buffer_.clear();
    lines_ = 0;
}

void Shell::show_syntax_error(const Classified& input)
{
    if (!json_ && input.place && input.place->column) {
        std::size_t column = *input.place->column;
        std::string_view source = line_of(buffer_, input.place->line);
        // Right under the line just typed, when it is the culprit and fits;
        // else the line, with the caret under it.
        std::size_t prompt_width = prompt_for(input.place->line > 1).size();
        if (terminal_ && input.place->line == lines_ && columns_ > 0 &&
            prompt_width + source.size() < columns_)
            output().note(std::string(prompt_width, ' ') + caret_under(source, column));
        else
            output().note("  " + std::string(source) + "\n  " + caret_under(source, column));
    }
    output().error(session_.state(), Error{ErrorKind::syntax, input.message});
    record_failure();
}

void Shell::end_of_input()
{
    if (continuing()) {
        // The message of an unfinished chunk ("'end' expected near <eof>").
        std::optional<SyntaxError> error = checker_.check(buffer_, std::string(input_chunk_name));
        output().error(session_.state(),
                       Error{ErrorKind::syntax, error ? error->message : "unfinished chunk"});
        record_failure();
        buffer_.clear();
        lines_ = 0;
    }
    done_ = true;
}

void Shell::cancel_input()
{
    buffer_.clear();
    lines_ = 0;
}

cli::Status Shell::run(const cli::Chunk& chunk, bool checked)
{
    if (!session_.has_state()) {
        output().error(
            "", Error{ErrorKind::usage, "no current state: .use NAME or .create NAME first"});
        record_failure();
        return cli::Status::failed;
    }
    const std::string state = session_.state();
    uint64_t ns = 0;
    cli::RunOptions options{checked ? nullptr : &checker_, &ns, {}};
    if (terminal_)
        options.before_output = [this] {
            // The terminal echoed Ctrl-C as "^C", with no line break: the
            // answer starts on a line of its own.
            if (router_.interrupted()) {
                out_.flush();
                err_ << '\n';
                err_.flush();
            }
        };
    cli::Status status;
    {
        InterruptRouter::Running running = router_.running(state, session_.connection().port());
        // The loop takes Ctrl-C before input: one still pending came after
        // this chunk's line, before it ran. It is for this chunk.
        if (router_.take_pending()) {
            if (terminal_)
                err_ << '\n'; // after the terminal's "^C"
            output().error(state, Error{ErrorKind::interrupted, "interrupted"});
            record_failure();
            return cli::Status::failed;
        }
        status = cli::run_chunk(session_.connection(), output(), state, chunk, options);
    }
    if (timing_ && ns)
        output().timing(state, ns);
    if (status != cli::Status::ok)
        record_failure();
    return status;
}

void Shell::show_events()
{
    Subscription* subscription = session_.subscription();
    if (!subscription)
        return;
    const std::string state = session_.state();
    std::string ended;
    EventHandlers handlers;
    handlers.on_line = [&](std::string_view line) {
        if (output().kernel_line(line, state) != cli::LineKind::end)
            return;
        std::optional<cli::KernelLine> parsed = cli::parse_kernel_line(line); // for its reason
        ended =
            parsed && parsed->data.is_object() ? parsed->data.value("reason", "ended") : "ended";
    };
    handlers.on_overrun = [&] { output().overrun(state); };
    Result<void> r = subscription->receive_pending(handlers);
    if (!r) {
        output().error(state, r.error());
        session_.leave();
    } else if (!ended.empty()) {
        output().note("klua: state '" + state + "' ended (" + ended +
                      "): .use or .create another one");
        session_.leave();
    }
}

std::vector<std::string> Shell::state_names()
{
    std::vector<std::string> names;
    Result<std::vector<StateInfo>> states = session_.connection().list();
    if (states)
        for (const StateInfo& s : *states)
            names.push_back(s.name);
    return names;
}

std::vector<std::string> Shell::lua_keys(std::span<const std::string> path)
{
    if (!session_.has_state())
        return {};
    std::vector<std::string> keys;
    std::string code = lua_keys_chunk(path);
    // Errors (a spent budget, a full heap) only mean no candidates.
    (void)session_.connection().exec({session_.state(), code, completion_chunk_name},
                                     [&](std::string_view line) {
                                         if (keys.empty())
                                             keys = parse_lua_keys(line);
                                     });
    return keys;
}

std::vector<std::string> Shell::module_names()
{
    std::span<const std::string_view> modules = stdlib_modules();
    return {modules.begin(), modules.end()};
}

} // namespace klua::repl
