// SPDX-License-Identifier: GPL-2.0-only
#include "history.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace klua::repl {

std::string encode_history_entry(std::string_view entry)
{
    std::string line;
    for (char c : entry) {
        if (c == '\\')
            line += "\\\\";
        else if (c == '\n')
            line += "\\n";
        else
            line += c;
    }
    return line;
}

std::string decode_history_entry(std::string_view line)
{
    std::string entry;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
            ++i;
            entry += line[i] == 'n' ? '\n' : line[i];
        } else {
            entry += line[i];
        }
    }
    return entry;
}

static bool blank(std::string_view entry)
{
    return entry.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::vector<std::string> compact_history(std::vector<std::string> entries, std::size_t cap)
{
    std::vector<std::string> kept;
    for (std::string& entry : entries)
        if (!blank(entry) && (kept.empty() || kept.back() != entry))
            kept.push_back(std::move(entry));
    if (kept.size() > cap)
        kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(cap));
    return kept;
}

std::optional<std::string> history_path(const char* xdg_state_home, const char* home)
{
    if (xdg_state_home && xdg_state_home[0] == '/')
        return std::string(xdg_state_home) + "/klua/history";
    if (home && home[0] == '/')
        return std::string(home) + "/.local/state/klua/history";
    return std::nullopt;
}

static Error file_error(std::string_view what, const std::string& path)
{
    int err = errno;
    return Error{ErrorKind::file, std::string(what) + " '" + path + "': " + std::strerror(err),
                 err};
}

// mkdir -p of the directories above path, mode 0700 (the history is private).
static Result<void> make_parents(const std::string& path)
{
    for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        std::string dir = path.substr(0, slash);
        if (mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST)
            return file_error("cannot create the history directory", dir);
    }
    return {};
}

Result<std::vector<std::string>> HistoryFile::read_entries(std::size_t& lines)
{
    lines = 0;
    std::vector<std::string> entries;
    if (access(path_.c_str(), F_OK) < 0 && errno == ENOENT)
        return entries;
    std::ifstream in(path_);
    if (!in)
        return file_error("cannot read the history file", path_);
    for (std::string line; std::getline(in, line);) {
        ++lines;
        entries.push_back(decode_history_entry(line));
    }
    return entries;
}

Result<void> HistoryFile::rewrite(const std::vector<std::string>& entries)
{
    std::string tmp = path_ + ".tmp" + std::to_string(getpid());
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return file_error("cannot write the history file", tmp);
    std::string text;
    for (const std::string& entry : entries)
        text += encode_history_entry(entry) + "\n";
    bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp.c_str(), path_.c_str()) < 0) {
        Error error = file_error("cannot write the history file", path_);
        unlink(tmp.c_str());
        return error;
    }
    return {};
}

Result<std::vector<std::string>> HistoryFile::load()
{
    std::size_t lines = 0;
    Result<std::vector<std::string>> read = read_entries(lines);
    if (!read)
        return read;
    std::vector<std::string> entries = compact_history(std::move(*read), cap_);
    if (entries.size() != lines)
        if (Result<void> r = rewrite(entries); !r)
            return r.error();
    return entries;
}

Result<void> HistoryFile::append(std::string_view entry)
{
    if (Result<void> r = make_parents(path_); !r)
        return r;
    int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return file_error("cannot write the history file", path_);
    // One write: concurrent shells append whole lines.
    std::string line = encode_history_entry(entry) + "\n";
    bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ok = close(fd) == 0 && ok;
    if (!ok)
        return file_error("cannot write the history file", path_);
    return {};
}

Result<void> HistoryFile::compact()
{
    std::size_t lines = 0;
    Result<std::vector<std::string>> read = read_entries(lines);
    if (!read)
        return read.error();
    if (lines <= cap_)
        return {};
    return rewrite(compact_history(std::move(*read), cap_));
}

Result<std::vector<std::string>> History::load()
{
    if (!file_)
        return entries_;
    Result<std::vector<std::string>> loaded = file_->load();
    if (!loaded) {
        file_failed_ = true;
        return loaded;
    }
    entries_ = std::move(*loaded);
    return entries_;
}

bool History::add(std::string_view entry)
{
    if (blank(entry) || (!entries_.empty() && entries_.back() == entry))
        return false;
    entries_.emplace_back(entry);
    if (entries_.size() > cap_)
        entries_.erase(entries_.begin());
    if (file_ && !file_failed_) {
        if (Result<void> r = file_->append(entry); !r) {
            file_failed_ = true;
            if (on_error)
                on_error(r.error());
        }
    }
    if (on_add)
        on_add(entries_.back());
    return true;
}

void History::save()
{
    if (file_ && !file_failed_)
        (void)file_->compact();
}

} // namespace klua::repl
