#pragma once
// One HTTP/1.1 connection: reads requests one after another (keep-alive, pipelining), runs the
// handler on each and writes its response, until the peer closes, a timeout or error ends it,
// or the request or the server asks for a close.
#include <atomic>
#include <string>

#include "pkg/http/http.h"
#include "pkg/http/transport.h"

namespace kapi::http {

struct ConnectionOptions {
  size_t max_body = 3 * 1024 * 1024;  // larger request bodies get 413
  std::string remote_addr;            // HttpRequest::remote_addr
  const SSL* ssl = nullptr;           // HttpRequest::ssl
  const std::atomic<bool>* stopping = nullptr;  // when set, the current response is the last
  bool status_error_bodies = true;              // fill_empty_error_body on each response
  bool gzip = true;                             // compress whole bodies when the client accepts it
  bool httplib_fields = true;                   // ResponseContext::httplib_fields
};

// Returns when the connection is done; the caller closes it.
void serve_connection(Transport& t, const ConnectionOptions& opts, const HttpHandler& handler);

// Error responses the handler left without a body get a Status JSON, as the previous HTTP layer
// sent them: 413 RequestEntityTooLarge (with the limit), anything else NotFound.
void fill_empty_error_body(HttpResponse& res, size_t max_body);

}  // namespace kapi::http
