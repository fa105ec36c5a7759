// SPDX-License-Identifier: GPL-2.0-only
#include "output.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>

#include <uapi/klua.h>

#include "render.h"
#include "style.h"
#include "units.h"

namespace klua::cli {

using nlohmann::json;
using nlohmann::ordered_json;

std::string dump_json(const ordered_json& j)
{
    return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::optional<KernelLine> parse_kernel_line(std::string_view line)
{
    // nlohmann::json ends its input at a NUL byte: "{...}\0junk" would pass.
    if (line.find('\0') != std::string_view::npos)
        return std::nullopt;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    auto type = j.find("type");
    if (type == j.end() || !type->is_string())
        return std::nullopt;
    KernelLine parsed;
    parsed.type = type->get<std::string>();
    if (auto state = j.find("state"); state != j.end() && state->is_string())
        parsed.state = state->get<std::string>();
    if (auto data = j.find("data"); data != j.end())
        parsed.data = std::move(*data);
    return parsed;
}

LineKind Output::kind_of(std::string_view type)
{
    if (type == "result")
        return LineKind::result;
    if (type == "error")
        return LineKind::error;
    if (type == "print")
        return LineKind::print;
    if (type == "lost")
        return LineKind::lost;
    if (type == "end")
        return LineKind::end;
    return LineKind::other;
}

LineKind Output::invalid_line(std::string_view line, std::string_view state)
{
    constexpr std::size_t shown = 80;
    std::string excerpt = lua_quote(line.substr(0, shown));
    if (line.size() > shown)
        excerpt += "...";
    error(state, Error{ErrorKind::protocol, "the kernel sent an invalid JSON line: " + excerpt});
    return LineKind::invalid;
}

LineKind Output::kernel_line(std::string_view line, std::string_view state)
{
    std::optional<KernelLine> parsed = parse_kernel_line(line);
    if (!parsed)
        return invalid_line(line, state);
    show(line, *parsed);
    return kind_of(parsed->type);
}

namespace {

class TextOutput final : public Output {
  public:
    TextOutput(std::ostream& out, std::ostream& err, TextOptions options)
        : out_(out), err_(err), options_(std::move(options)), style_(options_.colors)
    {
    }

    void states(const std::vector<StateInfo>& states) override
    {
        std::vector<std::vector<std::string>> rows;
        rows.push_back({"NAME", "MEMORY", "PEAK", "INSTR-LIMIT", "TIME-LIMIT", "RUNS", "ERRORS",
                        "TIME", "HOLD-PEAK", "HOOKS"});
        for (const StateInfo& s : states) {
            std::string memory = format_size(s.memory_used) + "/" +
                                 (s.memory_limit ? format_size(s.memory_limit) : "-");
            std::string instr_limit = s.instr_limit ? std::to_string(s.instr_limit) : "-";
            std::string time_limit = s.time_limit_ns ? format_duration(s.time_limit_ns) : "-";
            rows.push_back({s.name, memory, format_size(s.memory_peak), instr_limit, time_limit,
                            std::to_string(s.runs), std::to_string(s.errors),
                            format_duration(s.time_ns), format_duration(s.hold_peak_ns),
                            std::to_string(s.hook_count)});
        }
        table(rows);
        std::vector<HookInfo> all;
        for (const StateInfo& s : states)
            all.insert(all.end(), s.hooks.begin(), s.hooks.end());
        if (!all.empty()) {
            out_ << '\n';
            hook_table(all);
        }
        line_done();
    }

    void hooks(const std::vector<HookInfo>& hooks) override
    {
        if (hooks.empty())
            out_ << "no hooks\n";
        else
            hook_table(hooks);
        line_done();
    }

    void created(std::string_view) override {}

    void error(std::string_view, const Error& error) override
    {
        std::string text = "klua: ";
        if (error.kind == ErrorKind::syntax)
            text += "syntax error: ";
        err_line(style_.error(text + error.message));
    }

    void overrun(std::string_view) override
    {
        err_line(style_.warning("klua: events lost: the socket's receive buffer overflowed"));
    }

    void note(std::string_view text) override { err_line(style_.dim(text)); }

    void timing(std::string_view, uint64_t ns) override { note("time: " + format_duration(ns)); }

    void text(std::string_view text) override
    {
        out_ << text << '\n';
        line_done();
    }

    void flush() override
    {
        out_.flush();
        err_.flush();
    }

  protected:
    void show(std::string_view, const KernelLine& line) override
    {
        if (line.type == "result") {
            if (!line.data.is_array() || !line.data.empty())
                show_result(line.data);
        } else if (line.type == "print") {
            out_ << text_of(line.data) << '\n';
            line_done();
        } else if (line.type == "lost") {
            json count = line.data.is_object() ? line.data.value("count", json()) : json();
            err_line(style_.warning("klua: " + render_value(count) + " events lost"));
        } else if (line.type == "error") {
            show_error(line.data);
        }
        // Other types are newer than this shell: JSON output shows them.
    }

  private:
    void line_done()
    {
        if (line_flush())
            out_.flush();
    }

    // A line on err, once what waits for out is written, so that the order
    // holds. One write: std::cerr flushes after each insertion, and a line
    // in pieces could be split by another writer's output.
    void err_line(std::string line)
    {
        out_.flush();
        line += '\n';
        err_ << line;
        err_.flush();
    }

    void show_result(const json& values)
    {
        if (!options_.pretty) {
            out_ << render_result(values) << '\n';
            line_done();
            return;
        }
        Pretty pretty = render_pretty_result(values, *options_.pretty);
        out_ << pretty.text << '\n';
        line_done();
        if (pretty.cut.any())
            note("(" + describe_cut(pretty.cut, *options_.pretty) + ")");
    }

    // " (at CHUNK:LINE)" if the message does not start with the place.
    static std::string location(const json& data, std::string_view message)
    {
        auto chunk = data.find("chunk");
        auto line = data.find("line");
        if (chunk == data.end() || !chunk->is_string() || line == data.end() ||
            !line->is_number_integer())
            return "";
        std::string place = chunk->get<std::string>() + ":" + std::to_string(line->get<int64_t>());
        if (message.starts_with(place + ":"))
            return "";
        return " (at " + place + ")";
    }

    void show_error(const json& data)
    {
        std::string kind = "unknown";
        std::string message;
        std::string traceback;
        std::string where;
        if (data.is_object()) {
            if (auto it = data.find("kind"); it != data.end() && it->is_string())
                kind = it->get<std::string>();
            if (auto it = data.find("message"); it != data.end())
                message = text_of(*it);
            if (auto it = data.find("traceback"); it != data.end() && !it->is_null())
                traceback = text_of(*it);
            if (options_.locate_errors)
                where = location(data, message);
        } else {
            message = text_of(data);
        }
        std::string text = style_.error("klua: " + kind + " error: " + message) + where;
        if (!traceback.empty()) {
            if (traceback.back() == '\n')
                traceback.pop_back();
            text += '\n' + style_.dim(traceback);
        }
        err_line(std::move(text));
    }

    void hook_table(const std::vector<HookInfo>& hooks)
    {
        std::vector<std::vector<std::string>> rows;
        rows.push_back({"STATE", "HOOK", "KIND", "TARGET", "RUNS", "ERRORS", "MISSED"});
        for (const HookInfo& h : hooks)
            rows.push_back({h.state, std::to_string(h.id), h.kind, h.target, std::to_string(h.runs),
                            std::to_string(h.errors), std::to_string(h.missed)});
        table(rows);
    }

    // Columns two spaces apart, each as wide as its widest cell.
    void table(const std::vector<std::vector<std::string>>& rows)
    {
        std::vector<std::size_t> width(rows.front().size());
        for (const auto& row : rows)
            for (std::size_t i = 0; i < row.size(); ++i)
                width[i] = std::max(width[i], row[i].size());
        for (const auto& row : rows) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                line += row[i];
                if (i + 1 < row.size())
                    line += std::string(width[i] - row[i].size() + 2, ' ');
            }
            out_ << line << '\n';
        }
    }

    std::ostream& out_;
    std::ostream& err_;
    TextOptions options_;
    Style style_;
};

const char* context_name(uint8_t context)
{
    switch (context) {
    case KLUA_CONTEXT_SOFTIRQ:
        return "softirq";
    case KLUA_CONTEXT_HARDIRQ:
        return "hardirq";
    default:
        return "unknown";
    }
}

ordered_json hook_object(const HookInfo& h)
{
    return {{"id", h.id},         {"kind", h.kind},     {"target", h.target},
            {"runs", h.runs},     {"errors", h.errors}, {"missed", h.missed}};
}

ordered_json hook_array(const std::vector<HookInfo>& hooks)
{
    ordered_json array = ordered_json::array();
    for (const HookInfo& h : hooks)
        array.push_back(hook_object(h));
    return array;
}

class JsonOutput final : public Output {
  public:
    explicit JsonOutput(std::ostream& out) : out_(out) {}

