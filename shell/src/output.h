// SPDX-License-Identifier: GPL-2.0-only
// Where everything the shell shows goes: readable text, or one JSON object a
// line in the kernel's envelope {"type": ..., "state": ..., "data": ...}.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "client.h"
#include "line_type.h"
#include "pretty.h"
#include "result.h"

namespace klua::cli {

// What a line of the kernel's NDJSON was.
// What a kernel line is: its type ("end": a state's last event), or not a
// valid line at all.
enum class LineKind { result, error, print, lost, end, other, invalid };

struct KernelLine {
    std::string type;
    std::string state;
    nlohmann::json data;
};

// The line parsed, or nothing if it is not a JSON object with a string "type".
std::optional<KernelLine> parse_kernel_line(std::string_view line);

class Output {
  public:
    virtual ~Output() = default;

    // Shows one line of the kernel's NDJSON (without its "\n") that came for
    // state. An invalid line is reported as an error.
    virtual LineKind kernel_line(std::string_view line, std::string_view state = {});

    // The states, each with its hooks (text: a table of states, then one of
    // their hooks; JSON: a "state" line each, with a "hooks" array).
    virtual void states(const std::vector<StateInfo>& states) = 0;
    // Hooks alone (.hooks): a table, or a "hook" line each.
    virtual void hooks(const std::vector<HookInfo>& hooks) = 0;
    virtual void created(std::string_view name) = 0;
    // An error of the shell itself, about state ("" if none).
    virtual void error(std::string_view state, const Error& error) = 0;
    // Events of state were lost on their way to this process.
    virtual void overrun(std::string_view state) = 0;
    // A remark of the interactive shell for people (not part of JSON output).
    virtual void note(std::string_view text) = 0;
    // The round trip of a chunk run in state, in nanoseconds.
    virtual void timing(std::string_view state, uint64_t ns) = 0;
    // Text that a command was asked for (.help, ".json is on"): as it is, or
    // as a JSON line of type "text".
    virtual void text(std::string_view text) = 0;

    // Each line is flushed as it is written (the default), or the lines for
    // out wait in its buffer until flush(): on a pipe or a file, where a
    // system call per line would cost more than the line. Lines for err are
    // always flushed, after what waits for out, so that the order holds.
    void set_line_flush(bool on) { line_flush_ = on; }
    virtual void flush() = 0;

  protected:
    virtual void show(std::string_view raw, const KernelLine& line) = 0;
    bool line_flush() const { return line_flush_; }
    LineKind invalid_line(std::string_view line, std::string_view state);
    static LineKind kind_of(std::string_view type);

  private:
    bool line_flush_ = true;
};

struct TextOptions {
    bool colors = false; // on err: errors, warnings and notes
    // Results laid out over several lines and capped, with a note of what
    // was cut (the interactive shell); else on one line, whole.
    std::optional<RenderLimits> pretty;
    // Errors whose message does not say where they happened get "(at
    // CHUNK:LINE)" when the kernel knows.
    bool locate_errors = false;
};

// Readable text: results and prints on out, the rest on err.
std::unique_ptr<Output> make_text_output(std::ostream& out, std::ostream& err,
                                         TextOptions options = {});
// NDJSON on out: the kernel's lines as they came, and lines of the shell's own.
std::unique_ptr<Output> make_json_output(std::ostream& out);

// The JSON text of j (keys in insertion order: "type" first), with invalid
// UTF-8 replaced rather than refused.
std::string dump_json(const nlohmann::ordered_json& j);

} // namespace klua::cli
