// PKI and kubeconfigs as kubeadm makes them (cmd/kubeadm/app/phases/certs/certlist.go,
// cmd/kubeadm/app/util/pkiutil/pki_helpers.go, cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go
// at tags v1.19.4 and v1.29.0). One RSA render per test binary (RSA generation is slow); the
// tests that do not look at the key type use ECDSA.
#include "pkg/render/pki.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "pkg/kubeconfig/loader.h"
#include "pkg/render/render.h"
#include "pkg/render/test_util.h"
#include "pkg/tls/ca_pool.h"
#include "pkg/tls/key.h"
#include "pkg/tls/test_temp_dir.h"

namespace kapi::render {
namespace {

using testing::parse;
using testing::read_text;
using tls::testing::file_mode;
using tls::testing::TempDir;

std::string run(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen((cmd + " 2>&1").c_str(), "r"), ::pclose);
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p.get())) > 0) out.append(buf, n);
  return out;
}

class RsaPki : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto cfg =
        parse({"all", "--apiserver-advertise-address=192.168.56.2", "--kubernetes-version=v1.19.4",
               "--node-name=cp1", "--out-dir=" + dir_->path() + "/k",
               "--apiserver-cert-extra-sans=api.example.com,10.0.0.9"});
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    auto s = run_render(*cfg);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string path(const std::string& rel) { return dir_->path() + "/k/" + rel; }
  static tls::CertInfo info(const std::string& rel) {
    auto i = tls::parse_cert(read_text(path(rel)));
    EXPECT_TRUE(i.ok()) << rel;
    return i.ok() ? *i : tls::CertInfo{};
  }
  static TempDir* dir_;
};
TempDir* RsaPki::dir_ = nullptr;

