#include "client/http_connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "client/x509_util.h"

namespace kapi::client {

// The socket under OpenSSL: recv/send with MSG_NOSIGNAL (OpenSSL's own socket BIO write()s,
// which raises SIGPIPE on a closed connection), remembering errno for the error text.
struct SocketIo {
  int fd = -1;
  int last_errno = 0;
  char first[5] = {};  // the connection's first bytes: an HTTP answer instead of TLS
  size_t first_len = 0;
};

namespace {

constexpr double kTlsHandshakeTimeout = 10;  // client-go's Transport.TLSHandshakeTimeout

int bio_write(BIO* b, const char* data, int len) {
  auto* io = static_cast<SocketIo*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  for (;;) {
    ssize_t n = ::send(io->fd, data, static_cast<size_t>(len), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EINTR) continue;
    io->last_errno = errno;
    return -1;
  }
}

int bio_read(BIO* b, char* buf, int len) {
  auto* io = static_cast<SocketIo*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  for (;;) {
    ssize_t n = ::recv(io->fd, buf, static_cast<size_t>(len), 0);
    if (n > 0 && io->first_len < sizeof io->first) {
      size_t take = std::min(sizeof io->first - io->first_len, static_cast<size_t>(n));
      std::memcpy(io->first + io->first_len, buf, take);
      io->first_len += take;
    }
    if (n >= 0) return static_cast<int>(n);
    if (errno == EINTR) continue;
    io->last_errno = errno;
    return -1;
  }
}

long bio_ctrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }

int bio_destroy(BIO* b) {
  delete static_cast<SocketIo*>(BIO_get_data(b));
  BIO_set_data(b, nullptr);
  return 1;
}

BIO_METHOD* socket_bio_method() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "kapi socket");
    BIO_meth_set_write(m, bio_write);
    BIO_meth_set_read(m, bio_read);
    BIO_meth_set_ctrl(m, bio_ctrl);
    BIO_meth_set_destroy(m, bio_destroy);
    return m;
  }();
  return method;
}

bool is_ip_literal(const std::string& s) {
  unsigned char b[16];
  return inet_pton(AF_INET, s.c_str(), b) == 1 || inet_pton(AF_INET6, s.c_str(), b) == 1;
}

struct Address {
  sockaddr_storage ss{};
  socklen_t len = 0;
  std::string text;  // "127.0.0.1:6443", "[::1]:6443"
};

Address make_address(const sockaddr* sa, socklen_t len, int port) {
  Address a;
  std::memcpy(&a.ss, sa, len);
  a.len = len;
  char ip[INET6_ADDRSTRLEN] = "";
  if (sa->sa_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&a.ss);
    in->sin_port = htons(static_cast<uint16_t>(port));
    inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
    a.text = std::string(ip) + ":" + std::to_string(port);
  } else {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&a.ss);
    in6->sin6_port = htons(static_cast<uint16_t>(port));
    inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
    a.text = "[" + std::string(ip) + "]:" + std::to_string(port);
  }
  return a;
}

// host's addresses, IPv4 first; an IP literal without a resolver call.
bool resolve(const std::string& host, int port, std::vector<Address>& out) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  if (inet_pton(AF_INET, host.c_str(), &in.sin_addr) == 1) {
    out.push_back(make_address(reinterpret_cast<sockaddr*>(&in), sizeof in, port));
    return true;
  }
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  if (inet_pton(AF_INET6, host.c_str(), &in6.sin6_addr) == 1) {
    out.push_back(make_address(reinterpret_cast<sockaddr*>(&in6), sizeof in6, port));
    return true;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res) return false;
  for (auto* p = res; p; p = p->ai_next)
    if (p->ai_family == AF_INET || p->ai_family == AF_INET6) out.push_back(make_address(p->ai_addr, p->ai_addrlen, port));
  freeaddrinfo(res);
  std::stable_partition(out.begin(), out.end(), [](const Address& a) { return a.ss.ss_family == AF_INET; });
  return !out.empty();
}

