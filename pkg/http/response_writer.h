#pragma once
// Writes one HttpResponse on a connection: the status line, the handler's headers plus the
// framing ones, then the body — whole (gzip when allowed), streamed with a known length, or
// chunked with each chunk sent as it is written (watch events must not wait in a buffer).
#include <string>
#include <string_view>

#include "pkg/http/http.h"
#include "pkg/http/transport.h"

namespace kapi::http {

// Go's http.StatusText, or "status code N" (as Go's status line) for codes it does not know.
std::string reason_phrase(int status);

struct ResponseContext {
  bool head = false;         // a HEAD request: headers only
  bool http10 = false;       // no chunked framing for HTTP/1.0: the body ends at close
  bool keep_alive = true;    // in: the request allows it; out: false if the connection must close
  bool accept_gzip = false;  // the request's Accept-Encoding allows gzip
  // The fields cpp-httplib (the API server's previous HTTP layer) added, kept for its clients:
  // Keep-Alive on a kept-alive connection, Accept-Ranges on a HEAD answer.
  bool httplib_fields = true;
};

// False when the connection failed while writing (the peer is gone).
bool write_response(Transport& t, HttpResponse& res, ResponseContext& ctx);

}  // namespace kapi::http
