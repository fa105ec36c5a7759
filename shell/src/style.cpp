// SPDX-License-Identifier: GPL-2.0-only
#include "style.h"

#include <cstdlib>

#include <unistd.h>

namespace klua::cli {

bool colors_wanted(int fd)
{
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    return isatty(fd) == 1;
}

std::string Style::paint(std::string_view sgr, std::string_view text) const
{
    if (!colors_ || text.empty())
        return std::string(text);
    return "\033[" + std::string(sgr) + "m" + std::string(text) + "\033[0m";
}

} // namespace klua::cli
