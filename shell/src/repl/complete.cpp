// SPDX-License-Identifier: GPL-2.0-only
#include "complete.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "dot_commands.h"
#include "render.h"
#include "stdlib_modules.h"

namespace klua::repl {

static constexpr std::string_view lua_keywords[] = {
    "and",      "break",  "do",   "else", "elseif", "end",  "false", "for",
    "function", "goto",   "if",   "in",   "local",  "nil",  "not",   "or",
    "repeat",   "return", "then", "true", "until",  "while"};

// Keys beyond this many are not offered (nor sent back by the kernel).
static constexpr std::size_t max_keys = 1000;

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

std::span<const std::string_view> stdlib_modules()
{
    return stdlib_module_names;
}

// The start of the name that ends at `end` in text.
static std::size_t name_start(std::string_view text, std::size_t end)
{
    while (end > 0 && is_name_char(text[end - 1]))
        --end;
    return end;
}

static CompletionContext analyze_command(std::string_view text)
{
    CompletionContext ctx;
    std::size_t last_blank = text.find_last_of(" \t");
    if (last_blank == std::string_view::npos) {
        ctx.kind = CompletionKind::command;
        ctx.start = text.find('.');
        ctx.prefix = std::string(text.substr(ctx.start));
        return ctx;
    }
    ctx.start = last_blank + 1;
    ctx.prefix = std::string(text.substr(ctx.start));
    std::size_t name_begin = text.find_first_not_of(" \t");
    std::size_t name_end = text.find_first_of(" \t", name_begin);
    const DotCommand* command = find_dot_command(text.substr(name_begin, name_end - name_begin));
    // Only the first argument completes.
    std::size_t first_arg = text.find_first_not_of(" \t", name_end);
    if (first_arg == std::string_view::npos)
        first_arg = text.size();
    if (!command || first_arg != ctx.start)
        return ctx;
    switch (command->completes) {
    case Completes::nothing:
        break;
    case Completes::command:
        ctx.kind = CompletionKind::command;
        break;
    case Completes::state:
        ctx.kind = CompletionKind::state;
        break;
    case Completes::file:
        ctx.kind = CompletionKind::file;
        break;
    case Completes::on_off:
        ctx.kind = CompletionKind::word;
        ctx.words = {"off", "on"};
        break;
    }
    return ctx;
}

// Where a string or comment that is still open at the end of text starts:
// the offset of its opening quote, and whether it is a comment.
struct OpenQuote {
    std::size_t at;
    bool comment;
};

// The length of a long bracket "[[", "[==[" at text[i], or 0.
static std::size_t long_bracket(std::string_view text, std::size_t i)
{
    if (text[i] != '[')
        return 0;
    std::size_t j = i + 1;
    while (j < text.size() && text[j] == '=')
        ++j;
    return j < text.size() && text[j] == '[' ? j - i + 1 : 0;
}

static std::optional<OpenQuote> open_quote(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        char c = text[i];
        bool comment = c == '-' && i + 1 < text.size() && text[i + 1] == '-';
        std::size_t body = comment ? i + 2 : i;
        if (std::size_t n = body < text.size() ? long_bracket(text, body) : 0) {
            std::string close = "]" + std::string(n - 2, '=') + "]";
            std::size_t end = text.find(close, body + n);
            if (end == std::string_view::npos)
                return OpenQuote{i, comment};
            i = end + close.size();
        } else if (comment) {
            return OpenQuote{i, true}; // to the end of the line
        } else if (c == '"' || c == '\'') {
            std::size_t j = i + 1;
            while (j < text.size() && text[j] != c)
                j += text[j] == '\\' ? 2 : 1;
            if (j >= text.size())
                return OpenQuote{i, false};
            i = j + 1;
        } else {
            ++i;
        }
    }
    return std::nullopt;
}

// "require(" or "require" (then a string) just before offset `at`.
static bool after_require(std::string_view text, std::size_t at)
{
    std::string_view before = text.substr(0, at);
    auto trim = [&] {
        while (!before.empty() && (before.back() == ' ' || before.back() == '\t'))
            before.remove_suffix(1);
    };
    trim();
    if (before.ends_with('(')) {
        before.remove_suffix(1);
        trim();
    }
    if (!before.ends_with("require"))
        return false;
    std::size_t start = before.size() - 7;
    return start == 0 || !is_name_char(before[start - 1]);
}

