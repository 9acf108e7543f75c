#include "client/printers/go_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// Shortest round-trip digits and decimal exponent of |f| (f != 0): f = 0.d1d2... * 10^dp.
void shortest_digits(double f, std::string& digits, int& dp) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::scientific);
  std::string s(buf, res.ptr);  // "d.ddde+XX"
  size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  int exp10 = std::stoi(s.substr(e + 1));
  digits.clear();
  for (char c : mant)
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  dp = exp10 + 1;
}

std::string format_e(bool neg, const std::string& digits, int dp) {
  std::string out = neg ? "-" : "";
  out += digits[0];
  if (digits.size() > 1) out += "." + digits.substr(1);
  int exp = dp - 1;
  out += exp < 0 ? "e-" : "e+";
  int a = std::abs(exp);
  if (a < 10) out += "0";
  out += std::to_string(a);
  return out;
}

std::string format_f(bool neg, const std::string& digits, int dp) {
  std::string out = neg ? "-" : "";
  if (dp <= 0) {
    out += "0." + std::string(-dp, '0') + digits;
  } else if (static_cast<size_t>(dp) >= digits.size()) {
    out += digits + std::string(dp - digits.size(), '0');
  } else {
    out += digits.substr(0, dp) + "." + digits.substr(dp);
  }
  return out;
}

void append_quoted(std::string& out, const std::string& s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '<': case '>': case '&':
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // Validate one UTF-8 sequence; invalid bytes become U+FFFD as in Go.
    int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    uint32_t cp = 0;
    if (ok) {
      cp = c & (0x7F >> len);
      for (int k = 1; k < len; ++k) {
        unsigned char cc = s[i + k];
        if ((cc & 0xC0) != 0x80) { ok = false; break; }
        cp = (cp << 6) | (cc & 0x3F);
      }
    }
    if (ok) {
      static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
    }
    if (!ok) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s, i, len);
    }
    i += len;
  }
  out += '"';
}

void write(std::string& out, const Json& v, const std::string& indent, int depth) {
  auto newline = [&](int d) {
    if (indent.empty()) return;
    out += '\n';
    for (int k = 0; k < d; ++k) out += indent;
  };
  switch (v.type()) {
    case Json::value_t::null: out += "null"; break;
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case Json::value_t::number_integer: out += std::to_string(v.get<int64_t>()); break;
    case Json::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); break;
    case Json::value_t::number_float: out += go_json_float(v.get<double>()); break;
    case Json::value_t::string: append_quoted(out, v.get_ref<const std::string&>()); break;
    case Json::value_t::array: {
      if (v.empty()) { out += "[]"; break; }
      out += '[';
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        write(out, e, indent, depth + 1);
      }
      newline(depth);
      out += ']';
      break;
    }
    case Json::value_t::object: {
      if (v.empty()) { out += "{}"; break; }
      std::vector<std::pair<const std::string*, const Json*>> items;
      items.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) items.emplace_back(&it.key(), &it.value());
      std::sort(items.begin(), items.end(),
                [](const auto& a, const auto& b) { return *a.first < *b.first; });
      out += '{';
      bool first = true;
      for (const auto& [k, val] : items) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        append_quoted(out, *k);
        out += indent.empty() ? ":" : ": ";
        write(out, *val, indent, depth + 1);
      }
      newline(depth);
      out += '}';
      break;
    }
    default: out += "null"; break;
  }
}

}  // namespace

std::string go_json_float(double f) {
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::string digits;
  int dp;
  shortest_digits(f, digits, dp);
  double a = std::fabs(f);
  if (a < 1e-6 || a >= 1e21) {
    std::string s = format_e(f < 0, digits, dp);
    // encoding/json cleans up e-09 to e-9.
    size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
    return s;
  }
  return format_f(f < 0, digits, dp);
}

std::string go_format_float_g(double f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::string digits;
  int dp;
  shortest_digits(f, digits, dp);
  int exp = dp - 1;
  if (exp < -4 || exp >= 6) return format_e(f < 0, digits, dp);
  return format_f(f < 0, digits, dp);
}

std::string go_json_quote(const std::string& s) {
  std::string out;
  append_quoted(out, s);
  return out;
}

std::string to_go_json(const Json& value, const std::string& indent) {
  std::string out;
  write(out, value, indent, 0);
  return out;
}

}  // namespace kapi::client
