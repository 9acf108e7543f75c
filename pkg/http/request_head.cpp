#include "pkg/http/request_head.h"

#include <charconv>

namespace kapi::http {
namespace {

bool is_tchar(unsigned char c) {
  // RFC 9110 5.6.2 token characters.
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (tolower(static_cast<unsigned char>(a[i])) != tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when the comma-separated list `value` holds `token` (case-insensitive).
bool has_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (iequals(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// Go answers most malformed heads with this text only (no detail).
HeadError bad() { return {"400 Bad Request", "400 Bad Request"}; }

// The next line of `s` without its LF / CRLF; advances s.
std::string_view next_line(std::string_view& s) {
  size_t nl = s.find('\n');
  std::string_view line = s.substr(0, nl);
  s.remove_prefix(nl == std::string_view::npos ? s.size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

size_t find_head_end(std::string_view buf, size_t* skipped_prefix) {
  size_t start = 0;
  while (start < buf.size() && (buf[start] == '\r' || buf[start] == '\n')) {
    if (buf[start] == '\r' && start + 1 >= buf.size()) break;
    ++start;
  }
  *skipped_prefix = start;
  for (size_t nl = buf.find('\n', start); nl != std::string_view::npos; nl = buf.find('\n', nl + 1)) {
    size_t next = nl + 1;
    if (next < buf.size() && buf[next] == '\n') return next + 1;
    if (next + 1 < buf.size() && buf[next] == '\r' && buf[next + 1] == '\n') return next + 2;
  }
  return 0;
}

std::optional<HeadError> parse_head(std::string_view head, RequestHead& out) {
  std::string_view line = next_line(head);
  // request-line = method SP request-target SP HTTP-version
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return bad();
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                   version = line.substr(sp2 + 1);
  if (!is_token(method)) return bad();
  if (target.empty() || target.find_first_of(" \t") != std::string_view::npos) return bad();
  if (version == "HTTP/1.1") out.http10 = false;
  else if (version == "HTTP/1.0") out.http10 = true;
  else return bad();
  out.method = method;
  out.target = target;

  std::string_view connection;
  bool have_te = false;
  while (!head.empty()) {
    line = next_line(head);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return bad();
    std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return bad();
    std::string_view value = trim(line.substr(colon + 1));
    for (unsigned char c : value)
      if ((c < 0x20 && c != '\t') || c == 0x7f) return bad();
    std::string key = lower(name);
    if (key == "content-length") {
      size_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || p != value.data() + value.size())
        return bad();
      if (out.content_length && *out.content_length != n) return bad();
      out.content_length = n;
    } else if (key == "transfer-encoding") {
      if (have_te || !iequals(value, "chunked")) return HeadError{"501 Not Implemented", "Unsupported transfer encoding"};
      have_te = out.chunked = true;
    } else if (key == "expect") {
      out.expect_continue = iequals(value, "100-continue");
    } else if (key == "connection") {
      connection = value;
    }
    out.headers.emplace(std::move(key), std::string(value));
  }
  if (out.chunked) out.content_length.reset();  // RFC 9112 6.3: Transfer-Encoding wins
  out.keep_alive = out.http10 ? has_token(connection, "keep-alive") : !has_token(connection, "close");
  return std::nullopt;
}

}  // namespace kapi::http
