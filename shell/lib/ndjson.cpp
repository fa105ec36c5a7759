// SPDX-License-Identifier: GPL-2.0-only
#include "ndjson.h"

namespace klua {

void LineSplitter::feed(std::string_view bytes, const LineHandler& on_line)
{
    std::size_t start = 0;
    for (std::size_t nl; (nl = bytes.find('\n', start)) != std::string_view::npos; start = nl + 1) {
        std::string_view piece = bytes.substr(start, nl - start);
        if (partial_.empty()) {
            on_line(piece);
        } else {
            partial_.append(piece);
            std::string line = std::move(partial_);
            partial_.clear();
            on_line(line);
        }
    }
    partial_.append(bytes.substr(start));
}

} // namespace klua
