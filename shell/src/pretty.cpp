// SPDX-License-Identifier: GPL-2.0-only
#include "pretty.h"

#include "render.h"

namespace klua::cli {

using nlohmann::json;

namespace {

class Printer {
  public:
    explicit Printer(const RenderLimits& limits) : limits_(limits) {}

    // value as it starts at column `column`, nested `depth` tables deep;
    // lines after the first are indented by `indent`.
    std::string render(const json& value, std::size_t depth, std::size_t indent, std::size_t column)
    {
        if (value.is_string() || (value.is_object() && !is_table(value)))
            return render_string(value);
        if (!is_table(value))
            return render_value(value);
        std::vector<TableEntry> entries = table_entries(value);
        if (entries.empty())
            return "{}";
        if (depth >= limits_.max_depth) {
            ++cut_.deep_tables;
            return "{...}";
        }
        std::size_t shown = std::min(entries.size(), limits_.max_entries);
        std::vector<std::string> parts;
        bool multiline = false;
        for (std::size_t i = 0; i < shown; ++i) {
            const TableEntry& entry = entries[i];
            std::string prefix = entry.key.empty() ? "" : entry.key + " = ";
            std::string part =
                prefix + render(*entry.value, depth + 1, indent + 2, indent + 2 + prefix.size());
            multiline = multiline || part.find('\n') != std::string::npos;
            parts.push_back(std::move(part));
        }
        if (std::size_t hidden = entries.size() - shown) {
            cut_.hidden_entries += hidden;
            parts.push_back("... (" + std::to_string(hidden) + " more)");
        }
        if (!multiline) {
            std::string flat = "{";
            for (std::size_t i = 0; i < parts.size(); ++i)
                flat += (i ? ", " : "") + parts[i];
            flat += "}";
            if (column + flat.size() <= limits_.width)
                return flat;
        }
        std::string out = "{\n";
        for (const std::string& part : parts)
            out += std::string(indent + 2, ' ') + part + ",\n";
        return out + std::string(indent, ' ') + "}";
    }

    const Cut& cut() const { return cut_; }

  private:
    std::string render_string(const json& value)
    {
        std::optional<std::string> bytes = bytes_of(value);
        if (!bytes)
            return render_value(value);
        if (bytes->size() <= limits_.max_string)
            return lua_quote(*bytes);
        // Cut at the start of a UTF-8 sequence.
        std::size_t end = limits_.max_string;
        while (end > 0 && (static_cast<unsigned char>((*bytes)[end]) & 0xc0) == 0x80)
            --end;
        ++cut_.long_strings;
        return lua_quote(std::string_view(*bytes).substr(0, end)) + "... (" +
               std::to_string(bytes->size() - end) + " more bytes)";
    }

    const RenderLimits& limits_;
    Cut cut_;
};

} // namespace

Pretty render_pretty(const json& value, const RenderLimits& limits)
{
    Printer printer(limits);
    std::string text = printer.render(value, 0, 0, 0);
    return {std::move(text), printer.cut()};
}

Pretty render_pretty_result(const json& values, const RenderLimits& limits)
{
    Printer printer(limits);
    std::string text;
    auto top = [&](const json& value) {
        // Strings at the top level are shown raw, as print() would.
        if (value.is_string())
            return value.get<std::string>();
        return printer.render(value, 0, 0, 0);
    };
    if (!values.is_array()) {
        text = top(values);
    } else {
        for (std::size_t i = 0; i < values.size(); ++i)
            text += (i ? "\t" : "") + top(values[i]);
    }
    return {std::move(text), printer.cut()};
}

static std::string plural(std::size_t n, std::string_view one, std::string_view many)
{
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string describe_cut(const Cut& cut, const RenderLimits& limits)
{
    std::vector<std::string> parts;
    if (cut.hidden_entries)
        parts.push_back(plural(cut.hidden_entries, "entry", "entries") + " beyond " +
                        std::to_string(limits.max_entries) + " a table");
    if (cut.deep_tables)
        parts.push_back(plural(cut.deep_tables, "table", "tables") + " nested deeper than " +
                        std::to_string(limits.max_depth) + " levels");
    if (cut.long_strings)
        parts.push_back(plural(cut.long_strings, "string", "strings") + " longer than " +
                        std::to_string(limits.max_string) + " bytes");
    if (parts.empty())
        return "";
    std::string text = "output cut: ";
    for (std::size_t i = 0; i < parts.size(); ++i)
        text += (i ? ", " : "") + parts[i];
    return text;
}

} // namespace klua::cli
