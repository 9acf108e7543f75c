#include "pkg/machinery/yaml_resolve.h"

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "pkg/machinery/go_strconv.h"

namespace kapi::machinery::goyaml {
namespace {

using gofmt::NumError;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool one_of(std::string_view s, std::initializer_list<std::string_view> list) {
  for (auto l : list)
    if (s == l) return true;
  return false;
}
bool is_true(std::string_view s) {
  return one_of(s, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"});
}
bool is_false(std::string_view s) {
  return one_of(s, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"});
}
bool is_null(std::string_view s) { return one_of(s, {"", "~", "null", "Null", "NULL"}); }
bool is_nan(std::string_view s) { return one_of(s, {".nan", ".NaN", ".NAN"}); }
bool is_pos_inf(std::string_view s) {
  return one_of(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"});
}
bool is_neg_inf(std::string_view s) { return one_of(s, {"-.inf", "-.Inf", "-.INF"}); }

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t d = i;
  if (i < s.size() && s[i] == '.') {
    d = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == d) return false;
  } else {
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == d) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    d = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == d) return false;
  }
  return i == s.size();
}

// time.Parse's getnum(s, false): one or two digits.
bool getnum(std::string_view s, size_t& i, int& out) {
  if (i >= s.size() || !is_digit(s[i])) return false;
  out = s[i++] - '0';
  if (i < s.size() && is_digit(s[i])) out = out * 10 + (s[i++] - '0');
  return true;
}

bool literal(std::string_view s, size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

int days_in(int month, int year) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

// resolve.go parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (also with 't'),
// "2006-1-2 15:4:5.999999999" or "2006-1-2".
bool is_timestamp(std::string_view s) {
  if (s.size() < 5) return false;
  for (size_t k = 0; k < 4; ++k)
    if (!is_digit(s[k])) return false;
  if (s[4] != '-') return false;
  int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  size_t i = 5;
  int month, day;
  if (!getnum(s, i, month) || month < 1 || month > 12) return false;
  if (!literal(s, i, '-') || !getnum(s, i, day)) return false;
  if (day < 1 || day > days_in(month, year)) return false;
  if (i == s.size()) return true;  // "2006-1-2"
  char sep = s[i++];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  int hour, minute, second;
  if (!getnum(s, i, hour) || hour > 23 || !literal(s, i, ':')) return false;
  if (!getnum(s, i, minute) || minute > 59 || !literal(s, i, ':')) return false;
  if (!getnum(s, i, second) || second > 59) return false;
  // .999999999: a '.' or ',' and any number of digits, or nothing.
  if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1])) {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (sep == ' ') return i == s.size();
  // Z07:00: "Z", or a sign and hh:mm with hh <= 24, mm <= 60.
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  if (s.size() - i != 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':') return false;
  if (!is_digit(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 4]) || !is_digit(s[i + 5]))
    return false;
  int zh = (s[i + 1] - '0') * 10 + (s[i + 2] - '0'), zm = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
  return zh <= 24 && zm <= 60;
}

std::string without_underscores(std::string_view s) {
  std::string plain;
  for (char c : s)
    if (c != '_') plain += c;
  return plain;
}

// The 'D'/'S' hint of resolve(): ParseInt, ParseUint, a YAML-style float, then the "0b" forms
// ParseInt(plain[2:], 2) accepts with a sign ("0b-1"). Fills the value it would return.
PlainKind resolve_number(std::string_view s, nlohmann::ordered_json* value) {
  std::string plain = without_underscores(s);
  int64_t i;
  if (gofmt::parse_int(plain, 0, i) == NumError::kNone) {
    if (value) *value = i;
    return PlainKind::kInt;
  }
  uint64_t u;
  if (gofmt::parse_uint(plain, 0, u) == NumError::kNone) {
    if (value) *value = u;
    return PlainKind::kInt;
  }
  if (yaml_style_float(plain) && gofmt::parses_as_decimal_float(plain)) {
    if (value) *value = std::strtod(plain.c_str(), nullptr);
    return PlainKind::kFloat;
  }
  if (plain.rfind("0b", 0) == 0) {
    std::string_view digits = std::string_view(plain).substr(2);
    if (gofmt::parse_int(digits, 2, i) == NumError::kNone) {
      if (value) *value = i;
      return PlainKind::kInt;
    }
    if (gofmt::parse_uint(digits, 2, u) == NumError::kNone) {
      if (value) *value = u;
      return PlainKind::kInt;
    }
  } else if (plain.rfind("-0b", 0) == 0) {
    if (gofmt::parse_int("-" + plain.substr(3), 2, i) == NumError::kNone) {
      if (value) *value = i;
      return PlainKind::kInt;
    }
  }
  return PlainKind::kString;
}

PlainKind resolve(std::string_view s, nlohmann::ordered_json* value) {
  if (is_null(s)) return PlainKind::kNull;
  char hint = s[0];
  bool digit_or_sign = is_digit(hint) || hint == '+' || hint == '-';
  if (!digit_or_sign && hint != '.' && std::string_view("yYnNtTfFoO~").find(hint) == std::string_view::npos)
    return PlainKind::kString;
  if (is_true(s) || is_false(s)) {
    if (value) *value = is_true(s);
    return PlainKind::kBool;
  }
  if (is_nan(s) || is_pos_inf(s) || is_neg_inf(s)) {
    if (value)
      *value = is_nan(s) ? std::numeric_limits<double>::quiet_NaN()
                         : is_pos_inf(s) ? std::numeric_limits<double>::infinity()
                                         : -std::numeric_limits<double>::infinity();
    return PlainKind::kFloat;
  }
  if (hint == '.') {
    if (!gofmt::parses_as_decimal_float(s)) return PlainKind::kString;
    if (value) *value = std::strtod(without_underscores(s).c_str(), nullptr);
    return PlainKind::kFloat;
  }
  if (!digit_or_sign) return PlainKind::kString;
  if (is_timestamp(s)) return PlainKind::kTimestamp;
  return resolve_number(s, value);
}

}  // namespace

PlainKind resolve_plain(std::string_view s) { return resolve(s, nullptr); }

std::optional<bool> plain_bool(std::string_view s) {
  if (is_true(s)) return true;
  if (is_false(s)) return false;
  return std::nullopt;
}

nlohmann::ordered_json plain_value(std::string_view s) {
  nlohmann::ordered_json value;
  switch (resolve(s, &value)) {
    case PlainKind::kNull: return nullptr;
    case PlainKind::kString:
    case PlainKind::kTimestamp: return std::string(s);
    default: return value;
  }
}

bool is_base60_float(std::string_view s) {
  // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= s.size() || !is_digit(s[i])) return false;
  ++i;
  while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    if (i + 1 < s.size() && s[i] >= '0' && s[i] <= '5' && is_digit(s[i + 1])) {
      i += 2;
    } else if (i < s.size() && is_digit(s[i])) {
      i += 1;
    } else {
      return false;
    }
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  }
  return i == s.size();
}

}  // namespace kapi::machinery::goyaml
