#include "pkg/tls/cert.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdlib>

#include "pkg/tls/ca_pool.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/test_temp_dir.h"

namespace kapi::tls {
namespace {

using namespace std::chrono;
using testing::have_openssl_cli;
using testing::TempDir;

CertKeyPair make_ca(const std::string& cn = "kubernetes") {
  CertSpec spec;
  spec.cn = cn;
  spec.validity = kCaValidity;
  auto ca = new_ca(spec);
  EXPECT_TRUE(ca.ok()) << ca.error().message;
  return ca.ok() ? *ca : CertKeyPair{};
}

CertKeyPair make_leaf(const CertKeyPair& ca, CertSpec spec) {
  auto leaf = new_signed_cert(spec, ca);
  EXPECT_TRUE(leaf.ok()) << leaf.error().message;
  return leaf.ok() ? *leaf : CertKeyPair{};
}

// Criticality of an extension (-1 if absent), read with OpenSSL directly.
int ext_critical(const std::string& pem, int nid) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!x) return -2;
  int idx = X509_get_ext_by_NID(x, nid, -1);
  int crit = idx < 0 ? -1 : X509_EXTENSION_get_critical(X509_get_ext(x, idx));
  X509_free(x);
  return crit;
}

TEST(Cert, SelfSignedCa) {
  auto ca = make_ca("kubernetes");
  auto info = parse_cert(ca.cert_pem);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->cn, "kubernetes");
  EXPECT_EQ(info->issuer_cn, "kubernetes");
  EXPECT_TRUE(info->is_ca);
  EXPECT_TRUE(info->self_signed);
  EXPECT_TRUE(info->dns.empty());
  auto now = system_clock::now();
  // NotBefore backdated by 5 minutes; NotAfter 10 years out.
  EXPECT_NEAR(duration_cast<seconds>(now - info->not_before).count(), 300, 5);
  EXPECT_NEAR(duration_cast<hours>(info->not_after - now).count(), 24 * 3650, 1);
  EXPECT_EQ(ext_critical(ca.cert_pem, NID_basic_constraints), 1);
  EXPECT_EQ(ext_critical(ca.cert_pem, NID_key_usage), 1);
  EXPECT_EQ(ext_critical(ca.cert_pem, NID_subject_key_identifier), 0);
  auto m = cert_matches_key(ca.cert_pem, ca.key_pem);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(*m);
}

TEST(Cert, LeafReadsBack) {
  auto ca = make_ca();
  CertSpec spec;
  spec.cn = "kube-apiserver";
  spec.orgs = {"system:masters", "dev"};
  spec.dns = {"localhost", "kubernetes.default.svc"};
  spec.ips = {"127.0.0.1", "10.96.0.1", "fd00:0::1"};
  spec.server = true;
  spec.client = true;
  auto leaf = make_leaf(ca, spec);
  auto info = parse_cert(leaf.cert_pem);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->cn, "kube-apiserver");
  EXPECT_EQ(info->orgs, (std::vector<std::string>{"system:masters", "dev"}));
  EXPECT_EQ(info->issuer_cn, "kubernetes");
  EXPECT_EQ(info->dns, spec.dns);
  EXPECT_EQ(info->ips, (std::vector<std::string>{"127.0.0.1", "10.96.0.1", "fd00::1"}));
  EXPECT_FALSE(info->is_ca);
  EXPECT_FALSE(info->self_signed);
  EXPECT_TRUE(info->server_auth);
  EXPECT_TRUE(info->client_auth);
  EXPECT_EQ(info->subject, "CN=kube-apiserver,O=dev,O=system:masters");
  EXPECT_GE(info->serial_hex.size(), 16u);  // >= 63 random bits
  EXPECT_NEAR(duration_cast<hours>(info->not_after - system_clock::now()).count(), 24 * 365, 1);
  EXPECT_EQ(ext_critical(leaf.cert_pem, NID_key_usage), 1);
  EXPECT_EQ(ext_critical(leaf.cert_pem, NID_authority_key_identifier), 0);
  EXPECT_EQ(ext_critical(leaf.cert_pem, NID_basic_constraints), -1);

  auto m = cert_matches_key(leaf.cert_pem, leaf.key_pem);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(*m);
  auto wrong = cert_matches_key(leaf.cert_pem, ca.key_pem);
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(*wrong);

  // Two leaves never share a serial.
  auto other = make_leaf(ca, spec);
  EXPECT_NE(parse_cert(other.cert_pem)->serial_hex, info->serial_hex);
}

TEST(Cert, LeafValidityCappedByCa) {
  CertSpec ca_spec;
  ca_spec.cn = "short-ca";
  ca_spec.validity = hours(48);
  auto ca = new_ca(ca_spec);
  ASSERT_TRUE(ca.ok());
  CertSpec spec;
  spec.cn = "leaf";
  spec.client = true;
  auto leaf = make_leaf(*ca, spec);
  EXPECT_EQ(parse_cert(leaf.cert_pem)->not_after, parse_cert(ca->cert_pem)->not_after);
}

