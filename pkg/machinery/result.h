#pragma once

#include <optional>
#include <string>
#include <utility>

namespace kapi::machinery {

// Value-or-error return type; errors carry upstream's exact message text so callers can
// surface them verbatim. `code` lets a few callers distinguish error kinds (e.g. conflicts).
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  static Result failure(std::string message, int code = 0) {
    Result r;
    r.error_ = std::move(message);
    r.code_ = code;
    return r;
  }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return *error_; }
  int code() const { return code_; }

  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Result() = default;
  std::optional<T> value_;
  std::optional<std::string> error_;
  int code_ = 0;
};

}  // namespace kapi::machinery
