// SPDX-License-Identifier: GPL-2.0-only
#include "interrupts.h"

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <sys/eventfd.h>
#include <unistd.h>

namespace klua::repl {

static void signal_eventfd(int fd)
{
    uint64_t one = 1;
    (void)!write(fd, &one, sizeof(one));
}

Result<std::unique_ptr<InterruptRouter>> InterruptRouter::start(const Client& client)
{
    Result<std::unique_ptr<cli::SignalFd>> signals = cli::SignalFd::open();
    if (!signals)
        return signals.error();
    int stop_fd = eventfd(0, EFD_CLOEXEC);
    int idle_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop_fd < 0 || idle_fd < 0) {
        int err = errno;
        if (stop_fd >= 0)
            close(stop_fd);
        if (idle_fd >= 0)
            close(idle_fd);
        return Error{ErrorKind::request, std::string("eventfd: ") + std::strerror(err), err};
    }
    return std::unique_ptr<InterruptRouter>(
        new InterruptRouter(client, std::move(*signals), stop_fd, idle_fd));
}

InterruptRouter::InterruptRouter(const Client& client, std::unique_ptr<cli::SignalFd> signals,
                                 int stop_fd, int idle_fd)
    : client_(client), signals_(std::move(signals)), stop_fd_(stop_fd), idle_fd_(idle_fd),
      thread_([this] { run(); })
{
}

InterruptRouter::~InterruptRouter()
{
    signal_eventfd(stop_fd_);
    thread_.join();
    close(stop_fd_);
    close(idle_fd_);
}

bool InterruptRouter::take()
{
    uint64_t count = 0;
    (void)!read(idle_fd_, &count, sizeof(count));
    // The flag, not the read: the flag is set before the eventfd is, so a
    // read that came between the two finds the flag and the eventfd stays
    // readable for one more take() that returns false.
    return pending_.exchange(false);
}

bool InterruptRouter::take_pending()
{
    return pending_.load() && take();
}

InterruptRouter::Running InterruptRouter::running(std::string state, uint32_t port)
{
    std::lock_guard lock(mutex_);
    busy_ = true;
    interrupted_ = false;
    state_ = std::move(state);
    port_ = port;
    return Running(*this);
}

InterruptRouter::Running::~Running()
{
    std::lock_guard lock(router_.mutex_);
    router_.busy_ = false;
}

void InterruptRouter::on_signals(const cli::SignalFd::Pending& pending)
{
    if (pending.terminate)
        terminated_ = true;
    std::lock_guard lock(mutex_);
    if (!busy_) {
        pending_ = true;
        signal_eventfd(idle_fd_);
        return;
    }
    if (interrupted_ && pending.interrupt)
        cli::die_of_sigint();
    interrupted_ = true;
    // The running chunk fails with kind "interrupted" (only this shell's).
    (void)client_.interrupt(state_, port_);
    if (pending.terminate)
        signal_eventfd(idle_fd_); // wakes the main loop, which then sees terminated()
}

bool InterruptRouter::interrupted()
{
    std::lock_guard lock(mutex_);
    return interrupted_;
}

bool InterruptRouter::resending()
{
    std::lock_guard lock(mutex_);
    return busy_ && interrupted_;
}

void InterruptRouter::resend()
{
    std::lock_guard lock(mutex_);
    if (busy_ && interrupted_)
        (void)client_.interrupt(state_, port_);
}

void InterruptRouter::run()
{
    for (;;) {
        switch (cli::wait_for_signals(signals_->fd(), stop_fd_,
                                      resending() ? cli::interrupt_resend_ms : -1)) {
        case cli::Wake::stop:
            return;
        case cli::Wake::timeout:
            resend(); // the chunk still runs: the first may have been lost
            break;
        case cli::Wake::signals:
            if (cli::SignalFd::Pending pending = signals_->take_pending();
                pending.interrupt || pending.terminate)
                on_signals(pending);
            break;
        }
    }
}

} // namespace klua::repl
