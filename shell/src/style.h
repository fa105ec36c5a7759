// SPDX-License-Identifier: GPL-2.0-only
// Colours of the text output: only on a terminal, and never with NO_COLOR set
// (https://no-color.org).
#pragma once

#include <string>
#include <string_view>

namespace klua::cli {

// True if text written to fd may carry colours.
bool colors_wanted(int fd);

class Style {
  public:
    explicit Style(bool colors = false) : colors_(colors) {}
    bool colors() const { return colors_; }

    std::string error(std::string_view text) const { return paint("1;31", text); }
    std::string warning(std::string_view text) const { return paint("33", text); }
    std::string dim(std::string_view text) const { return paint("2", text); }

  private:
    std::string paint(std::string_view sgr, std::string_view text) const;
    bool colors_;
};

} // namespace klua::cli
