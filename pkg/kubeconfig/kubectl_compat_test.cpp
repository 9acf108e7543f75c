// Cross-checks against the real kubectl when it is installed (skipped otherwise): kubectl must
// read our files and re-serialize them byte for byte (`kubectl config view --raw`), and we must
// read what kubectl writes.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "pkg/kubeconfig/admin.h"
#include "pkg/kubeconfig/loader.h"
#include "pkg/kubeconfig/writer.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/test_temp_dir.h"

namespace kapi::kubeconfig {
namespace {

using tls::testing::TempDir;

bool have_kubectl() { return std::system("command -v kubectl >/dev/null 2>&1") == 0; }

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

Config tricky_config() {
  auto config = make_admin_kubeconfig(
      "https://[fd00::1]:6443", "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
      "cert", "key");
  const std::vector<std::string> values = {
      "yes", "123", "1e5", "- a", "a: b", "'q'", " lead", "trail ", "2001-12-14", "1:20",
      "tab\tx", "multi\nline", "x\n", "\xc3\xa9t\xc3\xa9", "0o17", "", "a #b", "~",
      "long long long long long long long long long long long long long long long long long "
      "long long long long long long long long long"};
  int i = 0;
  for (const auto& v : values) {
    Context ctx;
    ctx.cluster = v;
    ctx.user = "u" + std::to_string(i);
    ctx.namespace_ = v;
    config.set_context("ctx-" + std::to_string(i++), ctx);
  }
  AuthInfo u;
  ExecConfig x;
  x.command = "/usr/bin/plugin";
  x.args = values;
  for (const auto& v : values) x.env.push_back({"E" + std::to_string(x.env.size()), v});
  x.install_hint = values.back();
  u.exec = x;
  u.token = "0x1F";
  u.impersonate_groups = {"system:masters", "true"};
  config.set_user("exec-user", u);
  Cluster c;
  c.server = "https://example.com:443/some path";
  c.insecure_skip_tls_verify = true;
  c.tls_server_name = "null";
  config.set_cluster("a cluster", c);
  return config;
}

TEST(KubectlCompat, KubectlReproducesOurBytes) {
  if (!have_kubectl()) GTEST_SKIP() << "kubectl not installed";
  TempDir dir;
  auto config = tricky_config();
  ASSERT_TRUE(write_file(dir.file("config"), config).ok());
  std::string out = run("KUBECONFIG= kubectl config view --raw --kubeconfig=" +
                        dir.file("config") + " 2>&1");
  EXPECT_EQ(out, to_yaml(config));
}

TEST(KubectlCompat, WeReadWhatKubectlWrites) {
  if (!have_kubectl()) GTEST_SKIP() << "kubectl not installed";
  TempDir dir;
  const std::string kc = "KUBECONFIG=" + dir.file("kc") + " kubectl config ";
  ASSERT_TRUE(tls::write_file_atomic(dir.file("ca.crt"), "-----BEGIN CERTIFICATE-----\n").ok());
  std::string cmds =
      kc + "set-cluster k --server=https://127.0.0.1:6443 --embed-certs --certificate-authority=" +
      dir.file("ca.crt") + " >/dev/null 2>&1 && " + kc +
      "set-credentials u --token=yes --exec-command=foo --exec-arg='a b' --exec-env=K=1 "
      ">/dev/null 2>&1 && " +
      kc + "set-context c --cluster=k --user=u --namespace=1:20 >/dev/null 2>&1 && " + kc +
      "use-context c >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmds.c_str()), 0);
  auto text = tls::read_file(dir.file("kc"));
  ASSERT_TRUE(text.ok());
  auto config = load_file(dir.file("kc"));
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->current_context, "c");
  EXPECT_EQ(config->find_cluster("k")->certificate_authority_data,
            "-----BEGIN CERTIFICATE-----\n");
  EXPECT_EQ(config->find_user("u")->token, "yes");
  EXPECT_EQ(config->find_user("u")->exec->args, std::vector<std::string>{"a b"});
  EXPECT_EQ(config->find_context("c")->namespace_, "1:20");
  EXPECT_EQ(to_yaml(*config), *text);
}

}  // namespace
}  // namespace kapi::kubeconfig
