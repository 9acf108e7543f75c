#include "pkg/tls/pki_bootstrap.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "pkg/tls/ca_pool.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/test_temp_dir.h"

namespace kapi::tls {
namespace {

using testing::file_mode;
using testing::have_openssl_cli;
using testing::TempDir;

const std::vector<std::string> kFiles = {
    "ca.crt",  "ca.key",  "apiserver.crt", "apiserver.key", "front-proxy-ca.crt",
    "front-proxy-ca.key", "front-proxy-client.crt", "front-proxy-client.key", "sa.key",
    "sa.pub",  "admin.crt", "admin.key"};

struct Snapshot {
  std::string content;
  struct timespec mtime;
  ino_t inode;
};

std::map<std::string, Snapshot> snapshot(const std::string& dir) {
  std::map<std::string, Snapshot> out;
  for (const auto& f : kFiles) {
    struct stat st;
    if (::stat((dir + "/" + f).c_str(), &st) != 0) continue;
    out[f] = Snapshot{*read_file(dir + "/" + f), st.st_mtim, st.st_ino};
  }
  return out;
}

bool same(const Snapshot& a, const Snapshot& b) {
  return a.content == b.content && a.mtime.tv_sec == b.mtime.tv_sec &&
         a.mtime.tv_nsec == b.mtime.tv_nsec && a.inode == b.inode;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

PkiOptions test_options() {
  PkiOptions o;
  o.advertise_addresses = {"192.168.1.10", "2001:db8::10"};
  o.bind_address = "10.0.0.5";
  o.extra_sans = {"api.example.com"};
  return o;
}

TEST(PkiBootstrap, CreatesEverything) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/etc/kubernetes/pki";
  auto start = std::chrono::steady_clock::now();
  auto pki = ensure_server_pki(dir, test_options());
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(pki.ok()) << pki.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(1));
  EXPECT_EQ(pki->generated.size(), kFiles.size());
  for (const auto& f : kFiles) {
    EXPECT_TRUE(file_exists(dir + "/" + f)) << f;
    bool is_key = f.size() > 4 && f.substr(f.size() - 4) == ".key";
    EXPECT_EQ(file_mode(dir + "/" + f), is_key ? 0600u : 0644u & ~0u) << f;
  }
  EXPECT_EQ(file_mode(dir), 0700u);

  auto ca = parse_cert(pki->ca_cert_pem);
  ASSERT_TRUE(ca.ok());
  EXPECT_EQ(ca->cn, "kubernetes");
  EXPECT_TRUE(ca->is_ca);

  auto pool = CaPool::from_pem(pki->ca_cert_pem);
  ASSERT_TRUE(pool.ok());
  auto api = pool->verify(*read_file(pki->apiserver_cert_file), Purpose::kServerAuth);
  ASSERT_TRUE(api.ok()) << api.error().message;
  EXPECT_EQ(api->cn, "kube-apiserver");
  for (const char* d : {"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                        "kubernetes.default.svc.cluster.local", "api.example.com"}) {
    EXPECT_TRUE(has(api->dns, d)) << d;
  }
  for (const char* ip : {"127.0.0.1", "10.96.0.1", "192.168.1.10", "2001:db8::10", "10.0.0.5"}) {
    EXPECT_TRUE(has(api->ips, ip)) << ip;
  }
  EXPECT_TRUE(*cert_matches_key(*read_file(pki->apiserver_cert_file),
                                *read_file(pki->apiserver_key_file)));

  auto admin = pool->verify(pki->admin_cert_pem, Purpose::kClientAuth);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_EQ(admin->cn, "kubernetes-admin");
  EXPECT_EQ(admin->orgs, std::vector<std::string>{"system:masters"});
  EXPECT_TRUE(*cert_matches_key(pki->admin_cert_pem, pki->admin_key_pem));
  // SEC1 as kubeadm writes ECDSA keys: kapi's client loads it without the provider decoders.
  EXPECT_EQ(pki->admin_key_pem.rfind("-----BEGIN EC PRIVATE KEY-----", 0), 0u);

  auto fp_client = *read_file(pki->front_proxy_client_cert_file);
  EXPECT_TRUE(verify_cert(fp_client, *read_file(pki->front_proxy_ca_cert_file),
                          Purpose::kClientAuth)
                  .ok());
  EXPECT_FALSE(verify_cert(fp_client, pki->ca_cert_pem).ok());
  EXPECT_EQ(parse_cert(fp_client)->cn, "front-proxy-client");

  auto sa_pub = *read_file(pki->sa_pub_file);
  EXPECT_NE(sa_pub.find("BEGIN PUBLIC KEY"), std::string::npos);
  EXPECT_TRUE(*same_public_key(sa_pub, *read_file(pki->sa_key_file)));

  if (have_openssl_cli()) {
    std::string cmd = "openssl verify -CAfile " + pki->ca_cert_file + " -purpose sslserver " +
                      pki->apiserver_cert_file + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }
}

TEST(PkiBootstrap, IdempotentSecondStart) {
  TempDir tmp;
  auto first = ensure_server_pki(tmp.path(), test_options());
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto before = snapshot(tmp.path());
  ASSERT_EQ(before.size(), kFiles.size());
  auto second = ensure_server_pki(tmp.path(), test_options());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->generated.empty());
  auto after = snapshot(tmp.path());
  for (const auto& f : kFiles) EXPECT_TRUE(same(before[f], after[f])) << f;
  EXPECT_EQ(second->admin_cert_pem, first->admin_cert_pem);
  EXPECT_EQ(second->admin_key_pem, first->admin_key_pem);
  EXPECT_EQ(second->ca_cert_pem, first->ca_cert_pem);
}

TEST(PkiBootstrap, NewSanReissuesOnlyApiserver) {
  TempDir tmp;
  ASSERT_TRUE(ensure_server_pki(tmp.path(), test_options()).ok());
  auto before = snapshot(tmp.path());
  auto opts = test_options();
  opts.advertise_addresses.push_back("172.16.0.9");
  auto again = ensure_server_pki(tmp.path(), opts);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->generated, (std::vector<std::string>{"apiserver.key", "apiserver.crt"}));
  auto after = snapshot(tmp.path());
  EXPECT_TRUE(same(before["ca.crt"], after["ca.crt"]));
  EXPECT_TRUE(same(before["admin.crt"], after["admin.crt"]));
  EXPECT_TRUE(has(parse_cert(after["apiserver.crt"].content)->ips, "172.16.0.9"));
}

