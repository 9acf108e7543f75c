// `kapi render`: kubeadm-style PKI, kubeconfigs and static pod manifests (issue 7).
#include <cstdio>
#include <string>
#include <vector>

#include "pkg/render/manifests.h"
#include "pkg/render/output.h"
#include "pkg/render/pki.h"
#include "pkg/render/render.h"

namespace kapi::render {

Result<std::vector<OutFile>> render_files(const RenderConfig& cfg) {
  std::vector<OutFile> files;
  const Phase p = cfg.phase;
  if (p == Phase::kCerts || p == Phase::kAll) {
    auto pki = build_pki(cfg, files);
    if (!pki) return pki.error();
    if (p == Phase::kAll) {
      if (auto s = build_kubeconfigs(cfg, pki->certs.at("ca"), files); !s) return s.error();
    }
  } else if (p == Phase::kKubeconfig) {
    auto ca = load_ca(cfg);
    if (!ca) return ca.error();
    if (auto s = build_kubeconfigs(cfg, *ca, files); !s) return s.error();
  }
  if (p == Phase::kControlPlane || p == Phase::kAll) {
    files.push_back({"manifests/kube-apiserver.yaml", kube_apiserver_manifest(cfg), 0600});
    files.push_back(
        {"manifests/kube-controller-manager.yaml", kube_controller_manager_manifest(cfg), 0600});
    files.push_back({"manifests/kube-scheduler.yaml", kube_scheduler_manifest(cfg), 0600});
  }
  if (p == Phase::kEtcd || p == Phase::kAll) {
    files.push_back({"manifests/etcd.yaml", etcd_manifest(cfg), 0600});
  }
  return files;
}

Status run_render(const RenderConfig& cfg) {
  auto files = render_files(cfg);
  if (!files) return files.error();
  return write_outputs(cfg.out_dir, *files);
}

}  // namespace kapi::render

namespace kapi {

int render_main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  bool help = false;
  auto cfg = render::parse_render_args(args, render::HostEnv::current(), &help);
  if (help) {
    std::fputs(render::render_usage().c_str(), stdout);
    return 0;
  }
  if (!cfg) {
    std::fprintf(stderr, "error: %s\n", cfg.error().message.c_str());
    return 1;
  }
  if (auto s = render::run_render(*cfg); !s) {
    std::fprintf(stderr, "error: %s\n", s.error().message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace kapi
