#include "pkg/machinery/base64.h"

#include <cstdint>

namespace kapi::machinery {
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

bool is_newline(char c) { return c == '\r' || c == '\n'; }

}  // namespace

std::string base64_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (size_t i = 0; i < data.size(); i += 3) {
    size_t n = data.size() - i < 3 ? data.size() - i : 3;
    uint32_t v = uint32_t(uint8_t(data[i])) << 16;
    if (n > 1) v |= uint32_t(uint8_t(data[i + 1])) << 8;
    if (n > 2) v |= uint8_t(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += n > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out += n > 2 ? kAlphabet[v & 63] : '=';
  }
  return out;
}

// A port of Go's Encoding.Decode/decodeQuantum, error offsets included.
std::optional<std::string> base64_decode(std::string_view src, size_t* corrupt_at) {
  auto corrupt = [&](size_t at) -> std::optional<std::string> {
    if (corrupt_at) *corrupt_at = at;
    return std::nullopt;
  };
  std::string out;
  out.reserve(src.size() / 4 * 3);
  size_t si = 0;
  while (si < src.size()) {
    uint32_t dbuf[4] = {0, 0, 0, 0};
    int dlen = 4;
    for (int j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        return corrupt(si - j);
      }
      char in = src[si++];
      int v = value_of(in);
      if (v >= 0) {
        dbuf[j] = static_cast<uint32_t>(v);
        continue;
      }
      if (is_newline(in)) {
        --j;
        continue;
      }
      if (in != '=' || j < 2) return corrupt(si - 1);
      if (j == 2) {  // "==" is expected, the first '=' is consumed
        while (si < src.size() && is_newline(src[si])) ++si;
        if (si == src.size()) return corrupt(src.size());
        if (src[si] != '=') return corrupt(si - 1);
        ++si;
      }
      while (si < src.size() && is_newline(src[si])) ++si;
      if (si < src.size()) return corrupt(si);  // trailing garbage
      dlen = j;
      break;
    }
    uint32_t val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
    out += static_cast<char>((val >> 16) & 0xff);
    if (dlen > 2) out += static_cast<char>((val >> 8) & 0xff);
    if (dlen > 3) out += static_cast<char>(val & 0xff);
  }
  return out;
}

std::string base64_corrupt_input_error(size_t at) {
  return "illegal base64 data at input byte " + std::to_string(at);
}

}  // namespace kapi::machinery
