#pragma once
// Which kubeadm rules apply to a requested Kubernetes version. kubeadm's output changes between
// minor releases (flags added and removed, probes, registry, etcd image); every such difference
// that `kapi render` reproduces is one field here, set from the minor (and patch) version in
// rules_for(). Sources: kubeadm at each release tag (cmd/kubeadm/app/...), see version.cpp.
#include <string>
#include <string_view>

#include "pkg/tls/result.h"

namespace kapi::render {

using tls::Error;
using tls::Result;
using tls::Status;

struct KubeVersion {
  int major = 1;
  int minor = 0;
  int patch = 0;
  std::string text() const;  // "v1.19.4"
};

// The version kapi itself implements (kapi serve reports v1.33.0): the default of
// --kubernetes-version, so rendering needs no network lookup.
inline constexpr std::string_view kDefaultKubernetesVersion = "v1.33.0";
inline constexpr int kOldestMinor = 19;  // oldest minor whose rules are modelled
inline constexpr int kNewestMinor = 33;  // newest minor whose rules are modelled

// "v1.19.4" or "1.19.4" (kubeadm accepts both). Labels ("stable", "latest-1.28") need a network
// lookup in kubeadm and are rejected. Error: `unsupported Kubernetes version "X": ...`.
Result<KubeVersion> parse_kube_version(std::string_view text);

// Everything version-dependent in kubeadm's output, as of the .0 release of each minor.
struct Rules {
  KubeVersion version;
  std::string image_repository;  // default registry: k8s.gcr.io, registry.k8s.io from 1.25
  std::string etcd_image_tag;    // constants.SupportedEtcdVersion[minor], e.g. "3.4.13-0"
  // kubeadm.k8s.io API versions that --config may use.
  bool accepts_v1beta2 = false;  // up to 1.25
  bool accepts_v1beta3 = false;  // from 1.22
  bool accepts_v1beta4 = false;  // from 1.31

  // kube-apiserver
  bool apiserver_insecure_port = false;  // --insecure-port=0, removed in 1.22
  bool apiserver_service_account_issuer =
      false;  // --service-account-issuer/-signing-key-file, 1.20
  // kube-controller-manager / kube-scheduler
  bool controller_manager_port0 = false;  // --port=0, 1.19 to 1.22
  bool scheduler_port0 = false;           // --port=0, 1.19 to 1.22
  // etcd
  bool etcd_resources = false;              // requests cpu/memory, from 1.20
  bool etcd_ephemeral_storage = false;      // + ephemeral-storage 100Mi, 1.20 and 1.21 only
  bool etcd_initial_corrupt_check = false;  // --experimental-initial-corrupt-check, 1.24
  bool etcd_watch_progress_notify = false;  // --experimental-watch-progress-notify-interval, 1.25
  std::string etcd_liveness_path;           // /health; serializable variants 1.25; /livez 1.31
  std::string etcd_startup_path;
  std::string etcd_readiness_path;  // "" = no readiness probe (before 1.31)
  // every static Pod
  bool pod_seccomp_runtime_default = false;  // securityContext.seccompProfile, 1.22
  bool pod_priority_value = false;           // spec.priority: 2000001000, 1.27
  bool mount_etc_pki_subdirs = false;        // /etc/pki/ca-trust + /etc/pki/tls/certs, 1.31
  // PKI and kubeconfigs
  std::string admin_group;                   // admin.conf and apiserver-kubelet-client O
  bool super_admin_conf = false;             // super-admin.conf, 1.29
  bool etcd_clients_system_masters = false;  // O=system:masters on the two etcd clients, to 1.28
};

// Error for versions outside [kOldestMinor, kNewestMinor] (major 1).
Result<Rules> rules_for(const KubeVersion& v);

}  // namespace kapi::render
