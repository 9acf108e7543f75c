#include "pkg/render/version.h"

#include <array>
#include <charconv>

namespace kapi::render {
namespace {

bool parse_uint(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  if (s.size() > 1 && s[0] == '0') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc();
}

// constants.SupportedEtcdVersion / DefaultEtcdVersion (cmd/kubeadm/app/constants/constants.go)
// as each minor's .0 tag has it, index = minor - kOldestMinor.
constexpr std::array<std::string_view, kNewestMinor - kOldestMinor + 1> kEtcdTags = {
    "3.4.13-0",  // 1.19
    "3.4.13-0",  // 1.20
    "3.4.13-0",  // 1.21
    "3.5.0-0",   // 1.22
    "3.5.1-0",   // 1.23
    "3.5.3-0",   // 1.24
    "3.5.4-0",   // 1.25
    "3.5.6-0",   // 1.26
    "3.5.7-0",   // 1.27
    "3.5.9-0",   // 1.28
    "3.5.10-0",  // 1.29
    "3.5.12-0",  // 1.30
    "3.5.15-0",  // 1.31
    "3.5.16-0",  // 1.32
    "3.5.21-0",  // 1.33
};

}  // namespace

std::string KubeVersion::text() const {
  return "v" + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

Result<KubeVersion> parse_kube_version(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Error{
        tls::ErrorCode::kInvalidArgument,
        "unsupported Kubernetes version \"" + std::string(text) + "\": " + std::string(why)};
  };
  std::string_view s = text;
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  KubeVersion v;
  size_t d1 = s.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : s.find('.', d1 + 1);
  if (d2 == std::string_view::npos || !parse_uint(s.substr(0, d1), v.major) ||
      !parse_uint(s.substr(d1 + 1, d2 - d1 - 1), v.minor) ||
      !parse_uint(s.substr(d2 + 1), v.patch)) {
    return bad("expected vMAJOR.MINOR.PATCH, e.g. v1.19.4 (version labels need a network lookup)");
  }
  if (v.major != 1 || v.minor < kOldestMinor || v.minor > kNewestMinor) {
    return bad("kapi render knows kubeadm's rules for v1." + std::to_string(kOldestMinor) +
               " to v1." + std::to_string(kNewestMinor));
  }
  return v;
}

Result<Rules> rules_for(const KubeVersion& v) {
  if (v.major != 1 || v.minor < kOldestMinor || v.minor > kNewestMinor) {
    return Error{tls::ErrorCode::kInvalidArgument,
                 "unsupported Kubernetes version \"" + v.text() + "\""};
  }
  const int m = v.minor;
  Rules r;
  r.version = v;
  // constants.DefaultImageRepository: "registry.k8s.io" since kubeadm 1.25 (PR 109938).
  r.image_repository = m >= 25 ? "registry.k8s.io" : "k8s.gcr.io";
  r.etcd_image_tag = std::string(kEtcdTags[static_cast<size_t>(m - kOldestMinor)]);
  r.accepts_v1beta2 = m <= 25;
  r.accepts_v1beta3 = m >= 22;
  r.accepts_v1beta4 = m >= 31;

  // phases/controlplane/manifests.go
  r.apiserver_insecure_port = m < 22;            // removed by PR 102121 (1.22)
  r.apiserver_service_account_issuer = m >= 20;  // BoundServiceAccountTokenVolume (1.20)
  r.controller_manager_port0 = m < 23;           // added 1.19 (PR 92720), removed 1.23 (PR 104157)
  r.scheduler_port0 = m < 23;                    // removed 1.23 (PR 105034)

  // phases/etcd/local.go
  r.etcd_resources = m >= 20;                     // PR 94479 (1.20)
  r.etcd_ephemeral_storage = m == 20 || m == 21;  // dropped by PR 102673 (1.22)
  r.etcd_initial_corrupt_check = m >= 24;         // PR 109074 (1.24; later 1.22/1.23 patches)
  r.etcd_watch_progress_notify = m >= 25;         // PR 111383 (1.25)
  if (m >= 31) {                                  // PR 124465: etcd >= 3.5.11 /livez and /readyz
    r.etcd_liveness_path = "/livez";
    r.etcd_startup_path = "/readyz";
    r.etcd_readiness_path = "/readyz";
  } else if (m >= 25) {  // PRs 110072 and 110744
    r.etcd_liveness_path = "/health?exclude=NOSPACE&serializable=true";
    r.etcd_startup_path = "/health?serializable=false";
  } else {
    r.etcd_liveness_path = "/health";
    r.etcd_startup_path = "/health";
  }

  // util/staticpod/utils.go ComponentPod and phases/controlplane/volumes.go
  r.pod_seccomp_runtime_default = m >= 22;  // PR 100234 (1.22)
  r.pod_priority_value = m >= 27;           // PR 114338 (1.27)
  r.mount_etc_pki_subdirs = m >= 31;        // PR 124361 (1.31)

  // phases/certs/certlist.go, phases/kubeconfig/kubeconfig.go
  r.admin_group = m >= 29 ? "kubeadm:cluster-admins" : "system:masters";
  r.super_admin_conf = m >= 29;
  r.etcd_clients_system_masters = m < 29;  // PRs 119859 and 120521 (1.29)
  return r;
}

}  // namespace kapi::render
