// SPDX-License-Identifier: GPL-2.0-only
#include "session.h"

namespace klua::repl {

// How long to wait for the kernel's UNSUBSCRIBE ack: closing the socket
// ends the subscription anyway.
static constexpr int unsubscribe_timeout_ms = 200;

Result<void> Session::use(const std::string& name)
{
    Result<Subscription> subscription = client_.subscribe(name);
    if (!subscription)
        return subscription.error();
    leave();
    subscription_.emplace(std::move(*subscription));
    state_ = name;
    return {};
}

void Session::leave()
{
    if (subscription_)
        (void)client_.unsubscribe(*subscription_, unsubscribe_timeout_ms);
    subscription_.reset();
    state_.clear();
}

} // namespace klua::repl
