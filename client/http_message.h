#pragma once
// HTTP/1.1 messages on the client side (RFC 9112): a request written as Go's net/http writes
// it, and an answer read from a byte source: status line, headers, and a body framed by
// Content-Length, chunked coding or the end of the connection, gzip undone.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/http_connection.h"

namespace kapi::client {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;
  std::string target;  // "/api/v1/pods?limit=500" (escaped already), or an absolute URI for a proxy
  std::string host;    // the Host header: the URL's host[:port]
  HttpHeaders headers;  // the rest (not Host, Content-Length), canonical names
  std::string body;
  // Go's transport asks for gzip (and undoes it) itself unless the request names an
  // Accept-Encoding or a Range, or is a HEAD; otherwise the answer's encoding is the caller's.
  bool transport_gzip() const;
};

// Head and body in one buffer (one send): the request line, Host, User-Agent, Content-Length
// (for a body, and 0 for a body-less POST/PUT/PATCH), the other headers sorted by name, then
// "Accept-Encoding: gzip" as Go's transport adds it (transport_gzip()).
std::string serialize_request(const HttpRequest& request);

struct HttpResponseHead {
  int status = 0;
  std::string reason;  // the status line's reason phrase as sent
  int minor_version = 1;
  HttpHeaders headers;  // in arrival order, names as sent
  // The first value of `name` (case-insensitive), or nullptr.
  const std::string* find(std::string_view name) const;
};

// Pulls bytes from the connection: > 0 read, 0 at its end, < 0 on error (err set).
using ReadFn = std::function<long(char* buf, size_t size, TransportError& err)>;
// Gets body bytes (decoded) as they arrive; false stops reading.
using BodySink = std::function<bool(const char* data, size_t size)>;

// One connection's answers, one after another. Not thread-safe.
class ResponseReader {
 public:
  explicit ResponseReader(ReadFn read) : read_(std::move(read)) {}

  // The next answer's head (1xx interim answers are skipped). Nothing at all before the end of
  // the connection is kEof "EOF".
  TransportError read_head(HttpResponseHead& head);
  // Its body (none for 1xx, 204, 304 or a HEAD request) into `sink`, a gzip encoding undone
  // when `decode_gzip`. `reusable` tells whether the connection may carry another request: all
  // of the body was read, framed, and neither side asked to close.
  TransportError read_body(const HttpResponseHead& head, const std::string& method, const BodySink& sink,
                           bool& reusable, bool decode_gzip = true);
  // Whether any byte of the answer read_head last looked for has arrived.
  bool started() const { return started_; }
  // Bytes read past the last answer (nothing a server may send unasked).
  bool has_buffered() const { return pos_ < buf_.size(); }

 private:
  bool fill(TransportError& err);  // reads more into buf_; false at the end or on error
  TransportError read_line(std::string& line, bool body);
  TransportError copy_body(unsigned long long n, const BodySink& sink, bool& stopped);

  ReadFn read_;
  std::string buf_;
  size_t pos_ = 0;  // unconsumed bytes are buf_[pos_..]
  bool started_ = false;
};

}  // namespace kapi::client
