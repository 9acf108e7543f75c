#pragma once
// Incremental gzip decoding (zlib) of a "Content-Encoding: gzip" body, as Go's transport
// undoes the compression it asked for with "Accept-Encoding: gzip".
#include <functional>
#include <memory>
#include <string>

namespace kapi::client {

class GzipDecoder {
 public:
  GzipDecoder();
  ~GzipDecoder();
  GzipDecoder(const GzipDecoder&) = delete;
  GzipDecoder& operator=(const GzipDecoder&) = delete;

  // Decodes the next piece of the compressed stream; `out` gets the decoded bytes as they come
  // and returns false to stop. "" when fine, else Go's error text ("gzip: invalid header", ...).
  std::string feed(const char* data, size_t size, const std::function<bool(const char*, size_t)>& out);
  // At the end of the compressed body: "" if the gzip stream was complete, else "unexpected EOF".
  std::string finish() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace kapi::client
