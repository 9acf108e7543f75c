#include "pkg/runtime/go_format.h"

#include "pkg/machinery/base64.h"
#include "pkg/machinery/duration.h"
#include "pkg/machinery/quantity.h"

namespace kapi::runtime {

std::optional<std::string> normalize_rfc3339(const std::string& text, bool micro) {
  auto t = micro ? machinery::parse_rfc3339_micro(text) : machinery::parse_rfc3339(text);
  if (!t.ok()) return std::nullopt;
  return micro ? machinery::format_rfc3339_micro(*t) : machinery::format_rfc3339(*t);
}

size_t base64_error_offset(const std::string& s) {
  size_t at = s.size();
  return machinery::base64_decode(s, &at) ? s.size() : at;
}

bool valid_base64(const std::string& s) { return machinery::base64_decode(s).has_value(); }

std::optional<std::string> canonical_quantity(const std::string& text, std::string* error) {
  auto q = machinery::Quantity::parse(text);
  if (!q.ok()) {
    *error = q.error();
    return std::nullopt;
  }
  return q->to_string();
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