// Go's net.Dial text for a failed connect.
std::string dial_error_text(const std::string& addr, int err) {
  if (err == ETIMEDOUT || err == EINPROGRESS || err == EAGAIN) return "dial tcp " + addr + ": i/o timeout";
  std::string text = err == ECONNREFUSED   ? "connection refused"
                     : err == EHOSTUNREACH ? "no route to host"
                     : err == ENETUNREACH  ? "network is unreachable"
                                           : std::strerror(err);
  return "dial tcp " + addr + ": connect: " + text;
}

timeval to_timeval(double seconds) {
  timeval tv{};
  auto us = static_cast<long long>(seconds * 1e6);
  tv.tv_sec = static_cast<time_t>(us / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(us % 1000000);
  return tv;
}

void set_timeout(int fd, int opt, double seconds) {
  timeval tv = to_timeval(seconds);
  setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof tv);
}

}  // namespace

std::string dns_server_address() {
  std::ifstream in("/etc/resolv.conf");
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string key, addr;
    if (words >> key >> addr && key == "nameserver")
      return addr.find(':') != std::string::npos ? "[" + addr + "]:53" : addr + ":53";
  }
  return "127.0.0.1:53";
}

std::unique_ptr<HttpConnection> HttpConnection::dial(const std::string& host, int port, double connect_timeout,
                                                     TransportError& err) {
  err = {};
  std::vector<Address> addrs;
  if (!resolve(host, port, addrs)) {
    err = TransportError::make(TransportError::Kind::kDns,
                               "dial tcp: lookup " + host + " on " + dns_server_address() + ": no such host");
    return nullptr;
  }
  // Go reports the first address's failure.
  for (const Address& a : addrs) {
    int fd = ::socket(a.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int e = 0;
    if (fd < 0) {
      e = errno;
    } else {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      // A blocking connect gives up after SO_SNDTIMEO (EINPROGRESS).
      set_timeout(fd, SO_SNDTIMEO, connect_timeout);
      while (::connect(fd, reinterpret_cast<const sockaddr*>(&a.ss), a.len) != 0) {
        if (errno == EINTR) continue;
        e = errno;
        break;
      }
      if (e == 0) {
        std::unique_ptr<HttpConnection> c(new HttpConnection(fd));
        c->snd_timeout_ = connect_timeout;
        c->remote_ = a.text;
        return c;
      }
      ::close(fd);
    }
    if (!err) {
      err = TransportError::make(TransportError::Kind::kDial, dial_error_text(a.text, e));
      err.refused = e == ECONNREFUSED;
    }
  }
  return nullptr;
}

HttpConnection::~HttpConnection() {
  if (ssl_) SSL_free(ssl_);
  if (fd_ >= 0) ::close(fd_);
}

void HttpConnection::set_io_timeout(double seconds) {
  if (snd_timeout_ != seconds) set_timeout(fd_, SO_SNDTIMEO, seconds);
  if (rcv_timeout_ != seconds) set_timeout(fd_, SO_RCVTIMEO, seconds);
  snd_timeout_ = rcv_timeout_ = seconds;
}

TransportError HttpConnection::start_tls(SSL_CTX* ctx, const std::string& name, bool verify) {
  ssl_ = SSL_new(ctx);
  BIO* bio = ssl_ ? BIO_new(socket_bio_method()) : nullptr;
  if (!bio) {
    ERR_clear_error();
    return TransportError::make(TransportError::Kind::kTls, "tls: internal error");
  }
  io_ = new SocketIo;
  io_->fd = fd_;
  BIO_set_data(bio, io_);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl_, bio, bio);
  bool ip = is_ip_literal(name);
  if (!ip) SSL_set_tlsext_host_name(ssl_, name.c_str());  // Go sends no SNI for an IP
  if (verify) {
    SSL_set_verify(ssl_, SSL_VERIFY_PEER, nullptr);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    X509_VERIFY_PARAM_set_hostflags(param, kX509HostFlags);
    if (ip)
      X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
    else
      X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
  }
  if (rcv_timeout_ != kTlsHandshakeTimeout) {
    set_timeout(fd_, SO_RCVTIMEO, kTlsHandshakeTimeout);
    rcv_timeout_ = kTlsHandshakeTimeout;
  }
  io_->last_errno = 0;
  int ret = SSL_connect(ssl_);
  if (ret == 1) return {};
  if (verify && SSL_get_verify_result(ssl_) != X509_V_OK) {
    // Go checks the name before the chain: a mismatch is what it reports first.
    std::string name_error;
    STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl_);
    if (chain && sk_X509_num(chain) > 0) name_error = x509_name_error(sk_X509_value(chain, 0), name);
    ERR_clear_error();
    return TransportError::make(TransportError::Kind::kTls,
                                "tls: failed to verify certificate: " +
                                    (name_error.empty() ? "x509: certificate signed by unknown authority" : name_error));
  }
  if (io_->last_errno == EAGAIN || io_->last_errno == EWOULDBLOCK) {
    ERR_clear_error();
    return TransportError::make(TransportError::Kind::kTls, "net/http: TLS handshake timeout");
  }
  if (io_->last_errno == ECONNRESET) {
    ERR_clear_error();
    TransportError e = io_error("read", ECONNRESET);
    e.kind = TransportError::Kind::kTls;
    return e;
  }
  if (io_->first_len == 5 && std::memcmp(io_->first, "HTTP/", 5) == 0) {
    ERR_clear_error();
    return TransportError::make(TransportError::Kind::kTls, "http: server gave HTTP response to HTTPS client");
  }
  return TransportError::make(TransportError::Kind::kTls, tls_handshake_error(ssl_, ret));
}

