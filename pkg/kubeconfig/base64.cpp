#include "pkg/kubeconfig/base64.h"

#include <cstdint>

namespace kapi::kubeconfig {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

tls::Error corrupt(size_t at) {
  return tls::make_error("illegal base64 data at input byte " + std::to_string(at),
                         tls::ErrorCode::kInvalidArgument);
}

}  // namespace

std::string base64_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t v = uint8_t(data[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

tls::Result<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t acc = 0;
  int n = 0;            // sextets in the current quantum
  size_t quantum_start = 0;
  size_t pad = 0;       // '=' seen
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') continue;
    if (pad > 0) {
      // Only more padding may follow padding, and only to complete the quantum.
      if (c != '=' || n + static_cast<int>(pad) >= 4) return corrupt(i);
      ++pad;
      continue;
    }
    if (c == '=') {
      if (n < 2) return corrupt(i);
      pad = 1;
      continue;
    }
    int v = value_of(c);
    if (v < 0) return corrupt(i);
    if (n == 0) quantum_start = i;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    if (++n == 4) {
      out += static_cast<char>((acc >> 16) & 0xff);
      out += static_cast<char>((acc >> 8) & 0xff);
      out += static_cast<char>(acc & 0xff);
      acc = 0;
      n = 0;
    }
  }
  if (pad > 0) {
    if (n + static_cast<int>(pad) != 4) return corrupt(text.size());
    if (n == 2) {
      out += static_cast<char>((acc >> 4) & 0xff);
    } else {  // n == 3
      out += static_cast<char>((acc >> 10) & 0xff);
      out += static_cast<char>((acc >> 2) & 0xff);
    }
  } else if (n != 0) {
    return corrupt(quantum_start);
  }
  return out;
}

}  // namespace kapi::kubeconfig
