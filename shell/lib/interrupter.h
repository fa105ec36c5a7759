// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace klua {

// A source of user interrupts (Ctrl-C) that a wait for the kernel can poll
// next to its socket.
class Interrupter {
  public:
    virtual ~Interrupter() = default;
    // Becomes readable when an interrupt is pending.
    virtual int fd() const = 0;
    // Consumes the pending interrupts; true if there was one.
    virtual bool take() = 0;
};

} // namespace klua
