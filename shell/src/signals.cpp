// SPDX-License-Identifier: GPL-2.0-only
#include "signals.h"

#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <cstring>

#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace klua::cli {

static sigset_t interrupt_signals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

Result<std::unique_ptr<SignalFd>> SignalFd::open()
{
    sigset_t set = interrupt_signals();
    sigset_t old_mask;
    if (int err = pthread_sigmask(SIG_BLOCK, &set, &old_mask); err != 0)
        return Error{ErrorKind::request, std::string("cannot block signals: ") + std::strerror(err),
                     err};
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
        return Error{ErrorKind::request, std::string("signalfd: ") + std::strerror(err), err};
    }
    return std::unique_ptr<SignalFd>(new SignalFd(fd, old_mask));
}

SignalFd::~SignalFd()
{
    take();
    close(fd_);
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

bool SignalFd::take()
{
    Pending pending = take_pending();
    return pending.interrupt || pending.terminate;
}

SignalFd::Pending SignalFd::take_pending()
{
    Pending pending;
    signalfd_siginfo info;
    while (read(fd_, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
        if (info.ssi_signo == SIGTERM)
            pending.terminate = true;
        else
            pending.interrupt = true;
    }
    return pending;
}

Result<std::unique_ptr<InterruptForwarder>>
InterruptForwarder::start(SignalFd& signals, std::function<void()> on_interrupt)
{
    int stop_fd = eventfd(0, EFD_CLOEXEC);
    if (stop_fd < 0)
        return Error{ErrorKind::request, std::string("eventfd: ") + std::strerror(errno), errno};
    return std::unique_ptr<InterruptForwarder>(
        new InterruptForwarder(signals, std::move(on_interrupt), stop_fd));
}

InterruptForwarder::InterruptForwarder(SignalFd& signals, std::function<void()> on_interrupt,
                                       int stop_fd)
    : signals_(signals), on_interrupt_(std::move(on_interrupt)), stop_fd_(stop_fd),
      thread_([this] { run(); })
{
}

InterruptForwarder::~InterruptForwarder()
{
    uint64_t one = 1;
    (void)!write(stop_fd_, &one, sizeof(one));
    thread_.join();
    close(stop_fd_);
}

WatchStop::WatchStop(Interrupter& interrupts)
    : interrupts_(interrupts), epoll_(epoll_create1(EPOLL_CLOEXEC)),
      ended_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
    for (int fd : {interrupts_.fd(), ended_}) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        (void)epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
    }
}

WatchStop::~WatchStop()
{
    close(epoll_);
    close(ended_);
}

bool WatchStop::take()
{
    uint64_t n = 0;
    bool ended = read(ended_, &n, sizeof(n)) == static_cast<ssize_t>(sizeof(n));
    bool interrupted = interrupts_.take();
    return ended || interrupted;
}

void WatchStop::end()
{
    uint64_t one = 1;
    (void)!write(ended_, &one, sizeof(one)); // fails only if already raised
}

void die_of_sigint()
{
    std::fflush(stdout); // the interactive shell holds output for a pipe
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigaction(SIGINT, &action, nullptr);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    raise(SIGINT);
}

Wake wait_for_signals(int signals_fd, int stop_fd, int timeout_ms)
{
    for (;;) {
        pollfd fds[2] = {{signals_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
        int n = poll(fds, 2, timeout_ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Wake::stop;
        }
        if (n == 0)
            return Wake::timeout;
        return fds[1].revents ? Wake::stop : Wake::signals;
    }
}

void InterruptForwarder::run()
{
    for (;;) {
        switch (wait_for_signals(signals_.fd(), stop_fd_,
                                 interrupted_ ? interrupt_resend_ms : -1)) {
        case Wake::stop:
            return;
        case Wake::timeout:
            on_interrupt_(); // the chunk still runs: the first may have been lost
            break;
        case Wake::signals:
            if (!signals_.take())
                break;
            if (interrupted_.exchange(true))
                die_of_sigint();
            else
                on_interrupt_();
            break;
        }
    }
}

} // namespace klua::cli