static CompletionContext analyze_lua(std::string_view text)
{
    CompletionContext ctx;
    ctx.start = name_start(text, text.size());
    ctx.prefix = std::string(text.substr(ctx.start));
    if (std::optional<OpenQuote> quote = open_quote(text)) {
        if (!quote->comment && after_require(text, quote->at) && ctx.start == quote->at + 1)
            ctx.kind = CompletionKind::module;
        return ctx;
    }
    if (!ctx.prefix.empty() && is_digit(ctx.prefix[0]))
        return ctx;
    // The names before: a.b.c or a.b:c, a ':' only last.
    std::size_t at = ctx.start;
    while (at > 0 && (text[at - 1] == '.' || text[at - 1] == ':')) {
        char sep = text[at - 1];
        if (sep == ':' && !ctx.path.empty())
            return ctx; // a:b.c
        if (sep == '.' && at >= 2 && text[at - 2] == '.') {
            if (ctx.path.empty())
                break; // the .. operator: a global follows
            return ctx;
        }
        std::size_t begin = name_start(text, at - 1);
        if (begin == at - 1 || is_digit(text[begin]))
            return ctx; // (x).y, t[1].y, 1.5
        ctx.path.insert(ctx.path.begin(), std::string(text.substr(begin, at - 1 - begin)));
        at = begin;
    }
    ctx.kind = CompletionKind::lua;
    return ctx;
}

CompletionContext analyze_completion(std::string_view before_cursor, bool continuation)
{
    if (!continuation && is_dot_command(before_cursor))
        return analyze_command(before_cursor);
    if (!continuation && before_cursor.find_first_not_of(" \t") != std::string_view::npos &&
        before_cursor[before_cursor.find_first_not_of(" \t")] == '.' &&
        before_cursor.find_first_of(" \t", before_cursor.find('.')) == std::string_view::npos)
        return analyze_command(before_cursor); // just "."
    return analyze_lua(before_cursor);
}

std::vector<std::string> complete(const CompletionContext& ctx, CompletionSource& source)
{
    std::vector<std::string> all;
    switch (ctx.kind) {
    case CompletionKind::none:
    case CompletionKind::file:
        return {};
    case CompletionKind::command:
        for (const DotCommand& c : dot_commands()) {
            // ".help us" offers "use"; a dot offers ".use".
            std::string_view name = c.name;
            if (!ctx.prefix.starts_with('.'))
                name.remove_prefix(1);
            all.emplace_back(name);
        }
        break;
    case CompletionKind::state:
        all = source.state_names();
        break;
    case CompletionKind::word:
        all = ctx.words;
        break;
    case CompletionKind::module:
        all = source.module_names();
        break;
    case CompletionKind::lua:
        all = source.lua_keys(ctx.path);
        if (ctx.path.empty())
            all.insert(all.end(), std::begin(lua_keywords), std::end(lua_keywords));
        std::erase_if(all, [](const std::string& key) {
            return key.empty() || is_digit(key[0]) ||
                   !std::all_of(key.begin(), key.end(), is_name_char);
        });
        break;
    }
    std::erase_if(all, [&](const std::string& c) { return !c.starts_with(ctx.prefix); });
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

std::string lua_keys_chunk(std::span<const std::string> path)
{
    std::string names;
    for (const std::string& name : path)
        names += (names.empty() ? "" : ", ") + cli::lua_quote(name);
    return "local v = _ENV\n"
           "for _, k in ipairs({" +
           names +
           "}) do\n"
           "  if type(v) ~= \"table\" then return {} end\n"
           "  v = rawget(v, k)\n"
           "end\n"
           "if type(v) == \"string\" then v = string end\n"
           "local keys, seen = {}, {}\n"
           "local function add(t)\n"
           "  if type(t) ~= \"table\" then return end\n"
           "  for k in next, t do\n"
           "    if type(k) == \"string\" and not seen[k] and #keys < " +
           std::to_string(max_keys) +
           " then\n"
           "      seen[k] = true\n"
           "      keys[#keys + 1] = k\n"
           "    end\n"
           "  end\n"
           "end\n"
           "add(v)\n"
           "local mt = getmetatable(v)\n"
           "if type(mt) == \"table\" then add(rawget(mt, \"__index\")) end\n"
           "return keys\n";
}

std::vector<std::string> parse_lua_keys(std::string_view line)
{
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    std::vector<std::string> keys;
    if (!j.is_object() || j.value("type", "") != "result")
        return keys;
    auto data = j.find("data");
    if (data == j.end() || !data->is_array() || data->empty() || !(*data)[0].is_array())
        return keys;
    for (const nlohmann::json& key : (*data)[0])
        if (key.is_string() && keys.size() < max_keys)
            keys.push_back(key.get<std::string>());
    return keys;
}

} // namespace klua::repl
