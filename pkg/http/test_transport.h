#pragma once
// Test-only: a Transport over strings. Reads hand out the input `step` bytes at a time (1 makes
// every parser meet every split point); writes are captured.
#include <algorithm>
#include <cstring>
#include <string>

#include "pkg/http/transport.h"

namespace kapi::http::testing {

class StringTransport : public Transport {
 public:
  explicit StringTransport(std::string input, size_t step = 1 << 20) : in_(std::move(input)), step_(step) {}

  size_t read(char* buf, size_t n) override {
    size_t k = std::min({n, step_, in_.size() - pos_});
    std::memcpy(buf, in_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  bool write(std::initializer_list<std::string_view> parts) override {
    if (fail_writes_after_ == 0) return false;
    --fail_writes_after_;
    ++writes_;
    for (auto p : parts) out_.append(p);
    return true;
  }

  bool alive() override { return alive_; }

  const std::string& out() const { return out_; }
  void set_alive(bool a) { alive_ = a; }
  size_t writes() const { return writes_; }
  size_t unread() const { return in_.size() - pos_; }
  void fail_writes_after(size_t n) { fail_writes_after_ = n; }

 private:
  std::string in_, out_;
  size_t pos_ = 0, step_, writes_ = 0;
  size_t fail_writes_after_ = static_cast<size_t>(-1);
  bool alive_ = true;
};

}  // namespace kapi::http::testing
