#pragma once
// Buffered reading from a Transport: request heads are parsed from the buffer, bodies are read
// through it, and bytes of a pipelined next request stay in it.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "pkg/http/transport.h"

namespace kapi::http {

class Reader {
 public:
  explicit Reader(Transport& t) : t_(t) {}

  // The bytes read but not consumed yet.
  std::string_view buffered() const { return std::string_view(buf_.get() + pos_, end_ - pos_); }
  void consume(size_t n) { pos_ += n; }
  // Reads more (at least one byte) into the buffer; false on EOF, error or timeout.
  bool fill();

  // Appends exactly n bytes to *out (nullptr: discards them); false if the stream ends first.
  bool read_exact(size_t n, std::string* out);
  // One line without its LF / CRLF, at most max bytes; false on EOF or a longer line.
  bool read_line(size_t max, std::string* line);

 private:
  static constexpr size_t kBlock = 64 * 1024;
  Transport& t_;
  // [pos_, end_) holds data. Not zero-filled: an idle watch connection's untouched pages cost
  // no memory.
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0, pos_ = 0, end_ = 0;
};

enum class BodyResult { kOk, kTooLarge, kBad, kEof };

// Reads a Content-Length body into *body. Past `max` the body is read and dropped (so the
// answer reaches a client that sends it all before reading) and the result is kTooLarge.
BodyResult read_sized_body(Reader& r, size_t length, size_t max, std::string* body);

// Reads a chunked body (RFC 9112 7.1), chunk extensions and trailers ignored; same `max` rule.
BodyResult read_chunked_body(Reader& r, size_t max, std::string* body);

}  // namespace kapi::http
