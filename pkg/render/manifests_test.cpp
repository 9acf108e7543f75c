// Golden static Pod manifests. Each golden file under testdata/render/ was written from kubeadm's
// source at the named tag (or, for kube-apiserver v1.19.4, is real kubeadm output); see
// testdata/render/README.md for the files and rules each one follows.
#include "pkg/render/manifests.h"

#include <gtest/gtest.h>

#include "pkg/render/test_util.h"

namespace kapi::render {
namespace {

using testing::kDebianCaDirs;
using testing::parse;
using testing::read_text;

RenderConfig config_for(const std::string& version, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"all",          "--apiserver-advertise-address",
                                   "192.168.56.2", "--kubernetes-version",
                                   version,        "--node-name",
                                   "cp1",          kDebianCaDirs};
  args.insert(args.end(), extra.begin(), extra.end());
  auto cfg = parse(args);
  EXPECT_TRUE(cfg.ok()) << (cfg.ok() ? "" : cfg.error().message);
  return cfg.ok() ? *cfg : RenderConfig{};
}

void expect_golden(const std::string& got, const std::string& golden_path) {
  std::string want = read_text(golden_path);
  ASSERT_FALSE(want.empty()) << "missing golden file " << golden_path;
  EXPECT_EQ(got, want) << "differs from " << golden_path;
}

// Real kubeadm v1.19.4 output for advertise address 192.168.56.2 on a Debian host
// (/work/shared/reference/kube-apiserver.v1.19.4.yaml): byte for byte.
TEST(Manifests, KubeApiserverV1194MatchesRealKubeadmOutput) {
  expect_golden(kube_apiserver_manifest(config_for("v1.19.4")),
                "testdata/render/kube-apiserver.v1.19.4.yaml");
}

struct GoldenCase {
  const char* version;
  const char* dir;  // testdata/render/<dir>/
};

// Sources per tag: cmd/kubeadm/app/phases/controlplane/manifests.go and volumes.go,
// cmd/kubeadm/app/phases/etcd/local.go, cmd/kubeadm/app/util/staticpod/utils.go,
// cmd/kubeadm/app/constants/constants.go (etcd image), at kubernetes/kubernetes tag `version`.
class GoldenManifests : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenManifests, AllFourMatch) {
  const GoldenCase& c = GetParam();
  RenderConfig cfg = config_for(c.version);
  const std::string dir = std::string("testdata/render/") + c.dir + "/";
  expect_golden(kube_apiserver_manifest(cfg), dir + "kube-apiserver.yaml");
  expect_golden(kube_controller_manager_manifest(cfg), dir + "kube-controller-manager.yaml");
  expect_golden(kube_scheduler_manifest(cfg), dir + "kube-scheduler.yaml");
  expect_golden(etcd_manifest(cfg), dir + "etcd.yaml");
}

INSTANTIATE_TEST_SUITE_P(
    Kubeadm, GoldenManifests,
    ::testing::Values(GoldenCase{"v1.19.4", "v1.19.4"}, GoldenCase{"v1.22.0", "v1.22.0"},
                      GoldenCase{"v1.25.0", "v1.25.0"}, GoldenCase{"v1.28.0", "v1.28.0"},
                      GoldenCase{"v1.29.0", "v1.29.0"}, GoldenCase{"v1.31.0", "v1.31.0"},
                      GoldenCase{"v1.33.0", "v1.33.0"}),
    [](const auto& info) {
      std::string n = info.param.dir;
      for (char& ch : n)
        if (ch == '.') ch = '_';
      return n;
    });

TEST(Manifests, BuildCommandMergesAndSortsLikeKubeadm) {
  auto cmd = build_command("x", {{"b", "1"}, {"a", "2"}, {"c", "3"}}, {{"c", "9"}, {"d", "4"}});
  EXPECT_EQ(cmd, (std::vector<std::string>{"x", "--a=2", "--b=1", "--c=9", "--d=4"}));
}

TEST(Manifests, ExtraArgsAndAuthorizationModeFromConfig) {
  RenderConfig cfg = config_for("v1.31.0");
  cfg.apiserver_args = {{"authorization-mode", "Node,Bogus,RBAC,Webhook"},
                        {"audit-log-maxage", "30"}};
  std::string y = kube_apiserver_manifest(cfg);
  EXPECT_NE(y.find("    - --audit-log-maxage=30\n    - --authorization-mode=Node,RBAC,Webhook\n"),
            std::string::npos)
      << y;
}

TEST(Manifests, ProxyVariablesBecomeContainerEnv) {
  auto env = testing::fake_host();
  env.environ = {
      {"PATH", "/bin"}, {"HTTPS_PROXY", "http://proxy:3128"}, {"no_proxy", "10.0.0.0/8"}};
  auto cfg =
      parse({"all", "--apiserver-advertise-address=10.0.0.5", "--kubernetes-version=v1.28.0"}, env);
  ASSERT_TRUE(cfg.ok());
  std::string y = kube_scheduler_manifest(*cfg);
  EXPECT_NE(y.find("    env:\n    - name: HTTPS_PROXY\n      value: http://proxy:3128\n"
                   "    - name: no_proxy\n      value: 10.0.0.0/8\n"),
            std::string::npos)
      << y;
}

TEST(Manifests, Ipv6AdvertiseAddressUsesBracketsInUrls) {
  auto cfg = parse({"all", "--apiserver-advertise-address=fd00::10", "--kubernetes-version=v1.33.0",
                    "--service-cidr=fd00:1::/108"});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  std::string etcd = etcd_manifest(*cfg);
  EXPECT_NE(etcd.find("--listen-client-urls=https://[::1]:2379,https://[fd00::10]:2379"),
            std::string::npos)
      << etcd;
  EXPECT_NE(etcd.find("host: ::1"), std::string::npos);
  std::string api = kube_apiserver_manifest(*cfg);
  EXPECT_NE(api.find("--etcd-servers=https://[::1]:2379"), std::string::npos);
  EXPECT_NE(api.find("endpoint: '[fd00::10]:6443'"), std::string::npos) << api;
}

}  // namespace
}  // namespace kapi::render
