#include "client/socks_relay.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>

namespace kapi::client {
namespace {

constexpr unsigned char kVersion5 = 5;
constexpr unsigned char kNoAuth = 0, kUserPass = 2, kNoAcceptable = 0xff;

// Go's io.ReadFull errors: nothing read is "EOF", a short read "unexpected EOF".
std::string read_full(int fd, unsigned char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::recv(fd, buf + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return std::string("read: ") + std::strerror(errno);
    if (r == 0) return got == 0 ? "EOF" : "unexpected EOF";
    got += static_cast<size_t>(r);
  }
  return "";
}

std::string write_all(int fd, const char* data, size_t size) {
  size_t sent = 0;
  while (sent < size) {
    ssize_t w = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return std::string("write: ") + std::strerror(errno);
    sent += static_cast<size_t>(w);
  }
  return "";
}

std::string write_all(int fd, const std::string& data) { return write_all(fd, data.data(), data.size()); }

// Go's socksReply.String().
std::string reply_text(unsigned char code) {
  switch (code) {
    case 0: return "succeeded";
    case 1: return "general SOCKS server failure";
    case 2: return "connection not allowed by ruleset";
    case 3: return "network unreachable";
    case 4: return "host unreachable";
    case 5: return "connection refused";
    case 6: return "TTL expired";
    case 7: return "command not supported";
    case 8: return "address type not supported";
    default: return "unknown code: " + std::to_string(code);
  }
}

bool has_userinfo(const ProxyUrl& p) { return !p.username.empty() || !p.password.empty(); }

// RFC 1929 sub-negotiation, as Go's socksUsernamePassword.Authenticate (which also accepts a
// proxy that chose no authentication).
std::string authenticate(int fd, const ProxyUrl& p, unsigned char method) {
  if (method == kNoAuth) return "";
  if (method != kUserPass) return "unsupported authentication method " + std::to_string(method);
  if (p.username.empty() || p.username.size() > 255 || p.password.size() > 255) return "invalid username/password";
  std::string req{char(1), char(p.username.size())};
  req += p.username;
  req += char(p.password.size());
  req += p.password;
  if (auto e = write_all(fd, req); !e.empty()) return e;
  unsigned char b[2];
  if (auto e = read_full(fd, b, 2); !e.empty()) return e;
  if (b[0] != 1) return "invalid username/password version";
  if (b[1] != 0) return "username/password authentication failed";
  return "";
}

// The CONNECT request's address: IPv4 or IPv6 for a literal, else the name itself (the proxy
// resolves it, as with Go's dialer).
std::string encode_address(const std::string& host, int port, std::string& err) {
  std::string out;
  unsigned char ip[16];
  if (inet_pton(AF_INET, host.c_str(), ip) == 1) {
    out += char(1);
    out.append(reinterpret_cast<char*>(ip), 4);
  } else if (inet_pton(AF_INET6, host.c_str(), ip) == 1) {
    out += char(4);
    out.append(reinterpret_cast<char*>(ip), 16);
  } else {
    if (host.size() > 255) err = "FQDN too long";
    out += char(3);
    out += char(host.size());
    out += host;
  }
  out += char((port >> 8) & 0xff);
  out += char(port & 0xff);
  return out;
}

// The reply to CONNECT, bound address included, so that what follows is the server's bytes.
std::string read_connect_reply(int fd) {
  unsigned char b[4];
  if (auto e = read_full(fd, b, 4); !e.empty()) return e;
  if (b[0] != kVersion5) return "unexpected protocol version " + std::to_string(b[0]);
  if (b[1] != 0) return "unknown error " + reply_text(b[1]);
  if (b[2] != 0) return "non-zero reserved field";
  size_t len = 2;
  if (b[3] == 1) {
    len += 4;
  } else if (b[3] == 4) {
    len += 16;
  } else if (b[3] == 3) {
    unsigned char n;
    if (auto e = read_full(fd, &n, 1); !e.empty()) return e;
    len += n;
  } else {
    return "unknown address type " + std::to_string(b[3]);
  }
  unsigned char rest[16 + 255 + 2];
  return read_full(fd, rest, len);
}

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

}  // namespace

std::string join_host_port(const std::string& host, int port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string socks5_handshake(int fd, const ProxyUrl& proxy, const std::string& host, int port) {
  std::string greeting{char(kVersion5)};
  if (has_userinfo(proxy))
    greeting += {char(2), char(kNoAuth), char(kUserPass)};
  else
    greeting += {char(1), char(kNoAuth)};
  if (auto e = write_all(fd, greeting); !e.empty()) return e;
  unsigned char b[2];
  if (auto e = read_full(fd, b, 2); !e.empty()) return e;
  if (b[0] != kVersion5) return "unexpected protocol version " + std::to_string(b[0]);
  if (b[1] == kNoAcceptable) return "no acceptable authentication methods";
  // Without userinfo Go has no Authenticate function and takes whatever method was chosen.
  if (has_userinfo(proxy))
    if (auto e = authenticate(fd, proxy, b[1]); !e.empty()) return e;
  std::string err;
  std::string req{char(kVersion5), char(1), char(0)};
  req += encode_address(host, port, err);
  if (!err.empty()) return err;
  if (auto e = write_all(fd, req); !e.empty()) return e;
  return read_connect_reply(fd);
}

std::unique_ptr<SocksRelay> SocksRelay::start(ProxyUrl proxy, std::string host, int port) {
  std::unique_ptr<SocksRelay> r(new SocksRelay(std::move(proxy), std::move(host), port));
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

SocksRelay::~SocksRelay() {
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

std::optional<std::string> SocksRelay::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

void SocksRelay::set_error(std::optional<std::string> text) {
  std::lock_guard<std::mutex> lock(mu_);
  error_ = std::move(text);
}

void SocksRelay::accept_loop() {
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
// error handling (which runs once httplib sees the closed connection) finds it.
void SocksRelay::serve(int client_fd) {
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
  std::string err = socks5_handshake(proxy_fd, proxy_, host_, target_port_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    handshaking_.erase(proxy_fd);
  }
  if (!err.empty()) {
    set_error("socks connect tcp " + join_host_port(proxy_.host, proxy_.port) + "->" +
              join_host_port(host_, target_port_) + ": " + err);
  } else {
    set_error(std::nullopt);
    struct timeval none {0, 0};
    setsockopt(proxy_fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
    pump(client_fd, proxy_fd);
  }
  ::close(proxy_fd);
  ::close(client_fd);
}

// Copies bytes both ways until either side closes or fails, or the relay stops. Neither side
// half-closes in HTTP/TLS, so the first end of stream ends the tunnel.
void SocksRelay::pump(int a, int b) const {
  char buf[65536];
  for (;;) {
    struct pollfd fds[3] = {{a, POLLIN, 0}, {b, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[2].revents) return;
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      if (!write_all(fds[1 - i].fd, buf, static_cast<size_t>(n)).empty()) return;
    }
  }
}

}  // namespace kapi::client
