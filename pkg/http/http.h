#pragma once
// The HTTP request/response types and the HTTP/1.1 server (pkg/http/): shared by the API server and
// `kubectl proxy`'s listening side.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

typedef struct ssl_st SSL;

namespace kapi::http {

struct HttpRequest {
  std::string method;
  std::string path;  // decoded path, no query
  std::string target;  // the request-target as received (escaped path and query): for a proxy
  std::multimap<std::string, std::string> query;
  std::multimap<std::string, std::string, std::less<>> headers;  // keys lower-cased
  std::string body;
  std::string remote_addr;
  const SSL* ssl = nullptr;  // TLS connection (peer certificate), null for plain HTTP

  std::string header(std::string_view name) const;  // name lower-case; "" if absent
  bool has_param(const std::string& name) const { return query.count(name) > 0; }
  std::string param(const std::string& name) const;
};

// Writes one chunk of a streamed body; false when the client went away. An empty chunk writes
// nothing and only checks that the client is still there (an idle watch's probe).
using ChunkWriter = std::function<bool(std::string_view)>;

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";
  std::string body;
  // When set, the body is streamed (chunked) by calling this on the worker thread.
  std::function<void(const ChunkWriter&)> stream;
  // The exact byte count `stream` writes, when known (a LIST): sent as Content-Length, so the
  // chunks go to the socket as they are, without chunk framing.
  size_t stream_length = 0;
  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

struct HttpServerOptions {
  std::string bind_address = "0.0.0.0";
  int port = 6443;
  std::string cert_file, key_file, client_ca_file;
  size_t max_threads = 1100;   // watches hold a thread each
  size_t max_body = 3 * 1024 * 1024;
  // A socket already listening (see listen_go): bind() takes it over instead of binding
  // bind_address:port.
  int listen_fd = -1;
  // The API server's error answers without a body get a Status JSON (fill_empty_error_body);
  // a proxy passes answers on as they are.
  bool status_error_bodies = true;
  bool gzip = true;  // whole bodies gzip-compressed for clients that accept it
  bool httplib_fields = true;  // ResponseContext::httplib_fields
};

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  // Binds and listens; false with `error` set when it cannot.
  virtual bool bind(std::string* error) = 0;
  virtual int port() const = 0;
  virtual void serve() = 0;  // blocks until stop()
  virtual void stop() = 0;
};

std::unique_ptr<HttpServer> new_http_server(const HttpServerOptions& opts, HttpHandler handler);

}  // namespace kapi::http