TransportError HttpConnection::io_error(const char* op, int err) const {
  using K = TransportError::Kind;
  bool reading = op[0] == 'r';
  if (err == EAGAIN || err == EWOULDBLOCK) return TransportError::make(K::kTimeout, std::string(op) + ": i/o timeout");
  std::string text = err == ECONNRESET ? "connection reset by peer" : err == EPIPE ? "broken pipe" : std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  text = std::string(op) + ": " + text;
  // Go's net.OpError names both ends: "read tcp 127.0.0.1:40000->127.0.0.1:6443: read: ...".
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) == 0 &&
      (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)) {
    int port = ntohs(ss.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&ss)->sin_port
                                             : reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    text = std::string(op) + " tcp " + make_address(reinterpret_cast<sockaddr*>(&ss), len, port).text + "->" +
           remote_ + ": " + text;
  }
  return TransportError::make(reading ? K::kRead : K::kWrite, text);
}

long HttpConnection::read(char* buf, size_t size, TransportError& err) {
  if (!ssl_) {
    for (;;) {
      ssize_t n = ::recv(fd_, buf, size, 0);
      if (n >= 0) return static_cast<long>(n);
      if (errno == EINTR) continue;
      err = io_error("read", errno);
      return -1;
    }
  }
  io_->last_errno = 0;
  int n = SSL_read(ssl_, buf, static_cast<int>(std::min<size_t>(size, 1 << 30)));
  if (n > 0) return n;
  int code = SSL_get_error(ssl_, n);
  if (code == SSL_ERROR_ZERO_RETURN || (code == SSL_ERROR_SYSCALL && io_->last_errno == 0)) {
    ERR_clear_error();
    return 0;
  }
  if (io_->last_errno != 0) {
    ERR_clear_error();
    err = io_error("read", io_->last_errno);
    return -1;
  }
  err = TransportError::make(TransportError::Kind::kRead, tls_handshake_error(ssl_, n));
  return -1;
}

TransportError HttpConnection::write_all(const char* data, size_t size, size_t& written) {
  written = 0;
  while (written < size) {
    if (!ssl_) {
      ssize_t n = ::send(fd_, data + written, size - written, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return io_error("write", errno);
      written += static_cast<size_t>(n);
      continue;
    }
    io_->last_errno = 0;
    int n = SSL_write(ssl_, data + written, static_cast<int>(std::min<size_t>(size - written, 1 << 30)));
    if (n <= 0) {
      int e = io_->last_errno;
      ERR_clear_error();
      return io_error("write", e ? e : EPIPE);
    }
    written += static_cast<size_t>(n);
  }
  return {};
}

bool HttpConnection::idle_broken() const {
  if (ssl_ && SSL_has_pending(ssl_)) return true;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

}  // namespace kapi::client
