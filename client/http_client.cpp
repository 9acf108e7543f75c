#include "client/http_client.h"

namespace kapi::client {

HttpClient::HttpClient(HttpEndpoint endpoint) : ep_(std::move(endpoint)) {}

HttpClient::~HttpClient() = default;

void HttpClient::drop() {
  reader_.reset();  // it reads from conn_
  conn_.reset();
}

TransportError HttpClient::connect() {
  TransportError err;
  conn_ = HttpConnection::dial(ep_.host, ep_.port, ep_.connect_timeout, err);
  if (!conn_) return err;
  if (ep_.tls) {
    if (auto e = conn_->start_tls(ep_.tls, ep_.tls_name, ep_.verify)) {
      drop();
      return e;
    }
  }
  conn_->set_io_timeout(ep_.io_timeout);
  HttpConnection* c = conn_.get();
  reader_ = std::make_unique<ResponseReader>([c](char* buf, size_t size, TransportError& e) {
    return c->read(buf, size, e);
  });
  return {};
}

TransportError HttpClient::round_trip(const HttpRequest& request,
                                      const std::function<void(const HttpResponseHead&)>& on_head,
                                      const BodySink& sink, bool& got_head) {
  HttpResponseHead head;
  got_head = false;
  if (TransportError err = send(request, head)) return err;
  got_head = true;
  if (on_head) on_head(head);
  return read_body(sink);
}

TransportError HttpClient::send(const HttpRequest& request, HttpResponseHead& head) {
  const std::string wire = serialize_request(request);
  bool replayable = request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS" ||
                    request.method == "TRACE";
  for (int attempt = 0;; ++attempt) {
    // Go's transport closes an idle connection the server closed or sent anything on.
    if (conn_ && (reader_->has_buffered() || conn_->idle_broken())) drop();
    bool reused = conn_ != nullptr;
    if (!conn_) {
      if (auto err = connect()) return err;
    }
    size_t written = 0;
    TransportError err = conn_->write_all(wire.data(), wire.size(), written);
    bool nothing_back = true;
    head = HttpResponseHead();
    if (!err) {
      err = reader_->read_head(head);
      nothing_back = !reader_->started();
    }
    if (err) {
      drop();
      if (reused && attempt == 0 && nothing_back && (replayable || written == 0)) continue;
      return err;
    }
    pending_method_ = request.method;
    pending_gzip_ = request.transport_gzip();
    pending_head_ = head;
    return {};
  }
}

TransportError HttpClient::read_body(const BodySink& sink) {
  if (!reader_) return TransportError::make(TransportError::Kind::kRead, "no answer to read");
  bool reusable = false;
  TransportError err = reader_->read_body(pending_head_, pending_method_, sink, reusable, pending_gzip_);
  if (err || !reusable) drop();
  return err;
}

}  // namespace kapi::client
