#include "client/socks5.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace kapi::client {
namespace {

constexpr unsigned char kVersion5 = 5;
constexpr unsigned char kNoAuth = 0, kUserPass = 2, kNoAcceptable = 0xff;

// The proxy connection with its "local->remote" addresses, taken before any failure (a reset
// connection has no peer address any more).
struct Conn {
  int fd;
  std::string addrs;  // "" when not TCP (a socketpair in tests)
};

std::string tcp_addrs(int fd) {
  std::string addrs[2];
  for (int i = 0; i < 2; ++i) {
    struct sockaddr_storage ss {};
    socklen_t len = sizeof ss;
    auto* sa = reinterpret_cast<sockaddr*>(&ss);
    if ((i == 0 ? getsockname(fd, sa, &len) : getpeername(fd, sa, &len)) != 0) return "";
    char ip[INET6_ADDRSTRLEN] = "";
    if (ss.ss_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(sa);
      inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
      addrs[i] = join_host_port(ip, ntohs(in->sin_port));
    } else if (ss.ss_family == AF_INET6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(sa);
      inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
      addrs[i] = join_host_port(ip, ntohs(in6->sin6_port));
    } else {
      return "";
    }
  }
  return addrs[0] + "->" + addrs[1];
}

// Go's net.OpError text: "read tcp 127.0.0.1:40000->127.0.0.1:1080: read: connection reset by
// peer" (Go's errno texts are glibc's with a lower-case first letter).
std::string op_error(const Conn& c, const char* op, int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  text = std::string(op) + ": " + text;
  return c.addrs.empty() ? text : std::string(op) + " tcp " + c.addrs + ": " + text;
}

// Go's io.ReadFull errors: nothing read is "EOF", a short read "unexpected EOF".
std::string read_full(const Conn& c, unsigned char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::recv(c.fd, buf + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return op_error(c, "read", errno);
    if (r == 0) return got == 0 ? "EOF" : "unexpected EOF";
    got += static_cast<size_t>(r);
  }
  return "";
}

std::string write_all(const Conn& c, const char* data, size_t size) {
  size_t sent = 0;
  while (sent < size) {
    ssize_t w = ::send(c.fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return op_error(c, "write", errno);
    sent += static_cast<size_t>(w);
  }
  return "";
}

std::string write_all(const Conn& c, const std::string& data) { return write_all(c, data.data(), data.size()); }

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
std::string authenticate(const Conn& fd, const ProxyUrl& p, unsigned char method) {
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
std::string read_connect_reply(const Conn& fd) {
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

}  // namespace

std::string join_host_port(const std::string& host, int port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string socks5_handshake(int socket_fd, const ProxyUrl& proxy, const std::string& host, int port) {
  Conn fd{socket_fd, tcp_addrs(socket_fd)};
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

}  // namespace kapi::client
