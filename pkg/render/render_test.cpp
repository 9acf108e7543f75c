// Command line, validation and all-or-nothing output of `kapi render`.
#include "pkg/render/render.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "pkg/render/test_util.h"
#include "pkg/tls/test_temp_dir.h"

namespace kapi::render {
namespace {

namespace fs = std::filesystem;
using testing::parse;
using testing::read_text;
using tls::testing::TempDir;

std::string error_of(std::vector<std::string> args) {
  auto cfg = parse(std::move(args));
  return cfg.ok() ? "" : cfg.error().message;
}

void write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

TEST(RenderArgs, DefaultsAreKubeadms) {
  auto cfg = parse({"all", "--apiserver-advertise-address=192.168.56.2"});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->rules.version.text(), std::string(kDefaultKubernetesVersion));
  EXPECT_EQ(cfg->bind_port, 6443);
  EXPECT_EQ(cfg->service_cidr, "10.96.0.0/12");
  EXPECT_EQ(cfg->service_vip, "10.96.0.1");
  EXPECT_EQ(cfg->cert_dir, "/etc/kubernetes/pki");
  EXPECT_EQ(cfg->node_name, "cp1");  // the host name, lower-cased
  EXPECT_EQ(cfg->image_repository, "registry.k8s.io");
  EXPECT_EQ(cfg->out_dir, "kubernetes");
  EXPECT_TRUE(cfg->ca_dirs.empty());  // none exists on the fake host
}

TEST(RenderArgs, DefaultCaDirsAreThoseThatExist) {
  auto env = testing::fake_host();
  env.dir_exists = [](const std::string& p) {
    return p == "/etc/pki" || p == "/usr/share/ca-certificates";
  };
  auto cfg =
      parse({"all", "--apiserver-advertise-address=10.0.0.1", "--kubernetes-version=v1.28.0"}, env);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->ca_dirs, (std::vector<std::string>{"/etc/pki", "/usr/share/ca-certificates"}));
}

TEST(RenderArgs, InvalidInputIsOneLineError) {
  const std::string ip = "--apiserver-advertise-address=10.0.0.1";
  struct Case {
    std::vector<std::string> args;
    std::string want;
  };
  for (const auto& c : std::vector<Case>{
           {{"all", "--apiserver-advertise-address=300.1.1.1"},
            "invalid --apiserver-advertise-address \"300.1.1.1\""},
           {{"all", "--apiserver-advertise-address", "0.0.0.0"}, "unspecified address"},
           {{"all"}, "missing --apiserver-advertise-address"},
           {{"all", ip, "--kubernetes-version=v1.18.0"},
            "unsupported Kubernetes version \"v1.18.0\""},
           {{"all", ip, "--kubernetes-version=v1.40.2"}, "unsupported Kubernetes version"},
           {{"all", ip, "--kubernetes-version=stable"},
            "unsupported Kubernetes version \"stable\""},
           {{"all", ip, "--service-cidr=10.96.0.0/33"}, "invalid --service-cidr"},
           {{"all", ip, "--pod-network-cidr=nope"}, "invalid --pod-network-cidr"},
           {{"all", ip, "--apiserver-bind-port=70000"}, "invalid --apiserver-bind-port"},
           {{"all", ip, "--node-name=Bad_Name"}, "invalid --node-name"},
           {{"all", ip, "--cert-dir=relative/pki"}, "invalid --cert-dir"},
           {{"all", ip, "--ca-dirs=etc/ssl"}, "invalid --ca-dirs"},
           {{"all", ip, "--apiserver-cert-extra-sans=bad_san!"}, "invalid certificate SAN"},
           {{"all", ip, "--no-such-flag=1"}, "unknown flag: --no-such-flag"},
           {{"everything", ip}, "unknown phase \"everything\""},
           {{ip}, "missing phase"},
           {{"all", ip, "--config=/nonexistent/kubeadm.yaml"}, "cannot read --config"},
       }) {
    std::string err = error_of(c.args);
    EXPECT_NE(err.find(c.want), std::string::npos) << "args " << c.args.back() << " gave: " << err;
    EXPECT_EQ(err.find('\n'), std::string::npos) << err;
  }
}

