#pragma once
// One kept-alive HTTP/1.1 connection to one endpoint, used request after request, as Go's
// transport keeps an idle connection per host. Not thread-safe.
#include <functional>
#include <memory>
#include <string>

#include "client/http_connection.h"
#include "client/http_message.h"

namespace kapi::client {

struct HttpEndpoint {
  std::string host;  // where to dial: the server, the proxy relay (127.0.0.1), an http:// proxy
  int port = 0;
  SSL_CTX* tls = nullptr;  // nullptr: plain TCP; else borrowed, outliving the client
  std::string tls_name;    // the name the server certificate must match (SNI for a DNS name)
  bool verify = true;
  double connect_timeout = 30;  // Go's net.Dialer timeout in client-go
  double io_timeout = 0;        // every read and write (--request-timeout); 0 = none
};

class HttpClient {
 public:
  explicit HttpClient(HttpEndpoint endpoint);
  ~HttpClient();

  // Sends `request` and reads the answer: `on_head` gets the head, `sink` the body as it
  // arrives (false stops reading and drops the connection). The connection is reused when the
  // answer allows it. A reused connection that the server has closed is replaced before the
  // request; one that fails before any byte of the answer is replaced and the request sent
  // once more when it is a GET or nothing of it went out (Go's rule for a reused connection).
  // `got_head` tells whether an error came after the head.
  TransportError round_trip(const HttpRequest& request, const std::function<void(const HttpResponseHead&)>& on_head,
                            const BodySink& sink, bool& got_head);

  // round_trip in two steps, for a proxy that answers its own client in between: send the
  // request and read the answer's head, then (after a head) read its body. Every head must be
  // followed by read_body before the next request.
  TransportError send(const HttpRequest& request, HttpResponseHead& head);
  TransportError read_body(const BodySink& sink);

  // Whether a connection is open (for tests).
  bool connected() const { return conn_ != nullptr; }

 private:
  TransportError connect();
  void drop();  // closes the connection
  HttpEndpoint ep_;
  std::unique_ptr<HttpConnection> conn_;
  std::unique_ptr<ResponseReader> reader_;
  // The request whose answer's body is next (send's), and that answer's head.
  std::string pending_method_;
  bool pending_gzip_ = true;
  HttpResponseHead pending_head_;
};

}  // namespace kapi::client
