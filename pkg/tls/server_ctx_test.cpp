// In-memory TLS handshakes (BIO pair, one thread) between a server SSL_CTX set up by
// configure_server_ctx() and a client, then verify_peer() on the server end.
#include "pkg/tls/server_ctx.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "pkg/tls/cert.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/peer_verify.h"
#include "pkg/tls/test_temp_dir.h"

namespace kapi::tls {
namespace {

using testing::TempDir;

X509* pem_cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return x;
}

EVP_PKEY* pem_key(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return k;
}

class Handshake : public ::testing::Test {
 protected:
  void SetUp() override {
    CertSpec ca_spec;
    ca_spec.cn = "kubernetes";
    ca_spec.validity = kCaValidity;
    ca_ = *new_ca(ca_spec);
    CertSpec server;
    server.cn = "kube-apiserver";
    server.dns = {"localhost"};
    server.server = true;
    server_ = *new_signed_cert(server, ca_);
    CertSpec client;
    client.cn = "alice";
    client.orgs = {"dev", "ops"};
    client.client = true;
    client_ = *new_signed_cert(client, ca_);
    ASSERT_TRUE(write_file_atomic(dir_.file("server.crt"), server_.cert_pem).ok());
    ASSERT_TRUE(write_file_atomic(dir_.file("server.key"), server_.key_pem, 0600).ok());
    ASSERT_TRUE(write_file_atomic(dir_.file("ca.crt"), ca_.cert_pem).ok());
    auto pool = CaPool::load_file(dir_.file("ca.crt"));
    ASSERT_TRUE(pool.ok());
    pool_ = *pool;
  }

  void TearDown() override {
    if (server_ssl_) SSL_free(server_ssl_);
    if (client_ssl_) SSL_free(client_ssl_);
    if (sctx_) SSL_CTX_free(sctx_);
    if (cctx_) SSL_CTX_free(cctx_);
  }

  // Returns true if both ends completed the handshake.
  bool handshake(const std::string& client_ca_file, const CertKeyPair* client_cert,
                 const std::string& extra_chain = "", int client_max_version = 0) {
    sctx_ = SSL_CTX_new(TLS_server_method());
    auto s = configure_server_ctx(sctx_, dir_.file("server.crt"), dir_.file("server.key"),
                                  client_ca_file);
    EXPECT_TRUE(s.ok()) << s.error().message;
    cctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(cctx_, SSL_VERIFY_NONE, nullptr);
    if (client_max_version) SSL_CTX_set_max_proto_version(cctx_, client_max_version);
    if (client_cert) {
      X509* c = pem_cert(client_cert->cert_pem);
      EVP_PKEY* k = pem_key(client_cert->key_pem);
      EXPECT_EQ(SSL_CTX_use_certificate(cctx_, c), 1);
      EXPECT_EQ(SSL_CTX_use_PrivateKey(cctx_, k), 1);
      X509_free(c);
      EVP_PKEY_free(k);
      if (!extra_chain.empty()) {
        X509* i = pem_cert(extra_chain);
        EXPECT_EQ(SSL_CTX_add1_chain_cert(cctx_, i), 1);
        X509_free(i);
      }
    }
    server_ssl_ = SSL_new(sctx_);
    client_ssl_ = SSL_new(cctx_);
    BIO *sb = nullptr, *cb = nullptr;
    BIO_new_bio_pair(&sb, 0, &cb, 0);
    SSL_set_bio(server_ssl_, sb, sb);
    SSL_set_bio(client_ssl_, cb, cb);
    SSL_set_accept_state(server_ssl_);
    SSL_set_connect_state(client_ssl_);
    bool sdone = false, cdone = false;
    for (int i = 0; i < 50 && !(sdone && cdone); ++i) {
      if (!cdone) {
        int r = SSL_do_handshake(client_ssl_);
        if (r == 1) {
          cdone = true;
        } else {
          int e = SSL_get_error(client_ssl_, r);
          if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) break;
        }
      }
      if (!sdone) {
        int r = SSL_do_handshake(server_ssl_);
        if (r == 1) {
          sdone = true;
        } else {
          int e = SSL_get_error(server_ssl_, r);
          if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) break;
        }
      }
    }
    ERR_clear_error();
    return sdone && cdone;
  }

  TempDir dir_;
  CertKeyPair ca_, server_, client_;
  CaPool pool_;
  SSL_CTX* sctx_ = nullptr;
  SSL_CTX* cctx_ = nullptr;
  SSL* server_ssl_ = nullptr;
  SSL* client_ssl_ = nullptr;
};

TEST_F(Handshake, NoSessionTicketsAreIssued) {
  ASSERT_TRUE(handshake(dir_.file("ca.crt"), &client_));
  EXPECT_EQ(SSL_CTX_get_num_tickets(sctx_), 0u);
}

