#include "pkg/kubeconfig/writer.h"

#include <gtest/gtest.h>

#include "pkg/kubeconfig/admin.h"
#include "pkg/machinery/base64.h"
#include "pkg/kubeconfig/loader.h"
#include "pkg/kubeconfig/transform.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/test_temp_dir.h"

namespace kapi::kubeconfig {
namespace {

using machinery::base64_encode;

using tls::testing::file_mode;
using tls::testing::TempDir;

const std::string kCa = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
const std::string kCert = "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n";

TEST(Writer, AdminConfLayout) {
  auto config = make_admin_kubeconfig("https://10.0.0.1:6443", kCa, kCert, kKey);
  const std::string want =
      "apiVersion: v1\n"
      "clusters:\n"
      "- cluster:\n"
      "    certificate-authority-data: " + base64_encode(kCa) + "\n"
      "    server: https://10.0.0.1:6443\n"
      "  name: kubernetes\n"
      "contexts:\n"
      "- context:\n"
      "    cluster: kubernetes\n"
      "    user: kubernetes-admin\n"
      "  name: kubernetes-admin@kubernetes\n"
      "current-context: kubernetes-admin@kubernetes\n"
      "kind: Config\n"
      "preferences: {}\n"
      "users:\n"
      "- name: kubernetes-admin\n"
      "  user:\n"
      "    client-certificate-data: " + base64_encode(kCert) + "\n"
      "    client-key-data: " + base64_encode(kKey) + "\n";
  EXPECT_EQ(to_yaml(config), want);
}

TEST(Writer, EmptyConfig) {
  EXPECT_EQ(to_yaml(Config{}),
            "apiVersion: v1\n"
            "clusters: null\n"
            "contexts: null\n"
            "current-context: \"\"\n"
            "kind: Config\n"
            "preferences: {}\n"
            "users: null\n");
}

TEST(Writer, ExecUserLikeKubectl) {
  Config config;
  AuthInfo u;
  ExecConfig x;
  x.api_version = "client.authentication.k8s.io/v1";
  x.command = "foo";
  x.args = {"a", "true"};
  x.env = {{"X", "1"}};
  u.exec = x;
  config.set_user("u", u);
  // Byte-for-byte what `kubectl config set-credentials u --exec-command=foo ...` writes.
  EXPECT_EQ(to_yaml(config),
            "apiVersion: v1\n"
            "clusters: null\n"
            "contexts: null\n"
            "current-context: \"\"\n"
            "kind: Config\n"
            "preferences: {}\n"
            "users:\n"
            "- name: u\n"
            "  user:\n"
            "    exec:\n"
            "      apiVersion: client.authentication.k8s.io/v1\n"
            "      args:\n"
            "      - a\n"
            "      - \"true\"\n"
            "      command: foo\n"
            "      env:\n"
            "      - name: X\n"
            "        value: \"1\"\n"
            "      provideClusterInfo: false\n");
}

TEST(Writer, AllFieldsSortedEntries) {
  Config config;
  Cluster c;
  c.server = "https://b";
  c.tls_server_name = "kubernetes";
  c.insecure_skip_tls_verify = true;
  c.certificate_authority = "/etc/ca.crt";
  c.proxy_url = "socks5://localhost:1080";
  c.disable_compression = true;
  config.set_cluster("zeta", c);
  config.set_cluster("alpha", Cluster{});
  AuthInfo u;
  u.impersonate = "bob";
  u.impersonate_uid = "42";
  u.impersonate_groups = {"g1", "g2"};
  u.impersonate_extra = {{"scopes", {"s1"}}};
  u.username = "admin";
  u.password = "secret";
  u.token = "tok";
  u.token_file = "/t";
  u.auth_provider = AuthProviderConfig{"oidc", {{"idp-issuer-url", "https://x"}}};
  config.set_user("u", u);
  config.set_user("empty", AuthInfo{});
  Context ctx;
  ctx.cluster = "zeta";
  ctx.user = "u";
  ctx.namespace_ = "kube-system";
  config.set_context("ctx", ctx);
  config.current_context = "ctx";
  config.preferences.colors = true;
  EXPECT_EQ(to_yaml(config),
            "apiVersion: v1\n"
            "clusters:\n"
            "- cluster:\n"
            "    server: \"\"\n"
            "  name: alpha\n"
            "- cluster:\n"
            "    certificate-authority: /etc/ca.crt\n"
            "    disable-compression: true\n"
            "    insecure-skip-tls-verify: true\n"
            "    proxy-url: socks5://localhost:1080\n"
            "    server: https://b\n"
            "    tls-server-name: kubernetes\n"
            "  name: zeta\n"
            "contexts:\n"
            "- context:\n"
            "    cluster: zeta\n"
            "    namespace: kube-system\n"
            "    user: u\n"
            "  name: ctx\n"
            "current-context: ctx\n"
            "kind: Config\n"
            "preferences:\n"
            "  colors: true\n"
            "users:\n"
            "- name: empty\n"
            "  user: {}\n"
            "- name: u\n"
            "  user:\n"
            "    as: bob\n"
            "    as-groups:\n"
            "    - g1\n"
            "    - g2\n"
            "    as-uid: \"42\"\n"
            "    as-user-extra:\n"
            "      scopes:\n"
            "      - s1\n"
            "    auth-provider:\n"
            "      config:\n"
            "        idp-issuer-url: https://x\n"
            "      name: oidc\n"
            "    password: secret\n"
            "    token: tok\n"
            "    tokenFile: /t\n"
            "    username: admin\n");
  // And it reads back the same.
  auto back = parse(to_yaml(config));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(to_yaml(*back), to_yaml(config));
}

TEST(Writer, FileMode0600AndAtomic) {
  TempDir dir;
  const std::string path = dir.path() + "/home/.kube/config";
  auto config = make_admin_kubeconfig("https://127.0.0.1:6443", kCa, kCert, kKey);
  ASSERT_TRUE(write_file(path, config).ok());
  EXPECT_EQ(file_mode(path), 0600u);
  EXPECT_EQ(*tls::read_file(path), to_yaml(config));
  config.current_context = "";
  ASSERT_TRUE(write_file(path, config).ok());
  EXPECT_EQ(file_mode(path), 0600u);
  EXPECT_EQ(*tls::read_file(path), to_yaml(config));
}

TEST(Transform, ShortenMinifyFlatten) {
  TempDir dir;
  ASSERT_TRUE(tls::write_file_atomic(dir.file("ca.crt"), kCa).ok());
  auto config = make_admin_kubeconfig("https://127.0.0.1:6443", kCa, kCert, kKey);
  config.find_user("kubernetes-admin")->token = "abc";
  Config shortened = config;
  shorten(shortened);
  std::string y = to_yaml(shortened);
  EXPECT_NE(y.find("certificate-authority-data: DATA+OMITTED\n"), std::string::npos);
  EXPECT_NE(y.find("client-key-data: DATA+OMITTED\n"), std::string::npos);
  EXPECT_NE(y.find("token: REDACTED\n"), std::string::npos);

  config.set_cluster("other", Cluster{});
  Context other;
  other.cluster = "other";
  other.user = "nobody";
  config.set_context("other", other);
  Config mini = config;
  ASSERT_TRUE(minify(mini).ok());
  EXPECT_EQ(mini.clusters.size(), 1u);
  EXPECT_EQ(mini.contexts.size(), 1u);
  EXPECT_EQ(mini.users.size(), 1u);
  config.current_context = "other";
  auto err = minify(config);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().message, "cannot locate user nobody");

  Config flat;
  Cluster c;
  c.certificate_authority = "ca.crt";
  c.location_of_origin = dir.file("config");
  flat.set_cluster("c", c);
  ASSERT_TRUE(flatten(flat).ok());
  EXPECT_EQ(flat.find_cluster("c")->certificate_authority_data, kCa);
  EXPECT_TRUE(flat.find_cluster("c")->certificate_authority.empty());
}

}  // namespace
}  // namespace kapi::kubeconfig
