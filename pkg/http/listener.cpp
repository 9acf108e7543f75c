#include "pkg/http/listener.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cctype>
#include <cstring>

namespace kapi::http {

int listen_tcp(const std::string& address, int port, int* bound_port, std::string* error) {
  std::string hp = address + ":" + std::to_string(port);
  // A port something listens on is refused with Go's text; the connect probe answers that
  // whatever the other listener's socket options are.
  std::string busy = "failed to create listener: failed to listen on " + hp + ": listen tcp " + hp +
                     ": bind: address already in use";
  if (port != 0 && port_in_use(address, port)) {
    *error = busy;
    return -1;
  }
  addrinfo hints{}, *res = nullptr;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  int gai = getaddrinfo(address.empty() ? nullptr : address.c_str(), std::to_string(port).c_str(), &hints, &res);
  if (gai != 0 || !res) {
    *error = port == 0 ? "cannot listen on " + address : "failed to listen on " + hp + ": " + gai_strerror(gai);
    return -1;
  }
  int fd = -1, err = 0;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    int one = 1, zero = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ai->ai_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);  // "::" is dual-stack, as Go
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) break;
    err = errno;
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    if (port == 0) *error = "cannot listen on " + address;
    else if (err == EADDRINUSE) *error = busy;
    else *error = "failed to listen on " + hp + ": " + strerror(err);
    return -1;
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  *bound_port = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                         : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return fd;
}

bool port_in_use(const std::string& address, int port) {
  std::string target = address == "0.0.0.0" ? "127.0.0.1" : address == "::" ? "::1" : address;
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST;
  if (getaddrinfo(target.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) return false;
  int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool in_use = fd >= 0 && ::connect(fd, res->ai_addr, res->ai_addrlen) == 0;
  if (fd >= 0) ::close(fd);
  freeaddrinfo(res);
  return in_use;
}

namespace {

// Go's syscall error texts are glibc's with a lower-case first letter.
std::string go_errno_text(int err) {
  std::string t = strerror(err);
  if (!t.empty()) t[0] = static_cast<char>(tolower(static_cast<unsigned char>(t[0])));
  return t;
}

std::string format_addr(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(in->sin_port));
  }
  auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
  inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
  return "[" + std::string(buf) + "]:" + std::to_string(ntohs(in6->sin6_port));
}

int listen_unix_go(const std::string& path, std::string* bound, std::string* error) {
  auto fail = [&](const char* op, int err) {
    *error = "listen unix " + path + ": " + op + ": " + go_errno_text(err);
    return -1;
  };
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  if (path.size() >= sizeof sun.sun_path) return fail("bind", EINVAL);
  memcpy(sun.sun_path, path.data(), path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("socket", errno);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sun), sizeof sun) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    int err = errno;
    ::close(fd);
    return fail("bind", err);
  }
  *bound = path;
  return fd;
}

}  // namespace

int listen_go(const std::string& network, const std::string& address, std::string* bound, std::string* error) {
  if (network == "unix") return listen_unix_go(address, bound, error);
  // net.SplitHostPort
  auto addr_error = [&](const std::string& why) {
    *error = "listen tcp: address " + address + ": " + why;
    return -1;
  };
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return addr_error("missing port in address");
  std::string host = address.substr(0, colon), port = address.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.back() != ']') return addr_error("missing ']' in address");
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return addr_error("too many colons in address");
  }
  bool numeric = !port.empty() && port.size() <= 5;
  for (char c : port) numeric = numeric && isdigit(static_cast<unsigned char>(c));
  if (!numeric || std::stoi(port) > 65535) return addr_error("invalid port");

  addrinfo hints{}, *res = nullptr;
  hints.ai_family = host.empty() ? AF_INET6 : AF_UNSPEC;  // no host: Go listens on [::], dual-stack
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &res) != 0 || !res) {
    *error = "listen tcp: lookup " + host + ": no such host";
    return -1;
  }
  // Go listens on the first IPv4 address of a name when it has one.
  addrinfo* ai = res;
  for (addrinfo* a = res; a; a = a->ai_next)
    if (a->ai_family == AF_INET) {
      ai = a;
      break;
    }
  sockaddr_storage want{};
  memcpy(&want, ai->ai_addr, ai->ai_addrlen);
  int fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int err = fd < 0 ? errno : 0;
  const char* op = "socket";
  if (fd >= 0) {
    int one = 1, zero = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ai->ai_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    op = "bind";
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || (op = "listen", ::listen(fd, SOMAXCONN) != 0)) {
      err = errno;
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0) {
    *error = "listen tcp " + format_addr(want) + ": " + op + ": " + go_errno_text(err);
    return -1;
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  *bound = format_addr(ss);
  return fd;
}

int local_port(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return 0;
}

std::string peer_address(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "";
  char buf[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
  else if (ss.ss_family == AF_INET6) inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr, buf, sizeof buf);
  return buf;
}

}  // namespace kapi::http
