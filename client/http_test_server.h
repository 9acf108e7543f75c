#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 for the client's unit tests: each connection runs a
// handler on a thread of its own (plain TCP, or TLS with a server context).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kapi::client::testing {

// One accepted connection of the test server (TLS when the server has a context).
struct Peer {
  int fd = -1;
  SSL* ssl = nullptr;
  std::string buf;

  long recv_some(char* b, size_t n) { return ssl ? SSL_read(ssl, b, static_cast<int>(n)) : ::recv(fd, b, n, 0); }
  // The next request (head and Content-Length body), or "" when the client closed.
  std::string read_request() {
    for (;;) {
      size_t end = buf.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t cl = 0, at = buf.find("Content-Length: ");
        if (at != std::string::npos && at < end) cl = std::stoul(buf.substr(at + 16));
        if (buf.size() >= end + 4 + cl) {
          std::string req = buf.substr(0, end + 4 + cl);
          buf.erase(0, end + 4 + cl);
          return req;
        }
      }
      char b[4096];
      long n = recv_some(b, sizeof b);
      if (n <= 0) return "";
      buf.append(b, static_cast<size_t>(n));
    }
  }
  void write(const std::string& s) {
    if (ssl)
      SSL_write(ssl, s.data(), static_cast<int>(s.size()));
    else
      (void)!::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
  }
};

// A server on 127.0.0.1 running `handler` for each connection on a thread of its own.
class TestServer {
 public:
  using Handler = std::function<void(Peer&, int index)>;
  explicit TestServer(Handler handler, SSL_CTX* tls = nullptr) : handler_(std::move(handler)), tls_(tls) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] {
      for (int i = 0;; ++i) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        accepts_++;
        threads_.emplace_back([this, c, i] {
          Peer p;
          p.fd = c;
          if (tls_) {
            p.ssl = SSL_new(tls_);
            SSL_set_fd(p.ssl, c);
            if (SSL_accept(p.ssl) != 1) {
              SSL_free(p.ssl);
              ::close(c);
              return;
            }
            std::lock_guard<std::mutex> lock(mu_);
            const char* sni = SSL_get_servername(p.ssl, TLSEXT_NAMETYPE_host_name);
            sni_ = sni ? sni : "";
            X509* peer = SSL_get1_peer_certificate(p.ssl);
            client_cert_ = peer != nullptr;
            X509_free(peer);
          }
          handler_(p, i);
          if (p.ssl) SSL_free(p.ssl);
          ::close(c);
        });
      }
    });
  }
  ~TestServer() {
    ::shutdown(fd_, SHUT_RDWR);
    acceptor_.join();
    for (auto& t : threads_) t.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  int accepts() const { return accepts_; }
  std::string sni() {
    std::lock_guard<std::mutex> lock(mu_);
    return sni_;
  }
  bool client_cert() {
    std::lock_guard<std::mutex> lock(mu_);
    return client_cert_;
  }

 private:
  Handler handler_;
  SSL_CTX* tls_;
  int fd_ = -1, port_ = 0;
  std::atomic<int> accepts_{0};
  std::thread acceptor_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::string sni_;
  bool client_cert_ = false;
};

}  // namespace kapi::client::testing
