// SPDX-License-Identifier: GPL-2.0-only
// The handlers of the command table (cli.cpp).
#pragma once

#include <optional>

#include "cli.h"
#include "client.h"
#include "output.h"

namespace klua::cli {

// What handlers share: the output, and a client connected on first use.
class Runtime {
  public:
    explicit Runtime(Output& output) : output_(output) {}

    Output& output() { return output_; }
    // The client, or nothing after reporting why there is none.
    const Client* client(std::string_view state = {});

  private:
    Output& output_;
    std::optional<Client> client_;
};

Status state_create(const Invocation& inv, Runtime& rt);
Status state_list(const Invocation& inv, Runtime& rt);
Status state_destroy(const Invocation& inv, Runtime& rt);
Status run(const Invocation& inv, Runtime& rt);
Status watch(const Invocation& inv, Runtime& rt);

} // namespace klua::cli
