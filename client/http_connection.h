#pragma once
// One TCP connection, optionally with TLS on top, as the client's HTTP layer uses it: blocking
// I/O with kernel timeouts (SO_SNDTIMEO for the connect and writes, SO_RCVTIMEO for reads), so a
// request costs no poll() calls, and failures in Go's words ("dial tcp 127.0.0.1:1: connect:
// connection refused", "tls: failed to verify certificate: x509: ..."). Writes never raise
// SIGPIPE (MSG_NOSIGNAL, also under TLS). Not thread-safe.
#include <memory>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;  // as <openssl/types.h>
typedef struct ssl_st SSL;

namespace kapi::client {

struct SocketIo;

struct TransportError {
  enum class Kind {
    kNone,
    kDns,      // the host name did not resolve
    kDial,     // connect failed (refused, unreachable, timed out)
    kTls,      // the TLS handshake or the certificate check failed
    kWrite,    // sending the request failed
    kRead,     // reading the answer failed (reset, ...)
    kTimeout,  // a read or write took longer than the I/O timeout
    kEof,      // the peer closed the connection
  };
  Kind kind = Kind::kNone;
  std::string text;      // Go's error text
  bool refused = false;  // kDial: ECONNREFUSED
  explicit operator bool() const { return kind != Kind::kNone; }
  static TransportError make(Kind kind, std::string text) {
    TransportError e;
    e.kind = kind;
    e.text = std::move(text);
    return e;
  }
};

// Go's resolver error names the DNS server it asked: the first nameserver of /etc/resolv.conf
// ("127.0.0.1:53" without one).
std::string dns_server_address();

class HttpConnection {
 public:
  // Connects to host:port (an IP literal, or a name resolved with getaddrinfo; IPv4 addresses
  // first, as Go's dialer reports them), waiting at most `connect_timeout` seconds per address.
  // nullptr with `err` set on failure.
  static std::unique_ptr<HttpConnection> dial(const std::string& host, int port, double connect_timeout,
                                              TransportError& err);
  ~HttpConnection();  // closes the socket (no TLS close_notify: kubectl sends none either)
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // The TLS handshake as Go's crypto/tls client: SNI only for a DNS name; with `verify` the
  // chain is checked against `ctx`'s store and the certificate against `name` (DNS or IP SANs);
  // a name mismatch is reported before an unknown authority, as Go checks the name first.
  // The handshake may take 10 s (Go's TLSHandshakeTimeout in client-go).
  TransportError start_tls(SSL_CTX* ctx, const std::string& name, bool verify);

  // The timeout of every later read and write; 0 = none.
  void set_io_timeout(double seconds);

  // > 0: bytes read; 0: the peer closed; < 0: `err` says why.
  long read(char* buf, size_t size, TransportError& err);
  // All of data, or the error; `written` tells how much went out.
  TransportError write_all(const char* data, size_t size, size_t& written);

  // An idle kept-alive connection the server has closed (or sent something unasked on), as Go's
  // transport learns from its background read: one poll() with no wait.
  bool idle_broken() const;

  int fd() const { return fd_; }

 private:
  explicit HttpConnection(int fd) : fd_(fd) {}
  TransportError io_error(const char* op, int err) const;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  SocketIo* io_ = nullptr;  // owned by ssl_'s BIO
  std::string remote_;      // "127.0.0.1:6443", for error texts
  double snd_timeout_ = 0, rcv_timeout_ = 0;  // as set on the socket
};

}  // namespace kapi::client
