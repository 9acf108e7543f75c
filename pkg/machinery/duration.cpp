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
  // The time package's quote: every byte of a non-ASCII or control character as \xNN.
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c >= 0x80 || c < ' ') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += static_cast<char>(c);
    }
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

// A port of time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, in uint64 nanoseconds with
// Go's overflow checks, so the accepted set and each error text are Go's.
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view orig) {
  using R = Result<std::chrono::nanoseconds>;
  auto invalid = [&] { return R::failure("time: invalid duration " + go_time_quote(orig)); };
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return invalid();
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  constexpr uint64_t kMax = uint64_t{1} << 63;
  uint64_t d = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || digit(s[0]))) return invalid();
    // leadingInt: overflow past 1<<63 is an invalid duration.
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && digit(s[i]); ++i) {
      if (v > kMax / 10) return invalid();
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kMax) return invalid();
    }
    bool pre = i > 0;
    s.remove_prefix(i);
    // leadingFraction: digits past what fits are dropped, not an error.
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && digit(s[j]); ++j) {
        if (overflow) continue;
        if (f > (kMax - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t y = f * 10 + static_cast<uint64_t>(s[j] - '0');
        if (y > kMax) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return invalid();
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !digit(s[u])) ++u;
    if (u == 0) return R::failure("time: missing unit in duration " + go_time_quote(orig));
    std::string_view unit_name = s.substr(0, u);
    s.remove_prefix(u);
    uint64_t unit;
    if (unit_name == "ns") unit = 1;
    else if (unit_name == "us" || unit_name == "\u00b5s" || unit_name == "\u03bcs") unit = 1000;
    else if (unit_name == "ms") unit = 1000000;
    else if (unit_name == "s") unit = 1000000000;
    else if (unit_name == "m") unit = 60000000000ULL;
    else if (unit_name == "h") unit = 3600000000000ULL;
    else return R::failure("time: unknown unit " + go_time_quote(unit_name) + " in duration " + go_time_quote(orig));
    if (v > kMax / unit) return invalid();
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMax) return invalid();
    }
    d += v;
    if (d > kMax) return invalid();
  }
  if (neg) return std::chrono::nanoseconds(static_cast<int64_t>(0 - d));
  if (d > kMax - 1) return invalid();
  return std::chrono::nanoseconds(static_cast<int64_t>(d));
}

}  // namespace kapi::machinery