TEST_F(RsaPki, EveryFileOfKubeadmIsWrittenWithItsMode) {
  for (const char* f : {"ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca",
                        "front-proxy-client", "etcd/ca", "etcd/server", "etcd/peer",
                        "etcd/healthcheck-client", "apiserver-etcd-client"}) {
    EXPECT_EQ(file_mode(path(std::string("pki/") + f + ".crt")), 0644u) << f;
    EXPECT_EQ(file_mode(path(std::string("pki/") + f + ".key")), 0600u) << f;
  }
  EXPECT_EQ(file_mode(path("pki/sa.key")), 0600u);
  EXPECT_EQ(file_mode(path("pki/sa.pub")), 0600u);
  for (const char* f :
       {"admin.conf", "kubelet.conf", "controller-manager.conf", "scheduler.conf"}) {
    EXPECT_EQ(file_mode(path(f)), 0600u) << f;
  }
  EXPECT_FALSE(std::filesystem::exists(path("super-admin.conf")));  // only from 1.29
  for (const char* f : {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"}) {
    EXPECT_EQ(file_mode(path(std::string("manifests/") + f + ".yaml")), 0600u) << f;
  }
}

TEST_F(RsaPki, KeysAreRsa2048InPkcs1) {
  for (const char* f : {"pki/ca.key", "pki/apiserver.key", "pki/etcd/peer.key", "pki/sa.key"}) {
    std::string pem = read_text(path(f));
    EXPECT_EQ(pem.rfind("-----BEGIN RSA PRIVATE KEY-----", 0), 0u) << f;
    EXPECT_NE(run("openssl rsa -in " + path(f) + " -noout -text").find("Private-Key: (2048 bit"),
              std::string::npos)
        << f;
  }
  EXPECT_EQ(read_text(path("pki/sa.pub")).rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  auto same = tls::same_public_key(read_text(path("pki/sa.pub")), read_text(path("pki/sa.key")));
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(*same);
}

TEST_F(RsaPki, SubjectsSansAndUsagesAreKubeadms) {
  struct Want {
    const char* file;
    const char* cn;
    std::vector<std::string> orgs;
    const char* issuer;
    bool ca, server, client;
  };
  const std::vector<Want> wants = {
      {"pki/ca.crt", "kubernetes", {}, "kubernetes", true, false, false},
      {"pki/apiserver.crt", "kube-apiserver", {}, "kubernetes", false, true, false},
      {"pki/apiserver-kubelet-client.crt",
       "kube-apiserver-kubelet-client",
       {"system:masters"},
       "kubernetes",
       false,
       false,
       true},
      {"pki/front-proxy-ca.crt", "front-proxy-ca", {}, "front-proxy-ca", true, false, false},
      {"pki/front-proxy-client.crt",
       "front-proxy-client",
       {},
       "front-proxy-ca",
       false,
       false,
       true},
      {"pki/etcd/ca.crt", "etcd-ca", {}, "etcd-ca", true, false, false},
      {"pki/etcd/server.crt", "cp1", {}, "etcd-ca", false, true, true},
      {"pki/etcd/peer.crt", "cp1", {}, "etcd-ca", false, true, true},
      {"pki/etcd/healthcheck-client.crt",
       "kube-etcd-healthcheck-client",
       {"system:masters"},
       "etcd-ca",
       false,
       false,
       true},
      {"pki/apiserver-etcd-client.crt",
       "kube-apiserver-etcd-client",
       {"system:masters"},
       "etcd-ca",
       false,
       false,
       true},
  };
  for (const auto& w : wants) {
    tls::CertInfo i = info(w.file);
    EXPECT_EQ(i.cn, w.cn) << w.file;
    EXPECT_EQ(i.orgs, w.orgs) << w.file;
    EXPECT_EQ(i.issuer_cn, w.issuer) << w.file;
    EXPECT_EQ(i.is_ca, w.ca) << w.file;
    EXPECT_EQ(i.server_auth, w.server) << w.file;
    EXPECT_EQ(i.client_auth, w.client) << w.file;
    std::string text = run("openssl x509 -in " + path(w.file) + " -noout -text");
    EXPECT_NE(text.find(w.ca ? "Digital Signature, Key Encipherment, Certificate Sign"
                             : "Digital Signature, Key Encipherment"),
              std::string::npos)
        << w.file << text;
  }
  tls::CertInfo api = info("pki/apiserver.crt");
  EXPECT_EQ(api.dns, (std::vector<std::string>{
                         "cp1", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                         "kubernetes.default.svc.cluster.local", "api.example.com"}));
  EXPECT_EQ(api.ips, (std::vector<std::string>{"10.96.0.1", "192.168.56.2", "10.0.0.9"}));
  for (const char* f : {"pki/etcd/server.crt", "pki/etcd/peer.crt"}) {
    tls::CertInfo e = info(f);
    EXPECT_EQ(e.dns, (std::vector<std::string>{"cp1", "localhost"})) << f;
    EXPECT_EQ(e.ips, (std::vector<std::string>{"192.168.56.2", "127.0.0.1", "::1"})) << f;
  }
}

TEST_F(RsaPki, ValidityIsTenYearsForCasAndOneYearForLeaves) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  auto years = [&](const tls::CertInfo& i) {
    return duration_cast<hours>(i.not_after - now).count() / 24.0 / 365.0;
  };
  for (const char* ca : {"pki/ca.crt", "pki/front-proxy-ca.crt", "pki/etcd/ca.crt"}) {
    EXPECT_NEAR(years(info(ca)), 10.0, 0.01) << ca;
    EXPECT_LE(info(ca).not_before, now);
  }
  for (const char* leaf :
       {"pki/apiserver.crt", "pki/etcd/server.crt", "pki/front-proxy-client.crt"}) {
    EXPECT_NEAR(years(info(leaf)), 1.0, 0.01) << leaf;
  }
}

TEST_F(RsaPki, OpensslVerifiesEveryChain) {
  ASSERT_TRUE(tls::testing::have_openssl_cli());
  struct Chain {
    const char* ca;
    const char* leaf;
    const char* purpose;
  };
  for (const auto& c : std::vector<Chain>{{"ca", "apiserver", "sslserver"},
                                          {"ca", "apiserver-kubelet-client", "sslclient"},
                                          {"front-proxy-ca", "front-proxy-client", "sslclient"},
                                          {"etcd/ca", "etcd/server", "sslserver"},
                                          {"etcd/ca", "etcd/peer", "sslclient"},
                                          {"etcd/ca", "etcd/healthcheck-client", "sslclient"},
                                          {"etcd/ca", "apiserver-etcd-client", "sslclient"}}) {
    std::string out = run(std::string("openssl verify -purpose ") + c.purpose + " -CAfile " +
                          path(std::string("pki/") + c.ca + ".crt") + " " +
                          path(std::string("pki/") + c.leaf + ".crt"));
    EXPECT_NE(out.find(": OK"), std::string::npos) << c.leaf << ": " << out;
  }
  // The wrong CA must not verify.
  std::string bad =
      run("openssl verify -CAfile " + path("pki/etcd/ca.crt") + " " + path("pki/apiserver.crt"));
  EXPECT_EQ(bad.find(": OK"), std::string::npos) << bad;
}

TEST_F(RsaPki, KubeconfigsCarryKubeadmsIdentities) {
  struct Want {
    const char* file;
    const char* user;
    std::vector<std::string> orgs;
  };
  auto ca = read_text(path("pki/ca.crt"));
  for (const auto& w :
       std::vector<Want>{{"admin.conf", "kubernetes-admin", {"system:masters"}},
                         {"kubelet.conf", "system:node:cp1", {"system:nodes"}},
                         {"controller-manager.conf", "system:kube-controller-manager", {}},
                         {"scheduler.conf", "system:kube-scheduler", {}}}) {
    auto cfg = kubeconfig::load_file(path(w.file));
    ASSERT_TRUE(cfg.ok()) << w.file;
    EXPECT_EQ(cfg->current_context, std::string(w.user) + "@kubernetes");
    const auto* ctx = cfg->find_context(cfg->current_context);
    ASSERT_NE(ctx, nullptr);
    EXPECT_EQ(ctx->cluster, "kubernetes");
    EXPECT_EQ(ctx->user, w.user);
    const auto* cl = cfg->find_cluster("kubernetes");
    ASSERT_NE(cl, nullptr);
    EXPECT_EQ(cl->server, "https://192.168.56.2:6443");
    EXPECT_EQ(cl->certificate_authority_data, ca);
    const auto* u = cfg->find_user(w.user);
    ASSERT_NE(u, nullptr);
    auto i = tls::parse_cert(u->client_certificate_data);
    ASSERT_TRUE(i.ok());
    EXPECT_EQ(i->cn, w.user);
    EXPECT_EQ(i->orgs, w.orgs);
    EXPECT_TRUE(i->client_auth);
    EXPECT_TRUE(tls::verify_cert(u->client_certificate_data, ca, tls::Purpose::kClientAuth).ok())
        << w.file;
    auto m = tls::cert_matches_key(u->client_certificate_data, u->client_key_data);
    EXPECT_TRUE(m.ok() && *m);
  }
  // Layout of kubeadm's clientcmd output.
  std::string admin = read_text(path("admin.conf"));
  EXPECT_EQ(
      admin.rfind("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ", 0), 0u)
      << admin;
  EXPECT_NE(
      admin.find(
          "\n    server: https://192.168.56.2:6443\n  name: kubernetes\ncontexts:\n- context:\n"
          "    cluster: kubernetes\n    user: kubernetes-admin\n  name: "
          "kubernetes-admin@kubernetes\n"
          "current-context: kubernetes-admin@kubernetes\nkind: Config\npreferences: {}\nusers:\n"
          "- name: kubernetes-admin\n  user:\n    client-certificate-data: "),
      std::string::npos)
      << admin;
}

TEST_F(RsaPki, RerunKeepsExistingFilesAndRewritesManifests) {
  std::vector<std::string> files = {"pki/ca.crt", "pki/ca.key", "pki/apiserver.crt", "pki/sa.key",
                                    "admin.conf"};
  std::map<std::string, std::string> before;
  for (const auto& f : files) before[f] = read_text(path(f));
  auto cfg =
      parse({"all", "--apiserver-advertise-address=192.168.56.2", "--kubernetes-version=v1.19.4",
             "--node-name=cp1", "--out-dir=" + dir_->path() + "/k",
             "--apiserver-cert-extra-sans=api.example.com"});
  ASSERT_TRUE(cfg.ok());
  auto planned = render_files(*cfg);
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  for (const auto& f : *planned)
    EXPECT_EQ(f.rel_path.rfind("manifests/", 0), 0u) << f.rel_path;  // only manifests
  ASSERT_TRUE(run_render(*cfg).ok());
  for (const auto& f : files) EXPECT_EQ(read_text(path(f)), before[f]) << f;
}

TEST_F(RsaPki, KubeconfigPhaseUsesTheExistingCa) {
  TempDir other;
  std::filesystem::create_directories(other.path() + "/k/pki");
  std::filesystem::copy_file(path("pki/ca.crt"), other.path() + "/k/pki/ca.crt");
  std::filesystem::copy_file(path("pki/ca.key"), other.path() + "/k/pki/ca.key");
  auto cfg = parse({"kubeconfig", "--apiserver-advertise-address=192.168.56.2",
                    "--kubernetes-version=v1.29.0", "--node-name=cp1",
                    "--out-dir=" + other.path() + "/k"});
  ASSERT_TRUE(cfg.ok());
  cfg->key_type = tls::KeyType::kEcdsaP256;
  ASSERT_TRUE(run_render(*cfg).ok());
  auto admin = kubeconfig::load_file(other.path() + "/k/super-admin.conf");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->find_cluster("kubernetes")->certificate_authority_data,
            read_text(path("pki/ca.crt")));
  EXPECT_FALSE(std::filesystem::exists(other.path() + "/k/manifests"));
}

