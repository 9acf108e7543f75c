#include "pkg/machinery/go_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

namespace kapi::machinery::gofmt {

namespace {

// Shortest round-trip digits of |f| (f != 0, finite) and the decimal point position:
// |f| = 0.d1d2... * 10^dp.
void shortest_digits(double f, std::string& digits, int& dp) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::scientific);
  std::string s(buf, res.ptr);  // "d.ddde+XX"
  size_t e = s.find('e');
  digits.clear();
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  dp = std::stoi(s.substr(e + 1)) + 1;
}

// strconv's %e form with the shortest digits: d.ddde±XX.
std::string format_e(bool neg, const std::string& digits, int dp) {
  std::string out = neg ? "-" : "";
  out += digits[0];
  if (digits.size() > 1) out += "." + digits.substr(1);
  int exp = dp - 1;
  out += exp < 0 ? "e-" : "e+";
  int a = exp < 0 ? -exp : exp;
  if (a < 10) out += "0";
  return out + std::to_string(a);
}

// strconv's %f form with the shortest digits.
std::string format_f(bool neg, const std::string& digits, int dp) {
  std::string out = neg ? "-" : "";
  if (dp <= 0) return out + "0." + std::string(static_cast<size_t>(-dp), '0') + digits;
  if (static_cast<size_t>(dp) >= digits.size()) return out + digits + std::string(dp - digits.size(), '0');
  return out + digits.substr(0, dp) + "." + digits.substr(dp);
}

}  // namespace

size_t utf8_len(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i + k < s.size() && at(k) >= lo && at(k) <= hi;
  };
  unsigned char c = at(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_len(s, i);
      if (n == 0) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_len(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string format_float_v(double f) {
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

std::string format_float_json(double f) {
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::string digits;
  int dp;
  shortest_digits(f, digits, dp);
  double a = std::fabs(f);
  if (a < 1e-6 || a >= 1e21) {
    std::string s = format_e(f < 0, digits, dp);
    size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
    return s;
  }
  return format_f(f < 0, digits, dp);
}

std::string sprint_v(const nlohmann::ordered_json& v) {
  switch (v.type()) {
    case nlohmann::ordered_json::value_t::null: return "<nil>";
    case nlohmann::ordered_json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case nlohmann::ordered_json::value_t::string: return v.get<std::string>();
    case nlohmann::ordered_json::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case nlohmann::ordered_json::value_t::number_float: return format_float_v(v.get<double>());
    case nlohmann::ordered_json::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ' ';
        first = false;
        out += sprint_v(e);
      }
      return out + "]";
    }
    case nlohmann::ordered_json::value_t::object: {
      // Go prints maps with sorted keys.
      std::vector<std::string> keys;
      for (const auto& [k, _] : v.items()) keys.push_back(k);
      std::sort(keys.begin(), keys.end());
      std::string out = "map[";
      bool first = true;
      for (const auto& k : keys) {
        if (!first) out += ' ';
        first = false;
        out += k + ":" + sprint_v(v.at(k));
      }
      return out + "]";
    }
    default: return "";
  }
}

std::string type_name(const nlohmann::ordered_json& v) {
  switch (v.type()) {
    case nlohmann::ordered_json::value_t::null: return "<nil>";
    case nlohmann::ordered_json::value_t::boolean: return "bool";
    case nlohmann::ordered_json::value_t::string: return "string";
    case nlohmann::ordered_json::value_t::number_integer:
    case nlohmann::ordered_json::value_t::number_unsigned: return "int64";
    case nlohmann::ordered_json::value_t::number_float: return "float64";
    case nlohmann::ordered_json::value_t::array: return "[]interface {}";
    case nlohmann::ordered_json::value_t::object: return "map[string]interface {}";
    default: return "<nil>";
  }
}

}  // namespace kapi::machinery::gofmt
