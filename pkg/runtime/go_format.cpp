#include "pkg/runtime/go_format.h"

#include <cstdio>
#include <ctime>

#include "pkg/machinery/quantity.h"


namespace kapi::runtime {

std::optional<std::string> normalize_rfc3339(const std::string& text, bool micro) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  int Y, M, D, h, m, s;
  if (text.size() < 20 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &Y, &M, &D, &h, &m, &s) != 6 ||
      text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':')
    return std::nullopt;
  size_t i = 19;
  long micros = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int digits = 0;
    while (i < text.size() && isdigit(static_cast<unsigned char>(text[i]))) {
      if (digits < 6) micros = micros * 10 + (text[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (int d = digits; d < 6; ++d) micros *= 10;
  }
  long offset = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i + 6 == text.size() && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':') {
    int oh = std::atoi(text.substr(i + 1, 2).c_str()), om = std::atoi(text.substr(i + 4, 2).c_str());
    offset = (oh * 3600 + om * 60) * (text[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != text.size() || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || s > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = Y - 1900;
  tm.tm_mon = M - 1;
  tm.tm_mday = D;
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_sec = s;
  time_t t = timegm(&tm) - offset;
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[64];
  if (micro)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", out.tm_year + 1900,
                  out.tm_mon + 1, out.tm_mday, out.tm_hour, out.tm_min, out.tm_sec, micros);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", out.tm_year + 1900,
                  out.tm_mon + 1, out.tm_mday, out.tm_hour, out.tm_min, out.tm_sec);
  return std::string(buf);
}

static bool b64char(char c) {
  return isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
}

size_t base64_error_offset(const std::string& s) {
  size_t n = s.size();
  size_t pad_start = n;
  while (pad_start > 0 && s[pad_start - 1] == '=') --pad_start;
  for (size_t i = 0; i < pad_start; ++i)
    if (!b64char(s[i])) return i;
  if (n % 4 != 0 || n - pad_start > 2) return (n / 4) * 4 == n ? pad_start : (n / 4) * 4;
  return n;
}

bool valid_base64(const std::string& s) { return base64_error_offset(s) == s.size(); }

std::optional<std::string> canonical_quantity(const std::string& text, std::string* error) {
  auto q = machinery::Quantity::parse(text);
  if (!q.ok()) {
    *error = q.error();
    return std::nullopt;
  }
  return q->to_string();
}

std::string go_json_syntax_error(const std::string& what, size_t byte) {
  (void)what;
  return "invalid character at offset " + std::to_string(byte);
}

std::string go_escape_html(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < s.size() &&
             static_cast<unsigned char>(s[i + 1]) == 0x80 &&
             (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
              static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else out += c;
  }
  return out;
}

}  // namespace kapi::runtime
