#include "pkg/machinery/go_strconv.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace kapi::machinery::gofmt {
namespace {

char lower(char c) { return static_cast<char>(c | 0x20); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// strconv's underscoreOK: '_' only between digits, or between a base prefix and a digit.
bool underscore_ok(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    if (is_digit(s[i]) || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
      saw = '0';
      continue;
    }
    if (s[i] == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

}  // namespace

NumError parse_uint(std::string_view s, int base, uint64_t& out) {
  if (s.empty()) return NumError::kSyntax;
  const bool base0 = base == 0;
  const std::string_view s0 = s;
  if (base0) {
    base = 10;
    if (s[0] == '0') {
      if (s.size() >= 3 && lower(s[1]) == 'b') base = 2, s.remove_prefix(2);
      else if (s.size() >= 3 && lower(s[1]) == 'o') base = 8, s.remove_prefix(2);
      else if (s.size() >= 3 && lower(s[1]) == 'x') base = 16, s.remove_prefix(2);
      else base = 8, s.remove_prefix(1);
    }
  }
  uint64_t n = 0;
  bool underscores = false;
  for (char c : s) {
    int d;
    if (c == '_' && base0) {
      underscores = true;
      continue;
    } else if (is_digit(c)) {
      d = c - '0';
    } else if (lower(c) >= 'a' && lower(c) <= 'z') {
      d = lower(c) - 'a' + 10;
    } else {
      return NumError::kSyntax;
    }
    if (d >= base) return NumError::kSyntax;
    if (n > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return NumError::kRange;
    n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  if (underscores && !underscore_ok(s0)) return NumError::kSyntax;
  out = n;
  return NumError::kNone;
}

NumError parse_int(std::string_view s, int base, int64_t& out) {
  if (s.empty()) return NumError::kSyntax;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t un = 0;
  NumError err = parse_uint(s, base, un);
  if (err == NumError::kSyntax) return err;
  const uint64_t cutoff = uint64_t{1} << 63;
  if (err == NumError::kRange || (!neg && un >= cutoff) || (neg && un > cutoff)) return NumError::kRange;
  out = neg ? static_cast<int64_t>(0 - un) : static_cast<int64_t>(un);
  return NumError::kNone;
}

std::optional<int64_t> parse_int64(std::string_view s) {
  int64_t v;
  if (parse_int(s, 10, v) != NumError::kNone) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") return false;
  return std::nullopt;
}

bool parses_as_decimal_float(std::string_view s) {
  // strconv.readFloat for base 10.
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool sawdot = false, sawdigits = false, underscores = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
    } else if (c == '.') {
      if (sawdot) break;
      sawdot = true;
    } else if (is_digit(c)) {
      sawdigits = true;
    } else {
      break;
    }
  }
  if (!sawdigits) return false;
  if (i < s.size() && lower(s[i]) == 'e') {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    for (; i < s.size() && (is_digit(s[i]) || s[i] == '_'); ++i)
      if (s[i] == '_') underscores = true;
  }
  if (i != s.size()) return false;
  if (underscores && !underscore_ok(s)) return false;
  // ParseFloat fails with ErrRange on overflow only (underflow rounds to zero).
  std::string plain;
  for (char c : s)
    if (c != '_') plain += c;
  errno = 0;
  double v = std::strtod(plain.c_str(), nullptr);
  return !(errno == ERANGE && std::isinf(v));
}

}  // namespace kapi::machinery::gofmt
