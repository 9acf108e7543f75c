// The whole server over real sockets: plain TCP and TLS (1.2 and 1.3), streaming, many held
// connections, and stop() with connections still open.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "pkg/tls/cert.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/test_temp_dir.h"
#include "pkg/http/http.h"

namespace kapi::http {
namespace {

using namespace std::chrono_literals;

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// Reads until `until` appears (or EOF / 5 s timeout); everything read.
std::string read_until(int fd, std::string_view until, SSL* ssl = nullptr) {
  std::string out;
  char buf[4096];
  while (out.find(until) == std::string::npos) {
    int n = ssl ? SSL_read(ssl, buf, sizeof buf) : static_cast<int>(::recv(fd, buf, sizeof buf, 0));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

void send_all(int fd, std::string_view s) { ASSERT_EQ(::send(fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size())); }

class Running {
 public:
  Running(HttpServerOptions o, HttpHandler h) {
    o.port = 0;
    o.bind_address = "127.0.0.1";
    server_ = new_http_server(o, std::move(h));
    std::string err;
    ok_ = server_->bind(&err);
    EXPECT_TRUE(ok_) << err;
    if (ok_) serving_ = std::async(std::launch::async, [this] { server_->serve(); });
  }
  ~Running() { stop(); }
  int port() const { return server_->port(); }
  // Stops the server; false if serve() did not return within 5 s.
  bool stop() {
    if (!ok_) return true;
    ok_ = false;
    server_->stop();
    return serving_.wait_for(5s) == std::future_status::ready;
  }

 private:
  std::unique_ptr<HttpServer> server_;
  std::future<void> serving_;
  bool ok_ = false;
};

void hello(const HttpRequest& req, HttpResponse& res) {
  res.content_type = "text/plain";
  res.body = "hello " + req.path;
}

TEST(HttpServer, PlainKeepAlive) {
  Running s({}, hello);
  int fd = connect_to(s.port());
  send_all(fd, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(read_until(fd, "hello /a").find("hello /a"), std::string::npos);
  send_all(fd, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");  // same connection
  EXPECT_NE(read_until(fd, "hello /b").find("hello /b"), std::string::npos);
  ::close(fd);
}

TEST(HttpServer, ChunksAreFlushedAsWritten) {
  std::promise<void> client_saw_first;
  auto saw = client_saw_first.get_future();
  Running s({}, [&](const HttpRequest&, HttpResponse& res) {
    res.stream = [&](const ChunkWriter& w) {
      w("{\"event\":1}\n");
      // The second event waits for the client to have received the first one.
      if (saw.wait_for(5s) == std::future_status::ready) w("{\"event\":2}\n");
    };
  });
  int fd = connect_to(s.port());
  send_all(fd, "GET /watch HTTP/1.1\r\n\r\n");
  std::string first = read_until(fd, "{\"event\":1}\n\r\n");
  EXPECT_NE(first.find("Transfer-Encoding: chunked"), std::string::npos);
  ASSERT_NE(first.find("c\r\n{\"event\":1}\n\r\n"), std::string::npos) << first;
  client_saw_first.set_value();
  std::string rest = read_until(fd, "0\r\n\r\n");
  EXPECT_NE(rest.find("c\r\n{\"event\":2}\n\r\n0\r\n\r\n"), std::string::npos) << rest;
  ::close(fd);
}

TEST(HttpServer, IdleStreamNoticesTheClientLeaving) {
  // The watch's keep-alive probe: an empty write is false once the client has closed, even
  // though nothing was written (TLS: its close_notify is still unread before the FIN).
  std::promise<void> gone;
  auto gone_f = gone.get_future();
  Running s({}, [&](const HttpRequest&, HttpResponse& res) {
    res.stream = [&](const ChunkWriter& w) {
      w("x");
      for (int i = 0; i < 500 && w(""); ++i) std::this_thread::sleep_for(10ms);
      gone.set_value();
    };
  });
  int fd = connect_to(s.port());
  send_all(fd, "GET /watch HTTP/1.1\r\n\r\n");
  read_until(fd, "1\r\nx\r\n");
  EXPECT_EQ(gone_f.wait_for(200ms), std::future_status::timeout);  // still there: probes pass
  send_all(fd, "unread bytes before the FIN");
  ::close(fd);
  EXPECT_EQ(gone_f.wait_for(2s), std::future_status::ready);
}

TEST(HttpServer, ManyHeldConnectionsDoNotStarveOthers) {
  std::atomic<bool> release{false};
  Running s({}, [&](const HttpRequest& req, HttpResponse& res) {
    if (req.path != "/watch") return hello(req, res);
    res.stream = [&](const ChunkWriter& w) {
      w("started\n");
      while (!release) std::this_thread::sleep_for(5ms);
    };
  });
  std::vector<int> watchers;
  for (int i = 0; i < 250; ++i) {
    watchers.push_back(connect_to(s.port()));
    send_all(watchers.back(), "GET /watch HTTP/1.1\r\n\r\n");
  }
  for (int fd : watchers) ASSERT_NE(read_until(fd, "started").find("started"), std::string::npos);
  // A client that connects and says nothing holds only its own thread.
  int silent = connect_to(s.port());
  auto start = std::chrono::steady_clock::now();
  int fd = connect_to(s.port());
  send_all(fd, "GET /ready HTTP/1.1\r\n\r\n");
  EXPECT_NE(read_until(fd, "hello /ready").find("hello /ready"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  release = true;
  for (int w : watchers) ::close(w);
  ::close(fd);
  ::close(silent);
}

TEST(HttpServer, StopEndsIdleAndBlockedConnections) {
  Running s({}, [](const HttpRequest& req, HttpResponse& res) {
    if (req.path != "/flood") return hello(req, res);
    // Writes until the unread client's socket buffers are full, then blocks in the write.
    res.stream = [](const ChunkWriter& w) {
      std::string mb(1 << 20, 'x');
      while (w(mb)) {
      }
    };
  });
  int idle = connect_to(s.port());
  send_all(idle, "GET /a HTTP/1.1\r\n\r\n");
  read_until(idle, "hello /a");
  int flood = connect_to(s.port());
  send_all(flood, "GET /flood HTTP/1.1\r\n\r\n");
  std::this_thread::sleep_for(200ms);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(s.stop());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  char c;
  EXPECT_EQ(::recv(idle, &c, 1, 0), 0);  // the idle keep-alive connection was closed
  ::close(idle);
  ::close(flood);
}

class TlsServer : public ::testing::Test {
 protected:
  void SetUp() override {
    tls::CertSpec ca_spec;
    ca_spec.cn = "test-ca";
    ca_spec.validity = tls::kCaValidity;
    ca_ = *tls::new_ca(ca_spec);
    tls::CertSpec srv;
    srv.cn = "kube-apiserver";
    srv.ips = {"127.0.0.1"};
    srv.server = true;
    auto server = *tls::new_signed_cert(srv, ca_);
    tls::CertSpec cli;
    cli.cn = "alice";
    cli.client = true;
    client_ = *tls::new_signed_cert(cli, ca_);
    ASSERT_TRUE(tls::write_file_atomic(dir_.file("s.crt"), server.cert_pem).ok());
    ASSERT_TRUE(tls::write_file_atomic(dir_.file("s.key"), server.key_pem, 0600).ok());
    ASSERT_TRUE(tls::write_file_atomic(dir_.file("ca.crt"), ca_.cert_pem).ok());
    opts_.cert_file = dir_.file("s.crt");
    opts_.key_file = dir_.file("s.key");
    opts_.client_ca_file = dir_.file("ca.crt");
  }

  // A TLS client of the given version, with or without the client certificate.
  SSL* handshake(int fd, int version, bool client_cert) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, version);
    SSL_CTX_set_max_proto_version(ctx, version);
    if (client_cert) {
      BIO* cb = BIO_new_mem_buf(client_.cert_pem.data(), static_cast<int>(client_.cert_pem.size()));
      BIO* kb = BIO_new_mem_buf(client_.key_pem.data(), static_cast<int>(client_.key_pem.size()));
      X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
      EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
      SSL_CTX_use_certificate(ctx, cert);
      SSL_CTX_use_PrivateKey(ctx, key);
      X509_free(cert);
      EVP_PKEY_free(key);
      BIO_free(cb);
      BIO_free(kb);
    }
    SSL* ssl = SSL_new(ctx);
    SSL_CTX_free(ctx);  // the SSL keeps a reference
    SSL_set_fd(ssl, fd);
    EXPECT_EQ(SSL_connect(ssl), 1);
    return ssl;
  }

  tls::testing::TempDir dir_;
  tls::CertKeyPair ca_, client_;
  HttpServerOptions opts_;
};

TEST_F(TlsServer, Tls12And13WithAndWithoutClientCertificate) {
  Running s(opts_, [](const HttpRequest& req, HttpResponse& res) {
    X509* peer = req.ssl ? SSL_get1_peer_certificate(req.ssl) : nullptr;
    res.body = std::string(req.ssl ? "tls " : "plain ") + (peer ? "cert" : "anonymous");
    if (peer) X509_free(peer);
  });
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool cert : {true, false}) {
      int fd = connect_to(s.port());
      SSL* ssl = handshake(fd, version, cert);
      EXPECT_EQ(SSL_version(ssl), version);
      std::string req = "GET / HTTP/1.1\r\n\r\n";
      SSL_write(ssl, req.data(), static_cast<int>(req.size()));
      std::string want = cert ? "tls cert" : "tls anonymous";
      EXPECT_NE(read_until(fd, want, ssl).find(want), std::string::npos) << version << cert;
      SSL_write(ssl, req.data(), static_cast<int>(req.size()));  // keep-alive over TLS
      EXPECT_NE(read_until(fd, want, ssl).find(want), std::string::npos);
      SSL_free(ssl);
      ::close(fd);
    }
  }
}

TEST_F(TlsServer, IdleStreamNoticesTheClientLeaving) {
  std::promise<void> gone;
  auto gone_f = gone.get_future();
  Running s(opts_, [&](const HttpRequest&, HttpResponse& res) {
    res.stream = [&](const ChunkWriter& w) {
      w("x");
      for (int i = 0; i < 500 && w(""); ++i) std::this_thread::sleep_for(10ms);
      gone.set_value();
    };
  });
  int fd = connect_to(s.port());
  SSL* ssl = handshake(fd, TLS1_3_VERSION, true);
  std::string req = "GET /watch HTTP/1.1\r\n\r\n";
  SSL_write(ssl, req.data(), static_cast<int>(req.size()));
  read_until(fd, "1\r\nx\r\n", ssl);
  EXPECT_EQ(gone_f.wait_for(200ms), std::future_status::timeout);
  SSL_shutdown(ssl);  // close_notify, as Go's tls.Conn.Close, then the FIN
  SSL_free(ssl);
  ::close(fd);
  EXPECT_EQ(gone_f.wait_for(2s), std::future_status::ready);
}

TEST_F(TlsServer, PlainHttpGetsGosAnswer) {
  Running s(opts_, hello);
  for (std::string req : {"GET / HTTP/1.1\r\n\r\n", "OPTIONS / HTTP/1.1\r\n\r\n", "POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"}) {
    int fd = connect_to(s.port());
    send_all(fd, req);
    EXPECT_EQ(read_until(fd, "\x01"), "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
    ::close(fd);
  }
}

TEST_F(TlsServer, SilentClientDoesNotBlockHandshakes) {
  Running s(opts_, hello);
  int silent = connect_to(s.port());
  send_all(silent, "\x16\x03");  // the start of a record header, then nothing
  int fd = connect_to(s.port());
  SSL* ssl = handshake(fd, TLS1_3_VERSION, true);
  std::string req = "GET /ok HTTP/1.1\r\n\r\n";
  SSL_write(ssl, req.data(), static_cast<int>(req.size()));
  EXPECT_NE(read_until(fd, "hello /ok", ssl).find("hello /ok"), std::string::npos);
  SSL_free(ssl);
  ::close(fd);
  EXPECT_TRUE(s.stop());  // also ends the silent one's wait
  ::close(silent);
}

TEST_F(TlsServer, BadCertificateFailsBind) {
  opts_.key_file = dir_.file("missing.key");
  auto server = new_http_server(opts_, hello);
  std::string err;
  EXPECT_FALSE(server->bind(&err));
  EXPECT_EQ(err.rfind("cannot set up TLS: ", 0), 0u) << err;
}

}  // namespace
}  // namespace kapi::http