    void states(const std::vector<StateInfo>& states) override
    {
        for (const StateInfo& s : states)
            emit({{"type", "state"},
                  {"data",
                   {{"name", s.name},
                    {"memory_used", s.memory_used},
                    {"memory_peak", s.memory_peak},
                    {"memory_limit", s.memory_limit},
                    {"instr_limit", s.instr_limit},
                    {"time_limit_ns", s.time_limit_ns},
                    {"runs", s.runs},
                    {"errors", s.errors},
                    {"time_ns", s.time_ns},
                    {"timers", s.timers},
                    {"subscribers", s.subscribers},
                    {"lost", s.lost},
                    {"stack_peak", s.stack_peak},
                    {"hold_peak_ns", s.hold_peak_ns},
                    {"context", context_name(s.context)},
                    {"hooks", hook_array(s.hooks)}}}});
    }

    void hooks(const std::vector<HookInfo>& hooks) override
    {
        for (const HookInfo& h : hooks)
            emit({{"type", "hook"}, {"state", h.state}, {"data", hook_object(h)}});
    }

    void created(std::string_view name) override
    {
        emit({{"type", "created"}, {"state", name}, {"data", {{"name", name}}}});
    }

    void error(std::string_view state, const Error& error) override
    {
        ordered_json line = {{"type", "error"}};
        if (!state.empty())
            line["state"] = state;
        line["data"] = {{"kind", to_string(error.kind)}, {"message", error.message}};
        emit(line);
    }