TEST_F(Handshake, ClientCertVerified) {
  ASSERT_TRUE(handshake(dir_.file("ca.crt"), &client_));
  EXPECT_GE(SSL_version(server_ssl_), TLS1_2_VERSION);
  // The acceptable-CA list reached the client.
  STACK_OF(X509_NAME)* names = SSL_get_client_CA_list(client_ssl_);
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(sk_X509_NAME_num(names), 1);
  auto id = verify_peer(server_ssl_, pool_);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->cn, "alice");
  EXPECT_EQ(id->orgs, (std::vector<std::string>{"dev", "ops"}));
}

TEST_F(Handshake, VerifiedIdentityIsRememberedWithTheConnection) {
  ASSERT_TRUE(handshake(dir_.file("ca.crt"), &client_));
  ASSERT_TRUE(verify_peer(server_ssl_, pool_).ok());
  // A pool that trusts nothing: the uncached check fails, the connection's remembered identity
  // still answers (later requests on a keep-alive connection skip the chain verification).
  CaPool empty;
  EXPECT_FALSE(verify_peer_uncached(server_ssl_, empty).ok());
  auto id = verify_peer(server_ssl_, empty);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->cn, "alice");
}

TEST_F(Handshake, FailedVerificationIsNotRemembered) {
  CaPool empty;
  ASSERT_TRUE(handshake(dir_.file("ca.crt"), &client_));
  EXPECT_FALSE(verify_peer(server_ssl_, empty).ok());
  EXPECT_TRUE(verify_peer(server_ssl_, pool_).ok());
}

TEST_F(Handshake, NoClientCertStillConnects) {
  ASSERT_TRUE(handshake(dir_.file("ca.crt"), nullptr));
  auto id = verify_peer(server_ssl_, pool_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kNoPeerCertificate);
}

TEST_F(Handshake, UntrustedClientCertAcceptedByHandshakeRejectedByVerify) {
  CertSpec other_spec;
  other_spec.cn = "evil-ca";
  auto other_ca = *new_ca(other_spec);
  CertSpec client;
  client.cn = "mallory";
  client.orgs = {"system:masters"};
  client.client = true;
  auto bad = *new_signed_cert(client, other_ca);
  ASSERT_TRUE(handshake(dir_.file("ca.crt"), &bad));
  auto id = verify_peer(server_ssl_, pool_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kVerifyFailed);
}

TEST_F(Handshake, ServerOnlyCertRejectedAsClientCert) {
  ASSERT_TRUE(handshake(dir_.file("ca.crt"), &server_));
  auto id = verify_peer(server_ssl_, pool_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kVerifyFailed);
}

TEST_F(Handshake, ClientSendsIntermediate) {
  CertSpec inter_spec;
  inter_spec.cn = "intermediate";
  inter_spec.is_ca = true;
  auto inter = *new_signed_cert(inter_spec, ca_);
  CertSpec client;
  client.cn = "bob";
  client.client = true;
  auto bob = *new_signed_cert(client, inter);
  ASSERT_TRUE(handshake(dir_.file("ca.crt"), &bob, inter.cert_pem));
  auto id = verify_peer(server_ssl_, pool_);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->cn, "bob");
}

TEST_F(Handshake, NoClientCaMeansNoClientCert) {
  ASSERT_TRUE(handshake("", &client_));
  auto id = verify_peer(server_ssl_, pool_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kNoPeerCertificate);
}

TEST_F(Handshake, Tls11Refused) {
  EXPECT_FALSE(handshake(dir_.file("ca.crt"), &client_, "", TLS1_1_VERSION));
}

TEST(ServerCtx, Errors) {
  TempDir dir;
  CertSpec ca_spec;
  ca_spec.cn = "ca";
  auto ca = *new_ca(ca_spec);
  CertSpec s;
  s.cn = "s";
  s.server = true;
  auto a = *new_signed_cert(s, ca);
  auto b = *new_signed_cert(s, ca);
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  auto mismatch = configure_server_ctx_pem(ctx, a.cert_pem, b.key_pem);
  EXPECT_FALSE(mismatch.ok());
  auto missing = configure_server_ctx(ctx, dir.file("nope.crt"), dir.file("nope.key"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nope.crt"), std::string::npos);
  EXPECT_FALSE(configure_server_ctx_pem(ctx, a.cert_pem, a.key_pem, "not a PEM").ok());
  EXPECT_TRUE(configure_server_ctx_pem(ctx, a.cert_pem + ca.cert_pem, a.key_pem, ca.cert_pem).ok());
  EXPECT_FALSE(configure_server_ctx_pem(nullptr, a.cert_pem, a.key_pem).ok());
  SSL_CTX_free(ctx);
}

}  // namespace
}  // namespace kapi::tls
