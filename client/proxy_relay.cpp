#include "client/proxy_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace kapi::client {
namespace {

// A blocking TCP connection to host:port (any of its addresses), or -1.
int dial(const std::string& host, int port) {
  struct addrinfo hints {};
  hints.ai_socktype = SOCK_STREAM;
  struct addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) return -1;
  int fd = -1;
  for (auto* a = res; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd >= 0) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

bool send_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t w = ::send(fd, data, size, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    size -= static_cast<size_t>(w);
  }
  return true;
}

// Reads what the proxy side has (TLS-decrypted for an https proxy); <= 0 at its end.
ssize_t read_end(const TunnelEnd& end, char* buf, size_t size) {
  if (!end.ssl) return ::recv(end.fd, buf, size, 0);
  int n = SSL_read(end.ssl, buf, static_cast<int>(size));
  return n > 0 ? n : -1;
}

bool write_end(const TunnelEnd& end, const char* data, size_t size) {
  if (!end.ssl) return send_all(end.fd, data, size);
  return SSL_write(end.ssl, data, static_cast<int>(size)) == static_cast<int>(size);
}

}  // namespace

std::unique_ptr<ProxyRelay> ProxyRelay::start(ProxyUrl proxy, TunnelHandshake handshake) {
  std::unique_ptr<ProxyRelay> r(new ProxyRelay(std::move(proxy), std::move(handshake)));
  r->listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in addr {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (r->listen_fd_ < 0 || ::bind(r->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(r->listen_fd_, 16) != 0 ||
      getsockname(r->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::pipe2(r->stop_pipe_, O_CLOEXEC) != 0)
    return nullptr;  // the destructor closes what was opened
  r->port_ = ntohs(addr.sin_port);
  r->acceptor_ = std::thread([p = r.get()] { p->accept_loop(); });
  return r;
}

ProxyRelay::~ProxyRelay() {
  if (stop_pipe_[1] >= 0) (void)!::write(stop_pipe_[1], "x", 1);
  {
    // A tunnel blocked in the handshake is woken by shutting its proxy socket down.
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : handshaking_) ::shutdown(fd, SHUT_RDWR);
    stopping_ = true;
  }
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& t : tunnels_) t.join();
  for (int fd : {listen_fd_, stop_pipe_[0], stop_pipe_[1]})
    if (fd >= 0) ::close(fd);
}

std::optional<std::string> ProxyRelay::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

void ProxyRelay::set_error(std::optional<std::string> text) {
  std::lock_guard<std::mutex> lock(mu_);
  error_ = std::move(text);
}

void ProxyRelay::accept_loop() {
  // Tunnel threads start from here and inherit the mask: a write to a closed proxy connection
  // (SSL_write to an https:// proxy) must fail, not end the process.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  for (;;) {
    struct pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    tunnels_.emplace_back([this, c] { serve(c); });
  }
}

// One connection of the HTTP client: a tunnel through the proxy, then bytes both ways. On a
// failure the client's connection is closed after the reason is recorded, so that the request's
// error handling (which runs once the HTTP client sees the closed connection) finds it.
void ProxyRelay::serve(int client_fd) {
  int proxy_fd = dial(proxy_.host, proxy_.port);
  if (proxy_fd < 0) {
    set_error(std::nullopt);  // the caller redials the proxy to say why
    ::close(client_fd);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) ::shutdown(proxy_fd, SHUT_RDWR);
    handshaking_.insert(proxy_fd);
  }
  struct timeval tv {30, 0};  // a proxy that never answers the handshake
  setsockopt(proxy_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  TunnelEnd end{proxy_fd, nullptr};
  std::string err = handshake_(end);
  {
    std::lock_guard<std::mutex> lock(mu_);
    handshaking_.erase(proxy_fd);
  }
  if (!err.empty()) {
    set_error(err);
  } else {
    set_error(std::nullopt);
    struct timeval none {0, 0};
    setsockopt(proxy_fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
    pump(client_fd, end);
  }
  if (end.ssl) SSL_free(end.ssl);
  ::close(proxy_fd);
  ::close(client_fd);
}

// Copies bytes both ways until either side closes or fails, or the relay stops. Neither side
// half-closes in HTTP/TLS, so the first end of stream ends the tunnel.
void ProxyRelay::pump(int client_fd, const TunnelEnd& end) const {
  char buf[65536];
  for (;;) {
    // TLS may hold decrypted bytes the socket no longer shows as readable.
    bool buffered = end.ssl && SSL_pending(end.ssl) > 0;
    struct pollfd fds[3] = {{client_fd, POLLIN, 0}, {end.fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 3, buffered ? 0 : -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[2].revents) return;
    if (fds[0].revents) {
      ssize_t n = ::recv(client_fd, buf, sizeof buf, 0);
      if (n <= 0 || !write_end(end, buf, static_cast<size_t>(n))) return;
    }
    if (fds[1].revents || buffered) {
      ssize_t n = read_end(end, buf, sizeof buf);
      if (n <= 0 || !send_all(client_fd, buf, static_cast<size_t>(n))) return;
    }
  }
}

}  // namespace kapi::client