TEST(PkiBootstrap, MissingLeafRegenerated) {
  TempDir tmp;
  ASSERT_TRUE(ensure_server_pki(tmp.path(), test_options()).ok());
  std::filesystem::remove(tmp.file("admin.crt"));
  std::filesystem::remove(tmp.file("sa.pub"));
  auto again = ensure_server_pki(tmp.path(), test_options());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->generated,
            (std::vector<std::string>{"admin.key", "admin.crt", "sa.pub"}));
}

TEST(PkiBootstrap, CaProblemsAreErrors) {
  TempDir tmp;
  ASSERT_TRUE(ensure_server_pki(tmp.path(), test_options()).ok());
  // External CA: no ca.key is fine while the leaves are valid...
  auto ca_key = *read_file(tmp.file("ca.key"));
  std::filesystem::remove(tmp.file("ca.key"));
  auto ext = ensure_server_pki(tmp.path(), test_options());
  ASSERT_TRUE(ext.ok()) << ext.error().message;
  EXPECT_TRUE(ext->generated.empty());
  // ...but a leaf that needs signing is then an error.
  std::filesystem::remove(tmp.file("apiserver.crt"));
  auto need_sign = ensure_server_pki(tmp.path(), test_options());
  ASSERT_FALSE(need_sign.ok());
  EXPECT_NE(need_sign.error().message.find("ca.key"), std::string::npos);
  // A ca.key that does not match ca.crt is never silently replaced.
  auto other = generate_private_key(KeyType::kEcdsaP256);
  ASSERT_TRUE(write_file_atomic(tmp.file("ca.key"), *other, 0600).ok());
  auto mismatch = ensure_server_pki(tmp.path(), test_options());
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("do not match"), std::string::npos);
  (void)ca_key;
}

TEST(PkiBootstrap, BadOptions) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/pki";
  auto opts = test_options();
  opts.service_cidr = "10.96.0.0/33";
  auto r = ensure_server_pki(dir, opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "invalid CIDR address: 10.96.0.0/33");
  EXPECT_FALSE(file_exists(dir));
  opts = test_options();
  opts.extra_sans = {"bad name!"};
  EXPECT_FALSE(ensure_server_pki(dir, opts).ok());
}

TEST(PkiBootstrap, Sans) {
  PkiOptions o;
  o.service_cidr = "10.100.0.0/16,fd00:10:96::/112";
  o.bind_address = "0.0.0.0";
  o.add_hostname = false;
  o.advertise_addresses = {"Node1.Example.COM"};
  auto s = apiserver_sans(o);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->first, (std::vector<std::string>{"kubernetes", "kubernetes.default",
                                                "kubernetes.default.svc",
                                                "kubernetes.default.svc.cluster.local",
                                                "localhost", "node1.example.com"}));
  EXPECT_EQ(s->second,
            (std::vector<std::string>{"10.100.0.1", "fd00:10:96::1", "127.0.0.1", "::1"}));
}

}  // namespace
}  // namespace kapi::tls
