#include "client/http_client.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "client/http_test_server.h"
#include "client/tls_client_context.h"
#include "pkg/tls/cert.h"
#include "pkg/tls/server_ctx.h"

namespace kapi::client {
namespace {

using testing::Peer;
using testing::TestServer;

const std::string kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

void answer_all(Peer& p, int) {
  while (!p.read_request().empty()) p.write(kOk);
}

HttpRequest get(const std::string& method = "GET") {
  HttpRequest r;
  r.method = method;
  r.target = "/version";
  r.host = "127.0.0.1";
  return r;
}

struct Outcome {
  TransportError err;
  int status = 0;
  std::string body;
};

Outcome run(HttpClient& c, const HttpRequest& r) {
  Outcome o;
  bool got_head = false;
  o.err = c.round_trip(
      r, [&](const HttpResponseHead& h) { o.status = h.status; },
      [&](const char* d, size_t n) { return o.body.append(d, n), true; }, got_head);
  return o;
}

HttpEndpoint plain(int port) {
  HttpEndpoint ep;
  ep.host = "127.0.0.1";
  ep.port = port;
  return ep;
}

TEST(HttpClient, OneKeptAliveConnection) {
  TestServer s(answer_all);
  HttpClient c(plain(s.port()));
  for (int i = 0; i < 3; ++i) {
    auto o = run(c, get());
    EXPECT_FALSE(o.err) << o.err.text;
    EXPECT_EQ(o.body, "ok");
  }
  EXPECT_EQ(s.accepts(), 1);
}

TEST(HttpClient, IdleConnectionClosedByTheServerIsReplaced) {
  TestServer s([](Peer& p, int) {
    if (!p.read_request().empty()) p.write(kOk);
  });
  HttpClient c(plain(s.port()));
  EXPECT_FALSE(run(c, get()).err);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the server's FIN arrives
  for (const char* m : {"GET", "POST"}) {
    auto o = run(c, get(m));
    EXPECT_FALSE(o.err) << m << ": " << o.err.text;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(s.accepts(), 3);
}

TEST(HttpClient, UnaskedBytesRetireTheConnection) {
  TestServer s([](Peer& p, int index) {
    for (std::string r; !(r = p.read_request()).empty();) p.write(index == 0 ? kOk + "junk" : kOk);
  });
  HttpClient c(plain(s.port()));
  for (int i = 0; i < 2; ++i) {
    auto o = run(c, get());
    EXPECT_FALSE(o.err) << o.err.text;
    EXPECT_EQ(o.body, "ok");
  }
  EXPECT_EQ(s.accepts(), 2);
}

// The server takes the second request on a connection and closes it unanswered: a GET is sent
// again on a new connection, a POST is not (Go's rule: it may have been acted on).
TEST(HttpClient, RetryOnceOnlyReplayableRequests) {
  auto handler = [](Peer& p, int index) {
    if (p.read_request().empty()) return;
    p.write(kOk);
    if (index == 0) (void)p.read_request();
    else answer_all(p, index);
  };
  {
    TestServer s(handler);
    HttpClient c(plain(s.port()));
    EXPECT_FALSE(run(c, get()).err);
    auto o = run(c, get());
    EXPECT_FALSE(o.err) << o.err.text;
    EXPECT_EQ(o.body, "ok");
    EXPECT_EQ(s.accepts(), 2);
  }
  {
    TestServer s(handler);
    HttpClient c(plain(s.port()));
    EXPECT_FALSE(run(c, get()).err);
    auto o = run(c, get("POST"));
    EXPECT_EQ(o.err.kind, TransportError::Kind::kEof);
    EXPECT_EQ(o.err.text, "EOF");
    EXPECT_EQ(s.accepts(), 1);
    EXPECT_FALSE(c.connected());
  }
}

TEST(HttpClient, DialErrors) {
  int port;
  {
    TestServer s(answer_all);
    port = s.port();
  }
  HttpClient c(plain(port));
  auto o = run(c, get());
  EXPECT_EQ(o.err.kind, TransportError::Kind::kDial);
  EXPECT_TRUE(o.err.refused);
  EXPECT_EQ(o.err.text, "dial tcp 127.0.0.1:" + std::to_string(port) + ": connect: connection refused");
}

TEST(HttpClient, ResetNamesBothEnds) {
  TestServer s([](Peer& p, int) {
    (void)p.read_request();
    linger l{1, 0};  // close with RST
    setsockopt(p.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  });
  HttpClient c(plain(s.port()));
  auto o = run(c, get());
  EXPECT_EQ(o.err.kind, TransportError::Kind::kRead);
  std::string want = "->127.0.0.1:" + std::to_string(s.port()) + ": read: connection reset by peer";
  EXPECT_EQ(o.err.text.rfind("read tcp 127.0.0.1:", 0), 0u) << o.err.text;
  EXPECT_NE(o.err.text.find(want), std::string::npos) << o.err.text;
}

TEST(HttpClient, ReadTimeout) {
  TestServer s([](Peer& p, int) {
    (void)p.read_request();
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
  });
  HttpEndpoint ep = plain(s.port());
  ep.io_timeout = 0.2;
  HttpClient c(ep);
  auto o = run(c, get());
  EXPECT_EQ(o.err.kind, TransportError::Kind::kTimeout) << o.err.text;
}

TEST(HttpClient, StreamsChunksAsTheyArrive) {
  std::atomic<bool> first_seen{false};
  std::atomic<bool> streamed{false};
  TestServer s([&](Peer& p, int) {
    (void)p.read_request();
    p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nline1\n\r\n");
    for (int i = 0; i < 500 && !first_seen; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    streamed = first_seen.load();
    p.write("6\r\nline2\n\r\n");
    (void)p.read_request();  // held open until the client drops the connection
  });
  HttpClient c(plain(s.port()));
  std::string got;
  bool got_head = false;
  auto err = c.round_trip(
      get(), nullptr,
      [&](const char* d, size_t n) {
        got.append(d, n);
        first_seen = true;
        return got.find("line2") == std::string::npos;  // stop after the second line
      },
      got_head);
  EXPECT_FALSE(err) << err.text;
  EXPECT_TRUE(streamed);
  EXPECT_EQ(got, "line1\nline2\n");
  EXPECT_FALSE(c.connected()) << "a stopped stream drops the connection";
}

// TLS against a CA-signed server certificate for localhost and 127.0.0.1.
class HttpClientTls : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = tls::new_ca({.cn = "test-ca"});
    auto other = tls::new_ca({.cn = "other-ca"});
    ASSERT_TRUE(ca.ok() && other.ok());
    ca_ = *ca;
    other_ca_ = *other;
    auto server = tls::new_signed_cert({.cn = "server", .dns = {"localhost"}, .ips = {"127.0.0.1"}, .server = true}, ca_);
    auto client = tls::new_signed_cert({.cn = "admin", .client = true}, ca_);
    ASSERT_TRUE(server.ok() && client.ok());
    client_ = *client;
    server_ctx_ = SSL_CTX_new(TLS_server_method());
    ASSERT_TRUE(tls::configure_server_ctx_pem(server_ctx_, server->cert_pem, server->key_pem, ca_.cert_pem).ok());
  }
  void TearDown() override { SSL_CTX_free(server_ctx_); }

  Outcome fetch(TestServer& s, const TlsClientOptions& o, const std::string& name, bool verify = true) {
    auto ctx = new_tls_client_context(o);
    EXPECT_TRUE(ctx.ok());
    if (!ctx.ok()) return {};
    HttpEndpoint ep = plain(s.port());
    ep.tls = ctx->get();
    ep.tls_name = name;
    ep.verify = verify;
    HttpClient c(ep);
    return run(c, get());
  }

  tls::CertKeyPair ca_, other_ca_, client_;
  SSL_CTX* server_ctx_ = nullptr;
};

TEST_F(HttpClientTls, VerifiesTheChainAndTheName) {
  TestServer s(answer_all, server_ctx_);
  auto o = fetch(s, {.ca_pem = ca_.cert_pem}, "127.0.0.1");
  EXPECT_FALSE(o.err) << o.err.text;
  EXPECT_EQ(o.body, "ok");
  EXPECT_EQ(s.sni(), "") << "no SNI for an IP address";
  EXPECT_FALSE(s.client_cert());

  o = fetch(s, {.ca_pem = ca_.cert_pem}, "localhost");
  EXPECT_FALSE(o.err) << o.err.text;
  EXPECT_EQ(s.sni(), "localhost");

  o = fetch(s, {.ca_pem = ca_.cert_pem}, "wrong.example");
  EXPECT_EQ(o.err.text, "tls: failed to verify certificate: x509: certificate is valid for localhost, not wrong.example");
  o = fetch(s, {.ca_pem = ca_.cert_pem}, "127.0.0.2");
  EXPECT_EQ(o.err.text, "tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, not 127.0.0.2");
  o = fetch(s, {.ca_pem = other_ca_.cert_pem}, "localhost");
  EXPECT_EQ(o.err.text, "tls: failed to verify certificate: x509: certificate signed by unknown authority");
  o = fetch(s, {.ca_pem = other_ca_.cert_pem}, "wrong.example");
  EXPECT_EQ(o.err.text, "tls: failed to verify certificate: x509: certificate is valid for localhost, not wrong.example")
      << "the name is checked before the chain";
  o = fetch(s, {.ca_pem = other_ca_.cert_pem, .insecure = true}, "wrong.example", false);
  EXPECT_FALSE(o.err) << o.err.text;
}

TEST_F(HttpClientTls, ClientCertificate) {
  TestServer s(answer_all, server_ctx_);
  auto o = fetch(s, {.cert_pem = client_.cert_pem, .key_pem = client_.key_pem, .ca_pem = ca_.cert_pem}, "localhost");
  EXPECT_FALSE(o.err) << o.err.text;
  EXPECT_TRUE(s.client_cert());
}

TEST_F(HttpClientTls, PlainServer) {
  TestServer s([](Peer& p, int) { p.write("SSH-2.0-OpenSSH_9.2\r\n"); });
  auto o = fetch(s, {.ca_pem = ca_.cert_pem}, "localhost");
  EXPECT_EQ(o.err.text, "tls: first record does not look like a TLS handshake");
}

TEST_F(HttpClientTls, HttpServer) {
  TestServer s([](Peer& p, int) { p.write("HTTP/1.1 400 Bad Request\r\n\r\n"); });
  auto o = fetch(s, {.ca_pem = ca_.cert_pem}, "localhost");
  EXPECT_EQ(o.err.text, "http: server gave HTTP response to HTTPS client");
}

TEST(TlsClientContext, Errors) {
  EXPECT_EQ(new_tls_client_context({.ca_pem = "junk"}).error().message,
            "unable to load root certificates: unable to parse bytes as PEM block");
  EXPECT_EQ(new_tls_client_context({.cert_pem = "junk", .key_pem = "junk"}).error().message,
            "tls: failed to find any PEM data in certificate input");
}

}  // namespace
}  // namespace kapi::client
