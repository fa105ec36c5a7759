// SPDX-License-Identifier: GPL-2.0-only
// Ctrl-C (SIGINT) and SIGTERM as something to poll, rather than a handler
// with global state.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include <signal.h>

#include "interrupter.h"
#include "result.h"

namespace klua::cli {

// Blocks SIGINT and SIGTERM in the calling thread (and in threads it starts
// afterwards) and receives them on a signalfd. The destructor drops pending
// ones and restores the signal mask.
class SignalFd final : public Interrupter {
  public:
    static Result<std::unique_ptr<SignalFd>> open();
    ~SignalFd() override;
    SignalFd(const SignalFd&) = delete;
    SignalFd& operator=(const SignalFd&) = delete;

    int fd() const override { return fd_; }
    bool take() override;

    struct Pending {
        bool interrupt = false; // SIGINT
        bool terminate = false; // SIGTERM
    };
    // Consumes the pending signals and says which they were.
    Pending take_pending();

  private:
    SignalFd(int fd, const sigset_t& old_mask) : fd_(fd), old_mask_(old_mask) {}
    int fd_;
    sigset_t old_mask_;
};

// While a request blocks (an EXEC's reader waits in the kernel until its
// chunk has run), a thread watches the signals: on the first it calls
// on_interrupt (which sends KLUA_CMD_INTERRUPT on a socket of its own), and
// again every interrupt_resend_ms until it is destroyed; on a second one it
// lets SIGINT kill the process as usual.
class InterruptForwarder {
  public:
    static Result<std::unique_ptr<InterruptForwarder>> start(SignalFd& signals,
                                                             std::function<void()> on_interrupt);
    ~InterruptForwarder();
    InterruptForwarder(const InterruptForwarder&) = delete;
    InterruptForwarder& operator=(const InterruptForwarder&) = delete;

    bool interrupted() const { return interrupted_.load(); }

  private:
    InterruptForwarder(SignalFd& signals, std::function<void()> on_interrupt, int stop_fd);
    void run();

    SignalFd& signals_;
    std::function<void()> on_interrupt_;
    int stop_fd_;
    std::atomic<bool> interrupted_{false};
    std::thread thread_;
};

// What ends a watch: an interrupt from another Interrupter (Ctrl-C), or
// end(), called when the kernel says the state ended. Polls an epoll set of
// both.
class WatchStop final : public Interrupter {
  public:
    explicit WatchStop(Interrupter& interrupts);
    ~WatchStop() override;
    WatchStop(const WatchStop&) = delete;
    WatchStop& operator=(const WatchStop&) = delete;

    int fd() const override { return epoll_; }
    bool take() override;
    void end();

  private:
    Interrupter& interrupts_;
    int epoll_;
    int ended_;
};

// What ended a wait_for_signals().
enum class Wake { signals, stop, timeout };
// Waits until signals_fd is readable, or stop_fd is (or poll fails: stop),
// or timeout_ms pass (-1: no timeout). EINTR is retried.
Wake wait_for_signals(int signals_fd, int stop_fd, int timeout_ms = -1);

// How often an interrupt is sent again while its chunk has not ended: the
// kernel ends a chunk that waits behind another run of its state, but
// forgets an interrupt that comes while the request is still on its way, so
// the first one can be lost.
constexpr int interrupt_resend_ms = 100;

// Kills the process with SIGINT, as if no one handled it.
void die_of_sigint();

} // namespace klua::cli
