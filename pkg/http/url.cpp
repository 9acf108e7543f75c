#include "pkg/http/url.h"

#include <functional>
#include <set>

namespace kapi::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// `count` hex digits at s[i...]; -1 if any is missing or not hex.
int hex_at(std::string_view s, size_t i, size_t count) {
  if (i + count > s.size()) return -1;
  int v = 0;
  for (size_t k = 0; k < count; ++k) {
    int d = hex_value(s[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

void append_utf8(std::string& out, int code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0xD800 || (code >= 0xE000 && code < 0x10000)) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }  // surrogates: nothing (httplib's to_utf8 returns 0 bytes)
}

bool space_or_tab(char c) { return c == ' ' || c == '\t'; }

// Calls fn for every piece of s between `sep`s, trimmed of spaces/tabs, skipping empty ones.
void split_trimmed(std::string_view s, char sep, const std::function<void(std::string_view)>& fn) {
  size_t begin = 0;
  while (begin <= s.size()) {
    size_t end = s.find(sep, begin);
    if (end == std::string_view::npos) end = s.size();
    size_t b = begin, e = end;
    while (b < e && space_or_tab(s[b])) ++b;
    while (e > b && space_or_tab(s[e - 1])) --e;
    if (b < e) fn(s.substr(b, e - b));
    begin = end + 1;
  }
}

}  // namespace

std::string decode_url(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 1 < s.size()) {
      if (s[i + 1] == 'u') {
        int v = hex_at(s, i + 2, 4);
        if (v >= 0) {
          append_utf8(out, v);
          i += 5;
          continue;
        }
      } else {
        int v = hex_at(s, i + 1, 2);
        if (v >= 0) {
          out += static_cast<char>(v);
          i += 2;
          continue;
        }
      }
      out += c;
    } else if (plus_as_space && c == '+') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void parse_query(std::string_view s, std::multimap<std::string, std::string>& out) {
  std::set<std::string_view> seen;
  split_trimmed(s, '&', [&](std::string_view piece) {
    if (!seen.insert(piece).second) return;
    std::string_view key, value;
    bool have_key = false;
    split_trimmed(piece, '=', [&](std::string_view part) {
      if (!have_key) {
        key = part;
        have_key = true;
      } else {
        value = part;
      }
    });
    if (have_key) out.emplace(decode_url(key, true), decode_url(value, true));
  });
}

bool split_target(std::string_view target, std::string& path,
                  std::multimap<std::string, std::string>& query) {
  if (size_t hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  int count = 0;
  split_trimmed(target, '?', [&](std::string_view part) {
    if (count == 0) path = decode_url(part, false);
    else if (count == 1) parse_query(part, query);
    ++count;
  });
  return count <= 2;
}

}  // namespace kapi::http
