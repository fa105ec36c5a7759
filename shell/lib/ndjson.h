// SPDX-License-Identifier: GPL-2.0-only
// Reassembly of the NDJSON text that the kernel sends in KLUA_ATTR_OUTPUT
// attributes: the bytes of successive messages are one stream, and a line
// (even a UTF-8 sequence) may be split between two messages.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace klua {

class LineSplitter {
  public:
    using LineHandler = std::function<void(std::string_view line)>;

    // Appends bytes to the stream and calls on_line for each line they
    // complete, without its "\n", in order.
    void feed(std::string_view bytes, const LineHandler& on_line);

    // The bytes after the last "\n": a line that has not ended yet.
    std::string_view partial() const { return partial_; }
    bool has_partial() const { return !partial_.empty(); }
    void clear() { partial_.clear(); }

  private:
    std::string partial_;
};

} // namespace klua
