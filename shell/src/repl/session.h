// SPDX-License-Identifier: GPL-2.0-only
// The interactive shell's link to the kernel: one connection (one socket)
// for all its requests, the current state, and the subscription to that
// state's events.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client.h"
#include "result.h"

namespace klua::repl {

class Session {
  public:
    Session(const Client& client, Connection conn) : client_(client), conn_(std::move(conn)) {}

    const Client& client() const { return client_; }
    Connection& connection() { return conn_; }

    // The current state ("" if none).
    const std::string& state() const { return state_; }
    bool has_state() const { return !state_.empty(); }
    // Makes name the current state and subscribes to its events (the
    // previous state's subscription ends). On failure nothing changes.
    Result<void> use(const std::string& name);
    // No current state any more (it ended, or is about to be destroyed).
    void leave();
    // The current state's events; nothing without a state.
    Subscription* subscription() { return subscription_ ? &*subscription_ : nullptr; }

  private:
    const Client& client_;
    Connection conn_;
    std::string state_;
    std::optional<Subscription> subscription_;
};

} // namespace klua::repl
