#include "pkg/machinery/duration.h"

#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <optional>
#include <vector>

namespace kapi::machinery {

namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;

std::string fmt(const char* f, int64_t a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, static_cast<long long>(a));
  return buf;
}
std::string fmt(const char* f, int64_t a, int64_t b) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, static_cast<long long>(a), static_cast<long long>(b));
  return buf;
}

// Howard Hinnant's civil-calendar conversions (proleptic Gregorian, UTC).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string format_time(TimePoint t, int frac_digits) {
  int64_t ns = t.time_since_epoch().count();
  int64_t secs = floor_div(ns, kSecond);
  int64_t sub = ns - secs * kSecond;
  int64_t days = floor_div(secs, 86400);
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(y), m, d,
                static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60));
  std::string out = buf;
  if (frac_digits > 0) {
    std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(sub));
    out += std::string(buf).substr(0, 1 + frac_digits);
  }
  return out + "Z";
}

bool is_digit(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

bool days_in_month_ok(int64_t y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d >= 1 && d <= max;
}

std::string go_time_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Emulates time.Parse's element-by-element walk so errors read like Go's ParseError.
Result<TimePoint> parse_layout(std::string_view value, bool micro) {
  const std::string layout = micro ? "2006-01-02T15:04:05.000000Z07:00" : "2006-01-02T15:04:05Z07:00";
  std::string_view v = value;
  auto bad = [&](std::string_view rest, std::string_view elem) {
    return Result<TimePoint>::failure("parsing time " + go_time_quote(value) + " as " + go_time_quote(layout) +
                                      ": cannot parse " + go_time_quote(rest) + " as " + go_time_quote(elem));
  };
  auto range = [&](std::string_view what) {
    return Result<TimePoint>::failure("parsing time " + go_time_quote(value) + ": " + std::string(what) +
                                      " out of range");
  };
  // getnum: one or two digits; `fixed` requires two.
  auto getnum = [&](bool fixed) -> std::optional<int> {
    if (!is_digit(v, 0)) return std::nullopt;
    if (!is_digit(v, 1)) {
      if (fixed) return std::nullopt;
      int n = v[0] - '0';
      v.remove_prefix(1);
      return n;
    }
    int n = (v[0] - '0') * 10 + (v[1] - '0');
    v.remove_prefix(2);
    return n;
  };
  auto literal = [&](std::string_view lit) -> bool {
    if (v.substr(0, lit.size()) != lit) return false;
    v.remove_prefix(lit.size());
    return true;
  };

  if (v.size() < 4 || !is_digit(v, 0) || !is_digit(v, 1) || !is_digit(v, 2) || !is_digit(v, 3)) return bad(v, "2006");
  int64_t year = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
  v.remove_prefix(4);
  if (!literal("-")) return bad(v, "-");
  std::string_view at = v;
  auto month = getnum(true);
  if (!month) return bad(at, "01");
  if (*month <= 0 || *month > 12) return range("month");
  if (!literal("-")) return bad(v, "-");
  at = v;
  auto day = getnum(true);
  if (!day) return bad(at, "02");
  if (*day > 31) return range("day");
  if (!literal("T")) return bad(v, "T");
  at = v;
  auto hour = getnum(false);
  if (!hour) return bad(at, "15");
  if (*hour >= 24) return range("hour");
  if (!literal(":")) return bad(v, ":");
  at = v;
  auto minute = getnum(true);
  if (!minute) return bad(at, "04");
  if (*minute >= 60) return range("minute");
  if (!literal(":")) return bad(v, ":");
  at = v;
  auto second = getnum(true);
  if (!second) return bad(at, "05");
  if (*second >= 60) return range("second");

  int64_t nsec = 0;
  auto parse_frac = [&](size_t n) -> bool {  // v[0] is '.' or ','; digits in [1, n)
    if (v[0] != '.' && v[0] != ',') return false;
    size_t take = std::min<size_t>(n, 10);
    int64_t acc = 0;
    size_t i = 1;
    for (; i < take; ++i) {
      if (!is_digit(v, i)) return false;
      acc = acc * 10 + (v[i] - '0');
    }
    for (; i < 10; ++i) acc *= 10;
    nsec = acc;
    v.remove_prefix(n);
    return true;
  };
  if (micro) {
    at = v;
    if (v.size() < 7 || !parse_frac(7)) return bad(at, ".000000");
  } else if (v.size() >= 2 && (v[0] == '.' || v[0] == ',') && is_digit(v, 1)) {
    size_t n = 2;
    while (is_digit(v, n)) ++n;
    parse_frac(n);
  }

  int64_t offset = 0;
  at = v;
  if (!v.empty() && v[0] == 'Z') {
    v.remove_prefix(1);
  } else {
    if (v.size() < 6 || v[3] != ':') return bad(at, "Z07:00");
    char sign = v[0];
    std::string_view hh = v.substr(1, 2), mm = v.substr(4, 2);
    if (!is_digit(hh, 0) || !is_digit(hh, 1) || !is_digit(mm, 0) || !is_digit(mm, 1)) return bad(at, "Z07:00");
    int oh = (hh[0] - '0') * 10 + (hh[1] - '0');
    int om = (mm[0] - '0') * 10 + (mm[1] - '0');
    if (sign != '+' && sign != '-') return bad(at, "Z07:00");
    if (oh > 24) return range("time zone offset hour");
    if (om > 60) return range("time zone offset minute");
    offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
    v.remove_prefix(6);
  }
  if (!v.empty()) {
    return Result<TimePoint>::failure("parsing time " + go_time_quote(value) + ": extra text: " + go_time_quote(v));
  }
  if (!days_in_month_ok(year, *month, *day)) return range("day");

  int64_t secs = days_from_civil(year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 +
                 *hour * 3600 + *minute * 60 + *second - offset;
  return TimePoint(std::chrono::nanoseconds(secs * kSecond + nsec));
}

}  // namespace

std::string short_human_duration(std::chrono::nanoseconds d) {
  int64_t ns = d.count();
  int64_t seconds = ns / kSecond;  // truncation toward zero, as Go's int(d.Seconds())
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return fmt("%llds", seconds);
  int64_t minutes = ns / kMinute;
  if (minutes < 60) return fmt("%lldm", minutes);
  int64_t hours = ns / kHour;
  if (hours < 24) return fmt("%lldh", hours);
  if (hours < 24 * 365) return fmt("%lldd", hours / 24);
  return fmt("%lldy", hours / 24 / 365);
}

std::string human_duration(std::chrono::nanoseconds d) {
  int64_t ns = d.count();
  int64_t seconds = ns / kSecond;
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return fmt("%llds", seconds);
  int64_t minutes = ns / kMinute;
  if (minutes < 10) {
    int64_t s = seconds % 60;
    return s == 0 ? fmt("%lldm", minutes) : fmt("%lldm%llds", minutes, s);
  }
  if (minutes < 60 * 3) return fmt("%lldm", minutes);
  int64_t hours = ns / kHour;
  if (hours < 8) {
    int64_t m = minutes % 60;
    return m == 0 ? fmt("%lldh", hours) : fmt("%lldh%lldm", hours, m);
  }
  if (hours < 48) return fmt("%lldh", hours);
  if (hours < 24 * 8) {
    int64_t h = hours % 24;
    return h == 0 ? fmt("%lldd", hours / 24) : fmt("%lldd%lldh", hours / 24, h);
  }
  if (hours < 24 * 365 * 2) return fmt("%lldd", hours / 24);
  if (hours < 24 * 365 * 8) {
    int64_t dy = hours / 24 % 365;
    return dy == 0 ? fmt("%lldy", hours / 24 / 365) : fmt("%lldy%lldd", hours / 24 / 365, dy);
  }
  return fmt("%lldy", hours / 24 / 365);
}

std::string format_rfc3339(TimePoint t) { return format_time(t, 0); }
std::string format_rfc3339_micro(TimePoint t) { return format_time(t, 6); }
Result<TimePoint> parse_rfc3339(std::string_view s) { return parse_layout(s, false); }
Result<TimePoint> parse_rfc3339_micro(std::string_view s) { return parse_layout(s, true); }

Result<std::chrono::nanoseconds> parse_go_duration(std::string_view s) {
  const std::string quoted = "\"" + std::string(s) + "\"";
  using R = Result<std::chrono::nanoseconds>;
  auto invalid = [&] { return R::failure("time: invalid duration " + quoted); };
  size_t i = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    i = 1;
  }
  if (s.substr(i) == "0") return std::chrono::nanoseconds(0);
  if (i >= s.size()) return invalid();
  long double total = 0;
  auto is_num = [](char c) { return (c >= '0' && c <= '9') || c == '.'; };
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && is_num(s[i])) ++i;
    std::string num(s.substr(start, i - start));
    if (num.empty() || num == "." || num.find('.') != num.rfind('.')) return invalid();
    size_t ustart = i;
    while (i < s.size() && !is_num(s[i])) ++i;
    std::string_view unit = s.substr(ustart, i - ustart);
    if (unit.empty()) return R::failure("time: missing unit in duration " + quoted);
    long double mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") mult = 1e3;
    else if (unit == "ms") mult = 1e6;
    else if (unit == "s") mult = 1e9;
    else if (unit == "m") mult = 60e9;
    else if (unit == "h") mult = 3600e9;
    else return R::failure("time: unknown unit \"" + std::string(unit) + "\" in duration " + quoted);
    total += std::strtold(num.c_str(), nullptr) * mult;
  }
  if (total > 9.223372036854775807e18L) return invalid();
  auto ns = std::chrono::nanoseconds(static_cast<int64_t>(total));
  return neg ? -ns : ns;
}

}  // namespace kapi::machinery
