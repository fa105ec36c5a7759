// SPDX-License-Identifier: GPL-2.0-only
// Ctrl-C in the interactive shell. While a chunk runs (the kernel may run it
// inside the sending system call), a thread of its own sends
// KLUA_CMD_INTERRUPT for it, as the command line's InterruptForwarder does,
// and again every interrupt_resend_ms until the chunk ends; a second Ctrl-C
// during the same chunk quits klua. While nothing runs,
// Ctrl-C shows up on fd() for the main loop, which clears the line. One
// thread serves the whole session, so a chunk pays nothing for it.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client.h"
#include "interrupter.h"
#include "result.h"
#include "signals.h"

namespace klua::repl {

class InterruptRouter final : public Interrupter {
  public:
    // Blocks SIGINT and SIGTERM for the process (a SignalFd of its own).
    static Result<std::unique_ptr<InterruptRouter>> start(const Client& client);
    ~InterruptRouter() override;
    InterruptRouter(const InterruptRouter&) = delete;
    InterruptRouter& operator=(const InterruptRouter&) = delete;

    // Readable when Ctrl-C (or SIGTERM) came while no chunk ran.
    int fd() const override { return idle_fd_; }
    bool take() override;
    // take(), without a system call when nothing is pending: for every chunk
    // the shell runs.
    bool take_pending();
    // SIGTERM came: the shell should end.
    bool terminated() const { return terminated_.load(); }
    // The chunk running now (or the last one) was interrupted.
    bool interrupted();

    // While it lives, Ctrl-C interrupts the chunk running in state.
    class Running {
      public:
        ~Running();
        Running(const Running&) = delete;
        Running& operator=(const Running&) = delete;

      private:
        friend class InterruptRouter;
        explicit Running(InterruptRouter& router) : router_(router) {}
        InterruptRouter& router_;
    };
    // port: the netlink port the chunk's EXEC goes out from.
    [[nodiscard]] Running running(std::string state, uint32_t port);

  private:
    InterruptRouter(const Client& client, std::unique_ptr<cli::SignalFd> signals, int stop_fd,
                    int idle_fd);
    void run();
    void on_signals(const cli::SignalFd::Pending& pending);
    // The running chunk was interrupted and has not ended yet.
    bool resending();
    void resend();

    const Client& client_;
    std::unique_ptr<cli::SignalFd> signals_;
    int stop_fd_;
    int idle_fd_;
    std::atomic<bool> terminated_{false};
    std::atomic<bool> pending_{false}; // Ctrl-C came while no chunk ran
    std::mutex mutex_;         // guards the four below
    bool busy_ = false;        // a chunk runs
    bool interrupted_ = false; // ... and was interrupted once
    std::string state_;
    uint32_t port_ = 0;
    std::thread thread_;
};

} // namespace klua::repl