TEST(Cert, CreateErrors) {
  auto ca = make_ca();
  CertSpec spec;
  spec.cn = "x";
  spec.ips = {"not-an-ip"};
  auto r = new_signed_cert(spec, ca);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  auto other = make_ca("other");
  spec.ips.clear();
  EXPECT_FALSE(new_signed_cert(spec, CertKeyPair{ca.cert_pem, other.key_pem}).ok());
  EXPECT_FALSE(parse_cert("garbage").ok());
  spec.validity = hours(0);
  EXPECT_FALSE(new_signed_cert(spec, ca).ok());
}

TEST(Verify, ChainsAndPurposes) {
  auto ca = make_ca();
  auto other_ca = make_ca("other");
  CertSpec server;
  server.cn = "server";
  server.dns = {"localhost"};
  server.server = true;
  auto s = make_leaf(ca, server);
  CertSpec client;
  client.cn = "alice";
  client.orgs = {"dev"};
  client.client = true;
  auto c = make_leaf(ca, client);

  EXPECT_TRUE(verify_cert(s.cert_pem, ca.cert_pem).ok());
  EXPECT_TRUE(verify_cert(s.cert_pem, ca.cert_pem, Purpose::kServerAuth).ok());
  EXPECT_TRUE(verify_cert(c.cert_pem, ca.cert_pem, Purpose::kClientAuth).ok());
  auto wrong_purpose = verify_cert(s.cert_pem, ca.cert_pem, Purpose::kClientAuth);
  ASSERT_FALSE(wrong_purpose.ok());
  EXPECT_EQ(wrong_purpose.error().code, ErrorCode::kVerifyFailed);
  auto unknown = verify_cert(c.cert_pem, other_ca.cert_pem);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "x509: certificate signed by unknown authority");

  // A bundle with several CAs (as a --client-ca-file may be).
  auto pool = CaPool::from_pem(other_ca.cert_pem + ca.cert_pem);
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ(pool->size(), 2u);
  auto info = pool->verify(c.cert_pem, Purpose::kClientAuth);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->cn, "alice");
  EXPECT_FALSE(CaPool().verify(c.cert_pem).ok());
  EXPECT_FALSE(CaPool::from_pem("no certs here").ok());
}

TEST(Verify, Intermediate) {
  auto root = make_ca("root");
  CertSpec inter_spec;
  inter_spec.cn = "intermediate";
  inter_spec.is_ca = true;
  auto inter = make_leaf(root, inter_spec);
  EXPECT_TRUE(parse_cert(inter.cert_pem)->is_ca);
  CertSpec leaf_spec;
  leaf_spec.cn = "bob";
  leaf_spec.client = true;
  auto leaf = make_leaf(inter, leaf_spec);

  EXPECT_TRUE(verify_cert(leaf.cert_pem + inter.cert_pem, root.cert_pem, Purpose::kClientAuth).ok());
  EXPECT_FALSE(verify_cert(leaf.cert_pem, root.cert_pem).ok());
  // Go semantics: any pool certificate is a trust anchor.
  EXPECT_TRUE(verify_cert(leaf.cert_pem, inter.cert_pem).ok());
  auto split = split_cert_bundle(leaf.cert_pem + "junk\n" + inter.cert_pem);
  ASSERT_TRUE(split.ok());
  ASSERT_EQ(split->size(), 2u);
  EXPECT_EQ((*split)[1], inter.cert_pem);
}

TEST(Verify, OpensslCli) {
  if (!have_openssl_cli()) GTEST_SKIP() << "openssl command not found";
  TempDir dir;
  auto ca = make_ca();
  CertSpec server;
  server.cn = "kube-apiserver";
  server.dns = {"localhost"};
  server.ips = {"127.0.0.1", "::1"};
  server.server = true;
  auto s = make_leaf(ca, server);
  CertSpec client;
  client.cn = "kubernetes-admin";
  client.orgs = {"system:masters"};
  client.client = true;
  auto c = make_leaf(ca, client);
  auto other = make_ca("other");
  ASSERT_TRUE(write_file_atomic(dir.file("ca.crt"), ca.cert_pem).ok());
  ASSERT_TRUE(write_file_atomic(dir.file("other.crt"), other.cert_pem).ok());
  ASSERT_TRUE(write_file_atomic(dir.file("server.crt"), s.cert_pem).ok());
  ASSERT_TRUE(write_file_atomic(dir.file("client.crt"), c.cert_pem).ok());
  auto run = [&](const std::string& args) {
    std::string cmd = "openssl verify " + args + " >/dev/null 2>&1";
    return std::system(cmd.c_str());
  };
  const std::string cafile = "-CAfile " + dir.file("ca.crt") + " ";
  EXPECT_EQ(run(cafile + dir.file("ca.crt")), 0);
  EXPECT_EQ(run(cafile + "-purpose sslserver " + dir.file("server.crt")), 0);
  EXPECT_EQ(run(cafile + "-purpose sslclient " + dir.file("client.crt")), 0);
  EXPECT_NE(run(cafile + "-purpose sslclient " + dir.file("server.crt")), 0);
  EXPECT_NE(run("-CAfile " + dir.file("other.crt") + " " + dir.file("client.crt")), 0);
}

}  // namespace
}  // namespace kapi::tls
