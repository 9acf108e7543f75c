#pragma once
// Value-or-error for pkg/tls and pkg/kubeconfig. Nothing in these packages throws across its API:
// every fallible function returns Result<T> (or Result<void>).
#include <string>
#include <utility>
#include <variant>

namespace kapi::tls {

enum class ErrorCode {
  kGeneric,
  kNotFound,             // a file that was asked for does not exist
  kInvalidArgument,      // malformed input (PEM, CIDR, IP, spec)
  kVerifyFailed,         // a certificate did not verify (chain, purpose, time)
  kNoPeerCertificate,    // verify_peer: the client presented no certificate
  kIo,                   // filesystem error
};

struct Error {
  ErrorCode code = ErrorCode::kGeneric;
  std::string message;
};

inline Error make_error(std::string message, ErrorCode code = ErrorCode::kGeneric) {
  return Error{code, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::in_place_index<0>, std::move(v)) {}
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return err_; }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace kapi::tls