    void overrun(std::string_view state) override
    {
        emit({{"type", "lost"}, {"state", state}, {"data", {{"reason", "overrun"}}}});
    }

    void note(std::string_view) override {}

    // With .timing on, one a line: not built as a tree, and the state's
    // JSON text is kept while the state stays.
    void timing(std::string_view state, uint64_t ns) override
    {
        if (timing_prefix_.empty() || state != timing_state_) {
            timing_state_ = state;
            timing_prefix_ = R"({"type":"timing","state":)" + dump_json(timing_state_) +
                             R"(,"data":{"round_trip_ns":)";
        }
        char digits[24];
        char* end = std::to_chars(std::begin(digits), std::end(digits), ns).ptr;
        out_ << timing_prefix_ << std::string_view(digits, end - digits);
        write_line("}}");
    }

    void text(std::string_view text) override { emit({{"type", "text"}, {"data", text}}); }

    void flush() override { out_.flush(); }

    // The line as it came, once checked: no tree is built for it.
    LineKind kernel_line(std::string_view line, std::string_view state) override
    {
        std::optional<std::string> type = kernel_line_type(line);
        if (!type)
            return invalid_line(line, state);
        write_line(line);
        return kind_of(*type);
    }

  protected:
    void show(std::string_view raw, const KernelLine&) override { write_line(raw); }

  private:
    void emit(const ordered_json& line) { write_line(dump_json(line)); }

    // Ends a line on out: text, then "\n".
    void write_line(std::string_view text)
    {
        out_ << text << '\n';
        if (line_flush())
            out_.flush();
    }

    std::ostream& out_;
    std::string timing_state_;
    std::string timing_prefix_;
};

} // namespace

std::unique_ptr<Output> make_text_output(std::ostream& out, std::ostream& err, TextOptions options)
{
    return std::make_unique<TextOutput>(out, err, std::move(options));
}

std::unique_ptr<Output> make_json_output(std::ostream& out)
{
    return std::make_unique<JsonOutput>(out);
}

} // namespace klua::cli
