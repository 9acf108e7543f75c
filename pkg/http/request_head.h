#pragma once
// Parsing of an HTTP/1.x request head (request line and header fields, RFC 9112 sections 3
// and 5), with Go net/http's limits and answers for malformed input.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kapi::http {

// Go's http.DefaultMaxHeaderBytes (1 MiB) plus the 4096 bytes of slack its reader allows.
inline constexpr size_t kMaxHeadBytes = (1 << 20) + 4096;

struct RequestHead {
  std::string method, target;
  bool http10 = false;  // HTTP/1.0 (else HTTP/1.1)
  std::multimap<std::string, std::string, std::less<>> headers;  // keys lower-cased

  // Framing and connection handling derived from the headers.
  bool chunked = false;
  std::optional<size_t> content_length;
  bool expect_continue = false;
  bool keep_alive = true;  // false: close the connection after the response
};

// A rejected head: what Go's server answers (then it closes the connection).
struct HeadError {
  std::string status;  // the status line after "HTTP/1.1 ", e.g. "400 Bad Request"
  std::string body;
};

// Length of the head at the start of `buf` including its blank line, skipping blank lines
// before the request line (RFC 9112 2.2); 0 while incomplete. Lines may end in LF or CRLF.
size_t find_head_end(std::string_view buf, size_t* skipped_prefix);

// Parses a complete head (as delimited by find_head_end, without the skipped prefix).
std::optional<HeadError> parse_head(std::string_view head, RequestHead& out);

}  // namespace kapi::http