TEST(RenderArgs, ConfigFileVersionsAndExtraArgs) {
  TempDir dir;
  write(
      dir.file("b3.yaml"),
      "apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\nlocalAPIEndpoint:\n"
      "  advertiseAddress: 10.0.0.7\n  bindPort: 7443\nnodeRegistration:\n  name: node-a\n---\n"
      "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.25.0\n"
      "apiServer:\n  certSANs: [k8s.example.com]\n  extraArgs:\n    audit-log-maxage: \"30\"\n"
      "networking:\n  podSubnet: 10.244.0.0/16\n---\n"
      "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n");
  auto cfg = parse({"all", "--config=" + dir.file("b3.yaml")});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->advertise_address, "10.0.0.7");
  EXPECT_EQ(cfg->bind_port, 7443);
  EXPECT_EQ(cfg->node_name, "node-a");
  EXPECT_EQ(cfg->rules.version.minor, 25);
  EXPECT_EQ(cfg->cert_sans, std::vector<std::string>{"k8s.example.com"});
  EXPECT_EQ(cfg->apiserver_args, (Args{{"audit-log-maxage", "30"}}));
  EXPECT_EQ(cfg->pod_network_cidr, "10.244.0.0/16");
  // A flag wins over the file.
  auto flagged = parse({"all", "--config=" + dir.file("b3.yaml"), "--kubernetes-version=v1.22.3"});
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->rules.version.text(), "v1.22.3");
  // v1beta3 is not accepted by kubeadm 1.21; v1beta4 not by 1.30; v1beta2 not by 1.26.
  EXPECT_NE(error_of({"all", "--config=" + dir.file("b3.yaml"), "--kubernetes-version=v1.21.0"})
                .find("apiVersion \"kubeadm.k8s.io/v1beta3\" is not accepted by kubeadm v1.21.0"),
            std::string::npos);

  write(
      dir.file("b4.yaml"),
      "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.31.0\n"
      "apiServer:\n  extraArgs:\n  - name: authorization-mode\n    value: Node,RBAC,Webhook\n");
  auto b4 =
      parse({"all", "--config=" + dir.file("b4.yaml"), "--apiserver-advertise-address=10.0.0.1"});
  ASSERT_TRUE(b4.ok()) << b4.error().message;
  EXPECT_EQ(b4->apiserver_args, (Args{{"authorization-mode", "Node,RBAC,Webhook"}}));
  EXPECT_NE(error_of({"all", "--config=" + dir.file("b4.yaml"),
                      "--apiserver-advertise-address=10.0.0.1", "--kubernetes-version=v1.30.0"})
                .find("is not accepted"),
            std::string::npos);

  write(dir.file("b4map.yaml"),
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  "
        "extraArgs:\n    a: b\n");
  EXPECT_NE(error_of({"all", "--config=" + dir.file("b4map.yaml"),
                      "--apiserver-advertise-address=10.0.0.1"})
                .find("must be a list of {name, value} in v1beta4"),
            std::string::npos);
}

TEST(RenderOutput, BadInputWritesNothing) {
  TempDir dir;
  const std::string out = dir.path() + "/out";
  EXPECT_NE(kapi::render_main, nullptr);
  std::vector<std::string> argv_s = {"render", "all", "--apiserver-advertise-address=not-an-ip",
                                     "--out-dir=" + out};
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  EXPECT_EQ(kapi::render_main(static_cast<int>(argv.size()), argv.data()), 1);
  EXPECT_FALSE(fs::exists(out));
}

TEST(RenderOutput, UnwritableOutDirIsAnError) {
  TempDir dir;
  write(dir.file("file"), "x");
  auto cfg = parse(
      {"all", "--apiserver-advertise-address=10.0.0.1", "--out-dir=" + dir.file("file") + "/out"});
  ASSERT_TRUE(cfg.ok());
  cfg->key_type = tls::KeyType::kEcdsaP256;
  auto s = run_render(*cfg);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message.rfind("cannot write to " + dir.file("file") + "/out", 0), 0u)
      << s.error().message;
  EXPECT_EQ(s.error().message.find('\n'), std::string::npos);
}

TEST(RenderOutput, AnExistingInvalidCertificateStopsTheWholeRun) {
  TempDir dir;
  const std::string out = dir.path() + "/k";
  auto cfg = parse({"all", "--apiserver-advertise-address=10.0.0.1", "--out-dir=" + out});
  ASSERT_TRUE(cfg.ok());
  cfg->key_type = tls::KeyType::kEcdsaP256;
  ASSERT_TRUE(run_render(*cfg).ok());
  // Another advertise address: the existing apiserver certificate lacks the new SAN.
  fs::remove_all(out + "/manifests");
  fs::remove(out + "/admin.conf");
  auto moved = parse({"all", "--apiserver-advertise-address=10.0.0.2", "--out-dir=" + out});
  ASSERT_TRUE(moved.ok());
  moved->key_type = tls::KeyType::kEcdsaP256;
  auto s = run_render(*moved);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("pki/apiserver.crt lacks the SAN 10.0.0.2"), std::string::npos)
      << s.error().message;
  EXPECT_FALSE(fs::exists(out + "/manifests"));
  EXPECT_FALSE(fs::exists(out + "/admin.conf"));
  for (const auto& e : fs::directory_iterator(out)) {
    EXPECT_EQ(e.path().filename().string().find(".kapi-render"),
              std::string::npos);  // no staging left
  }
}

TEST(RenderOutput, KubeconfigPhaseNeedsTheCa) {
  TempDir dir;
  auto cfg = parse(
      {"kubeconfig", "--apiserver-advertise-address=10.0.0.1", "--out-dir=" + dir.path() + "/k"});
  ASSERT_TRUE(cfg.ok());
  auto s = run_render(*cfg);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("run `kapi render certs` first"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path() + "/k"));
}

TEST(RenderOutput, PhasesWriteOnlyTheirFiles) {
  TempDir dir;
  auto cfg =
      parse({"etcd", "--apiserver-advertise-address=10.0.0.1", "--out-dir=" + dir.path() + "/k"});
  ASSERT_TRUE(cfg.ok());
  ASSERT_TRUE(run_render(*cfg).ok());
  EXPECT_TRUE(fs::exists(dir.path() + "/k/manifests/etcd.yaml"));
  EXPECT_FALSE(fs::exists(dir.path() + "/k/manifests/kube-apiserver.yaml"));
  EXPECT_FALSE(fs::exists(dir.path() + "/k/pki"));
  auto cp = parse({"control-plane", "--apiserver-advertise-address=10.0.0.1",
                   "--out-dir=" + dir.path() + "/k"});
  ASSERT_TRUE(cp.ok());
  ASSERT_TRUE(run_render(*cp).ok());
  EXPECT_TRUE(fs::exists(dir.path() + "/k/manifests/kube-scheduler.yaml"));
  EXPECT_TRUE(fs::exists(dir.path() + "/k/manifests/etcd.yaml"));  // untouched
}

}  // namespace
}  // namespace kapi::render