TEST(Pki, IdentitiesFollowTheVersion) {
  TempDir dir;
  auto cfg = parse({"all", "--apiserver-advertise-address=10.1.2.3", "--kubernetes-version=v1.29.0",
                    "--node-name=cp1", "--out-dir=" + dir.path() + "/k",
                    "--control-plane-endpoint=cp.example.com"});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  cfg->key_type = tls::KeyType::kEcdsaP256;
  ASSERT_TRUE(run_render(*cfg).ok());
  auto cert_of = [&](const std::string& conf) {
    auto k = kubeconfig::load_file(dir.path() + "/k/" + conf);
    EXPECT_TRUE(k.ok());
    auto i = tls::parse_cert(k->users.at(0).user.client_certificate_data);
    return std::make_pair(*i, k->clusters.at(0).cluster.server);
  };
  auto [admin, admin_server] = cert_of("admin.conf");
  EXPECT_EQ(admin.cn, "kubernetes-admin");
  EXPECT_EQ(admin.orgs, std::vector<std::string>{"kubeadm:cluster-admins"});
  EXPECT_EQ(admin_server, "https://cp.example.com:6443");
  auto [super, super_server] = cert_of("super-admin.conf");
  EXPECT_EQ(super.cn, "kubernetes-super-admin");
  EXPECT_EQ(super.orgs, std::vector<std::string>{"system:masters"});
  auto [cm, cm_server] = cert_of("controller-manager.conf");
  EXPECT_EQ(cm_server, "https://10.1.2.3:6443");  // the local API endpoint
  auto [kubelet, kubelet_server] = cert_of("kubelet.conf");
  EXPECT_EQ(kubelet_server, "https://cp.example.com:6443");  // local only from 1.33
  auto kubelet_client =
      tls::parse_cert(read_text(dir.path() + "/k/pki/apiserver-kubelet-client.crt"));
  EXPECT_EQ(kubelet_client->orgs, std::vector<std::string>{"kubeadm:cluster-admins"});
  for (const char* f : {"pki/etcd/healthcheck-client.crt", "pki/apiserver-etcd-client.crt"}) {
    EXPECT_TRUE(tls::parse_cert(read_text(dir.path() + "/k/" + f))->orgs.empty()) << f;
  }
  auto api = tls::parse_cert(read_text(dir.path() + "/k/pki/apiserver.crt"));
  EXPECT_EQ(api->dns.back(), "cp.example.com");
}

}  // namespace
}  // namespace kapi::render
