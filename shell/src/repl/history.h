// SPDX-License-Identifier: GPL-2.0-only
// The interactive shell's history file: per user, under
// $XDG_STATE_HOME/klua/history (or ~/.local/state/klua/history), one entry
// a line, oldest first, with "\" and line breaks escaped so that a chunk of
// several lines stays one entry. Entries are appended as they are made, so
// that concurrent shells and a shell that dies lose nothing; the file is cut
// back to its cap when loaded and when a shell ends.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace klua::repl {

inline constexpr std::size_t history_cap = 1000;

std::string encode_history_entry(std::string_view entry);
std::string decode_history_entry(std::string_view line);

// The last `cap` entries, without consecutive duplicates and empty entries.
std::vector<std::string> compact_history(std::vector<std::string> entries, std::size_t cap);

// Where the history lives: $XDG_STATE_HOME (if absolute) or $HOME/.local/state,
// then klua/history. Nothing without either.
std::optional<std::string> history_path(const char* xdg_state_home, const char* home);

class HistoryFile {
  public:
    HistoryFile(std::string path, std::size_t cap) : path_(std::move(path)), cap_(cap) {}

    const std::string& path() const { return path_; }
    // The entries, oldest first ("no file" is no entries). Rewrites the file
    // if it holds more than it should.
    Result<std::vector<std::string>> load();
    // Creates the file (and its directories, mode 0700) if needed.
    Result<void> append(std::string_view entry);
    // Cuts the file back to the cap (what other shells appended is kept).
    Result<void> compact();

  private:
    Result<std::vector<std::string>> read_entries(std::size_t& lines);
    Result<void> rewrite(const std::vector<std::string>& entries);

    std::string path_;
    std::size_t cap_;
};

// The history of one session: no consecutive duplicates, each new entry
// appended to the file (if any).
class History {
  public:
    explicit History(std::optional<HistoryFile> file, std::size_t cap = history_cap)
        : file_(std::move(file)), cap_(cap)
    {
    }

    // Loads the file's entries; an unreadable file is reported, not fatal.
    Result<std::vector<std::string>> load();
    // False if entry repeats the last one (or is blank): nothing was added.
    bool add(std::string_view entry);
    const std::vector<std::string>& entries() const { return entries_; }
    // At the end of the session.
    void save();

    // Told of each entry added (readline keeps its own list).
    std::function<void(const std::string&)> on_add;
    // Told once that the file could not be written: the session goes on
    // without saving.
    std::function<void(const Error&)> on_error;

  private:
    std::optional<HistoryFile> file_;
    std::size_t cap_;
    std::vector<std::string> entries_;
    bool file_failed_ = false; // report a failing file once
};

} // namespace klua::repl
