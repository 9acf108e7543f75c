#pragma once
// `kapi render` input: kubeadm's flags and --config file, resolved and validated into one
// RenderConfig before anything is written.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pkg/render/version.h"
#include "pkg/tls/key.h"

namespace kapi::render {

// A component flag as kubeadm's v1beta4 `extraArgs: [{name, value}]` (older API versions' maps
// become the same list). Names have no leading dashes.
struct Arg {
  std::string name;
  std::string value;
  bool operator==(const Arg&) const = default;
};
using Args = std::vector<Arg>;

enum class Phase { kCerts, kKubeconfig, kControlPlane, kEtcd, kAll };

// Everything a run needs, with kubeadm's defaults applied.
struct RenderConfig {
  Phase phase = Phase::kAll;
  Rules rules;                    // from the Kubernetes version
  std::string advertise_address;  // canonical IP text
  bool advertise_ipv6 = false;
  int bind_port = 6443;
  std::string service_cidr = "10.96.0.0/12";
  std::string service_vip;  // first IP of the (first) service CIDR
  std::string pod_network_cidr;
  std::string dns_domain = "cluster.local";
  std::string node_name;
  std::string cert_dir = "/etc/kubernetes/pki";  // written INTO manifests (kubeadm certificatesDir)
  std::string control_plane_endpoint;            // host or host:port, may be empty
  std::string image_repository;                  // kubeadm's default for the version unless set
  std::string cluster_name = "kubernetes";
  std::string etcd_data_dir = "/var/lib/etcd";
  std::vector<std::string> cert_sans;         // apiServer.certSANs / --apiserver-cert-extra-sans
  std::vector<std::string> etcd_server_sans;  // etcd.local.serverCertSANs
  std::vector<std::string> etcd_peer_sans;    // etcd.local.peerCertSANs
  std::vector<std::string> ca_dirs;           // host CA folders mounted besides /etc/ssl/certs
  Args apiserver_args, controller_manager_args, scheduler_args, etcd_args;  // extraArgs
  std::vector<std::pair<std::string, std::string>> proxy_env;  // *_proxy variables, environ order
  std::string out_dir = "kubernetes";                          // where files are written

  // Not a flag: tests use ECDSA where the key type is not what they check (RSA is slow).
  tls::KeyType key_type = tls::KeyType::kRsa;

  // https://<controlPlaneEndpoint or advertise address>:<port>, as kubeadm's kubeconfigs use.
  std::string control_plane_url() const;
  std::string local_api_url() const;  // https://<advertise address>:<bind port>
};

// The host environment that flag defaults depend on; tests substitute it.
struct HostEnv {
  std::string hostname;                                      // --node-name default
  std::vector<std::pair<std::string, std::string>> environ;  // for *_proxy variables
  // Candidate CA folders that exist on this host (kubeadm mounts only those); nullptr = stat().
  bool (*dir_exists)(const std::string& path) = nullptr;
  static HostEnv current();
};

// Parses `render <phase> [flags]` (argv[0] == "render") and --config, applies defaults and
// validates everything (IPs, CIDRs, version, config API versions). `help` is set (and the
// result is an error with empty message) for -h/--help. Error messages are one line.
Result<RenderConfig> parse_render_args(const std::vector<std::string>& args, const HostEnv& env,
                                       bool* help = nullptr);

// The usage text of `kapi render`.
std::string render_usage();

}  // namespace kapi::render
