// SPDX-License-Identifier: GPL-2.0-only
// Result<T>: a value or an Error, for failures that users or the kernel can cause.
// Exceptions are kept for bugs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace klua {

// What failed. The names double as the "kind" of the JSON error lines the shell
// generates itself (kernel error lines carry their own kinds).
enum class ErrorKind {
    usage,       // bad command line: exit 2
    request,     // the kernel (or a local check in its place) refused a request
    syntax,      // a chunk failed the local syntax check
    protocol,    // the kernel sent something that breaks the protocol
    file,        // a script could not be read
    interrupted, // the user gave up waiting
};

std::string_view to_string(ErrorKind kind);

struct Error {
    ErrorKind kind;
    std::string message;
    int err = 0; // errno, when the error came from the kernel or a system call
};

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}

    bool ok() const { return !error_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *error_; }

  private:
    std::optional<Error> error_;
};

} // namespace klua
