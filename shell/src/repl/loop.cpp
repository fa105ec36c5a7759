// SPDX-License-Identifier: GPL-2.0-only
#include <cerrno>

#include <poll.h>
#include <unistd.h>

#include "input_source.h"

namespace klua::repl {

namespace {

class PlainInput final : public LineInput {
  public:
    PlainInput(Shell& shell, int fd) : shell_(shell), fd_(fd) {}

    int fd() const override { return fd_; }

    void read() override
    {
        char buf[65536];
        ssize_t n = ::read(fd_, buf, sizeof(buf));
        if (n < 0) {
            if (errno != EINTR && errno != EAGAIN)
                shell_.end_of_input();
            return;
        }
        if (n == 0) {
            if (!pending_.empty())
                shell_.take_line(std::exchange(pending_, {}));
            shell_.end_of_input();
            return;
        }
        pending_.append(buf, static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (std::size_t nl;
             !shell_.done() && (nl = pending_.find('\n', start)) != std::string::npos;
             start = nl + 1)
            shell_.take_line(std::string_view(pending_).substr(start, nl - start));
        pending_.erase(0, start);
    }

    // Ctrl-C without a terminal ends the shell, as it would end a script.
    void interrupt() override
    {
        shell_.record_failure();
        shell_.quit();
    }

    void print_above(const std::function<void()>& print) override { print(); }

  private:
    Shell& shell_;
    int fd_;
    std::string pending_;
};

} // namespace

std::unique_ptr<LineInput> make_plain_input(Shell& shell, int fd)
{
    return std::make_unique<PlainInput>(shell, fd);
}

void run_loop(Shell& shell, LineInput& input, InterruptRouter& router)
{
    while (!shell.done()) {
        if (router.terminated()) {
            shell.record_failure();
            shell.quit();
            break;
        }
        shell.flush_output(); // all that came of the last input, before waiting
        Subscription* subscription = shell.session().subscription();
        pollfd fds[3] = {{input.fd(), POLLIN, 0},
                         {router.fd(), POLLIN, 0},
                         {subscription ? subscription->fd() : -1, POLLIN, 0}};
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue; // SIGWINCH: readline has its handler
            break;
        }
        if (fds[1].revents) {
            if (router.take() && !router.terminated())
                input.interrupt();
            continue;
        }
        if (fds[2].revents)
            input.print_above([&] { shell.show_events(); });
        if (fds[0].revents)
            input.read();
    }
}

} // namespace klua::repl
