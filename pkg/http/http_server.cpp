// kapi's HTTP/1.1 server: a listener, one pooled thread per connection (TLS handshake included,
// so a slow client never holds up accept), and the connection loop of connection.cpp.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <unordered_set>

#include "pkg/tls/server_ctx.h"
#include "pkg/http/connection.h"
#include "pkg/http/http.h"
#include "pkg/http/listener.h"
#include "pkg/http/transport.h"
#include "pkg/http/worker_pool.h"

namespace kapi::http {
namespace {

constexpr int kTimeoutSeconds = 60;  // read, write and keep-alive idle timeouts

// Go's net/http answers a plain HTTP request on a TLS port (its first record header looks like
// "GET /", "HEAD ", "POST ", "PUT /" or "OPTIO") with a fixed 400 instead of a TLS error, so
// a client given http:// by mistake sees "the server rejected our request for an unknown
// reason". True when it answered (the connection is then done).
bool answer_plain_http(int fd) {
  char head[5];
  ssize_t n;
  do n = ::recv(fd, head, sizeof head, MSG_PEEK | MSG_WAITALL);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof head)) return false;
  std::string_view h(head, sizeof head);
  if (h != "GET /" && h != "HEAD " && h != "POST " && h != "PUT /" && h != "OPTIO") return false;
  // The request bytes already sent are read first (Go's one read of the record layer takes
  // them), so the close that follows is a FIN, not a reset.
  char drain[4096];
  while (::recv(fd, drain, sizeof drain, MSG_DONTWAIT) > 0) {
  }
  static constexpr std::string_view kAnswer =
      "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";
  (void)!::send(fd, kAnswer.data(), kAnswer.size(), MSG_NOSIGNAL);
  return true;
}

// Sends FIN, then reads what the client still sends for a moment before closing: closing a
// socket with unread data sends a reset, which can destroy the response in flight (Go's
// closeWriteAndWait).
void close_gracefully(int fd) {
  ::shutdown(fd, SHUT_WR);
  timeval tv{0, 500 * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char drain[4096];
  for (int i = 0; i < 64 && ::recv(fd, drain, sizeof drain, 0) > 0; ++i) {
  }
  ::close(fd);
}

class Server : public HttpServer {
 public:
  Server(const HttpServerOptions& opts, HttpHandler handler)
      : opts_(opts), handler_(std::move(handler)), pool_(opts.max_threads) {
    if (opts.cert_file.empty()) return;
    ctx_ = SSL_CTX_new(TLS_server_method());
    auto st = tls::configure_server_ctx(ctx_, opts.cert_file, opts.key_file, opts.client_ca_file);
    if (!st.ok()) ctx_error_ = st.error().message.empty() ? "invalid certificate or key" : st.error().message;
  }

  ~Server() override {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (ctx_) SSL_CTX_free(ctx_);
  }

  bool bind(std::string* error) override {
    if (!ctx_error_.empty()) {
      *error = "cannot set up TLS: " + ctx_error_;
      return false;
    }
    if (opts_.listen_fd >= 0) {
      listen_fd_ = opts_.listen_fd;
      port_ = http::local_port(listen_fd_);
    } else {
      listen_fd_ = http::listen_tcp(opts_.bind_address, opts_.port, &port_, error);
      if (listen_fd_ < 0) return false;
    }
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return true;
  }

  int port() const override { return port_; }

  void serve() override {
    // OpenSSL writes to the socket with write(): a client gone mid-response must not kill the
    // server with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    while (!stopping_) {
      if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
      if (stopping_) break;
      if (!(fds[0].revents & POLLIN)) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        // Out of descriptors or a connection reset before accept: not the listener's end.
        if (errno == EMFILE || errno == ENFILE) ::poll(nullptr, 0, 10);
        continue;
      }
      pool_.enqueue([this, fd] { serve_socket(fd); });
    }
    ::close(listen_fd_);
    listen_fd_ = -1;
    shutdown_connections();
    pool_.shutdown();
  }

  void stop() override {
    stopping_ = true;
    uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
    shutdown_connections();
  }

 private:
  void serve_socket(int fd) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        ::close(fd);
        return;
      }
      open_.insert(fd);
    }
    int one = 1;
    // Headers and body may go out in separate writes: no Nagle delay.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    http::set_socket_timeouts(fd, kTimeoutSeconds, kTimeoutSeconds);
    http::ConnectionOptions co;
    co.max_body = opts_.max_body;
    co.status_error_bodies = opts_.status_error_bodies;
    co.gzip = opts_.gzip;
    co.httplib_fields = opts_.httplib_fields;
    co.remote_addr = http::peer_address(fd);
    co.stopping = &stopping_;
    if (!ctx_) {
      auto t = http::new_plain_transport(fd);
      http::serve_connection(*t, co, handler_);
    } else if (!answer_plain_http(fd)) {
      SSL* ssl = SSL_new(ctx_);
      if (ssl && SSL_set_fd(ssl, fd) == 1 && SSL_accept(ssl) == 1) {
        co.ssl = ssl;
        auto t = http::new_tls_transport(ssl);
        http::serve_connection(*t, co, handler_);
        t->finish();
      }
      if (ssl) SSL_free(ssl);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_.erase(fd);
    }
    close_gracefully(fd);
  }

  // Wakes every connection thread blocked on its socket (idle keep-alive, a watch writing).
  void shutdown_connections() {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
  }

  HttpServerOptions opts_;
  HttpHandler handler_;
  SSL_CTX* ctx_ = nullptr;
  std::string ctx_error_;
  int listen_fd_ = -1, wake_fd_ = -1, port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::unordered_set<int> open_;  // connections being served; guarded by mu_
  http::WorkerPool pool_;
};

}  // namespace

std::unique_ptr<HttpServer> new_http_server(const HttpServerOptions& opts, HttpHandler handler) {
  return std::make_unique<Server>(opts, std::move(handler));
}

}  // namespace kapi::http
