#include "pkg/render/manifests.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"
#include "pkg/runtime/yaml.h"

namespace kapi::render {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kKubernetesDir = "/etc/kubernetes";  // kubeadmconstants.KubernetesDir
constexpr int kKubeControllerManagerPort = 10257;  // kubeadmconstants.KubeControllerManagerPort
constexpr int kKubeSchedulerPort = 10259;          // kubeadmconstants.KubeSchedulerPort
constexpr int kEtcdListenClientPort = 2379;
constexpr int kEtcdListenPeerPort = 2380;
constexpr int kEtcdMetricsPort = 2381;
// kubeadmconstants.DefaultControlPlaneTimeout (4m) / v1beta4 controlPlaneComponentHealthCheck.
constexpr int kControlPlaneTimeoutSeconds = 240;

std::string join_host_port(const std::string& host, int port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string path_join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

// staticpod.createHTTPProbe
Json http_probe(const std::string& host, const std::string& path, int port, const char* scheme,
                int initial_delay, int timeout, int failure_threshold, int period) {
  Json p;
  p["httpGet"] = {{"host", host}, {"path", path}, {"port", port}, {"scheme", scheme}};
  if (initial_delay) p["initialDelaySeconds"] = initial_delay;
  p["timeoutSeconds"] = timeout;
  p["failureThreshold"] = failure_threshold;
  p["periodSeconds"] = period;
  return p;
}
Json liveness_probe(const std::string& host, const std::string& path, int port,
                    const char* scheme) {
  return http_probe(host, path, port, scheme, 10, 15, 8, 10);
}
Json readiness_probe(const std::string& host, const std::string& path, int port,
                     const char* scheme) {
  return http_probe(host, path, port, scheme, 0, 15, 3, 1);
}
Json startup_probe(const std::string& host, const std::string& path, int port, const char* scheme) {
  const int period = 10;
  const int failure = (kControlPlaneTimeoutSeconds + period - 1) / period;
  return http_probe(host, path, port, scheme, period, 15, failure, period);
}

struct HostPathMount {
  std::string name, path;
  const char* type;
  bool read_only;
};

Json volumes_json(std::vector<HostPathMount> mounts) {
  std::sort(mounts.begin(), mounts.end(),
            [](const HostPathMount& a, const HostPathMount& b) { return a.name < b.name; });
  Json out = Json::array();
  for (const auto& m : mounts) {
    out.push_back({{"name", m.name}, {"hostPath", {{"path", m.path}, {"type", m.type}}}});
  }
  return out;
}

// VolumeMountMapToSlice sorts by name; etcd passes its two mounts in a fixed order instead.
Json mounts_json(std::vector<HostPathMount> mounts, bool sort = true) {
  if (sort) {
    std::sort(mounts.begin(), mounts.end(),
              [](const HostPathMount& a, const HostPathMount& b) { return a.name < b.name; });
  }
  Json out = Json::array();
  for (const auto& m : mounts) {
    Json vm = {{"name", m.name}, {"mountPath", m.path}};
    if (m.read_only) vm["readOnly"] = true;
    out.push_back(vm);
  }
  return out;
}

Json env_json(const RenderConfig& cfg) {
  Json env = Json::array();
  for (const auto& [k, v] : cfg.proxy_env) env.push_back({{"name", k}, {"value", v}});
  return env;
}

// staticpod.ComponentPod
Json component_pod(const RenderConfig& cfg, Json container, const std::vector<HostPathMount>& vols,
                   const Json& annotations) {
  Json pod;
  pod["apiVersion"] = "v1";
  pod["kind"] = "Pod";
  Json& md = pod["metadata"];
  md["name"] = container["name"];
  md["namespace"] = "kube-system";
  md["labels"] = {{"component", container["name"]}, {"tier", "control-plane"}};
  if (!annotations.is_null()) md["annotations"] = annotations;
  Json& spec = pod["spec"];
  spec["containers"] = Json::array({std::move(container)});
  if (cfg.rules.pod_priority_value) spec["priority"] = 2000001000;  // system-node-critical
  spec["priorityClassName"] = "system-node-critical";
  spec["hostNetwork"] = true;
  spec["volumes"] = volumes_json(vols);
  if (cfg.rules.pod_seccomp_runtime_default) {
    spec["securityContext"] = {{"seccompProfile", {{"type", "RuntimeDefault"}}}};
  }
  return pod;
}

std::string encode_pod(const Json& pod) {
  const runtime::StructType* type = runtime::Schema::get().find("io.k8s.api.core.v1.Pod");
  runtime::DecodeResult dr;
  Json normalized = runtime::normalize(pod, *type, dr);
  return runtime::json_to_yaml(normalized);
}

Json resources(std::initializer_list<std::pair<const char*, const char*>> requests) {
  Json r = Json::object();
  for (const auto& [k, v] : requests) r[k] = v;
  return {{"requests", r}};
}

// The CA folders of the host mounted into kube-apiserver and kube-controller-manager
// (volumes.go: /etc/ssl/certs as "ca-certs", the others named after their path).
void add_ca_mounts(const RenderConfig& cfg, std::vector<HostPathMount>& mounts) {
  mounts.push_back({"ca-certs", "/etc/ssl/certs", "DirectoryOrCreate", true});
  std::set<std::string> names = {"ca-certs"};
  for (const auto& dir : cfg.ca_dirs) {
    if (dir == "/etc/ssl/certs") continue;
    std::string name = dir.substr(1);
    std::replace(name.begin(), name.end(), '/', '-');
    if (!names.insert(name).second) continue;
    mounts.push_back({name, dir, "DirectoryOrCreate", true});
  }
}

const std::string* find_arg(const Args& args, const std::string& name) {
  for (auto it = args.rbegin(); it != args.rend(); ++it)
    if (it->name == name) return &it->value;
  return nullptr;
}

// manifests.go getAuthzModes: Node,RBAC unless extraArgs names valid modes.
std::string authz_modes(const Args& extra) {
  const std::string* requested = find_arg(extra, "authorization-mode");
  if (requested && !requested->empty()) {
    static const std::set<std::string> valid = {"Node", "RBAC",        "Webhook",
                                                "ABAC", "AlwaysAllow", "AlwaysDeny"};
    std::string modes;
    size_t start = 0;
    while (start <= requested->size()) {
      size_t comma = requested->find(',', start);
      if (comma == std::string::npos) comma = requested->size();
      std::string m = requested->substr(start, comma - start);
      if (valid.count(m)) modes += (modes.empty() ? "" : ",") + m;
      start = comma + 1;
    }
    if (!modes.empty()) return modes;
  }
  return "Node,RBAC";
}

std::string etcd_localhost(const RenderConfig& cfg) {
  return cfg.advertise_ipv6 ? "::1" : "127.0.0.1";
}

std::string probe_address(const std::string& bind) {
  // staticpod.getProbeAddress: the unspecified address cannot be probed.
  return bind == "0.0.0.0" || bind == "::" ? "" : bind;
}

}  // namespace

std::vector<std::string> build_command(const std::string& program, const Args& defaults,
                                       const Args& overrides) {
  std::set<std::string> overridden;
  for (const auto& a : overrides) overridden.insert(a.name);
  Args args = overrides;
  for (const auto& a : defaults)
    if (!overridden.count(a.name)) args.push_back(a);
  std::stable_sort(args.begin(), args.end(), [](const Arg& a, const Arg& b) {
    return a.name == b.name ? a.value < b.value : a.name < b.name;
  });
  std::vector<std::string> cmd = {program};
  for (const auto& a : args) cmd.push_back("--" + a.name + "=" + a.value);
  return cmd;
}

std::string kube_apiserver_manifest(const RenderConfig& cfg) {
  const auto& r = cfg.rules;
  const std::string& pki = cfg.cert_dir;
  Args d = {
      {"advertise-address", cfg.advertise_address},
      {"enable-admission-plugins", "NodeRestriction"},
      {"service-cluster-ip-range", cfg.service_cidr},
      {"service-account-key-file", path_join(pki, "sa.pub")},
      {"client-ca-file", path_join(pki, "ca.crt")},
      {"tls-cert-file", path_join(pki, "apiserver.crt")},
      {"tls-private-key-file", path_join(pki, "apiserver.key")},
      {"kubelet-client-certificate", path_join(pki, "apiserver-kubelet-client.crt")},
      {"kubelet-client-key", path_join(pki, "apiserver-kubelet-client.key")},
      {"enable-bootstrap-token-auth", "true"},
      {"secure-port", std::to_string(cfg.bind_port)},
      {"allow-privileged", "true"},
      {"kubelet-preferred-address-types", "InternalIP,ExternalIP,Hostname"},
      {"requestheader-username-headers", "X-Remote-User"},
      {"requestheader-group-headers", "X-Remote-Group"},
      {"requestheader-extra-headers-prefix", "X-Remote-Extra-"},
      {"requestheader-client-ca-file", path_join(pki, "front-proxy-ca.crt")},
      {"requestheader-allowed-names", "front-proxy-client"},
      {"proxy-client-cert-file", path_join(pki, "front-proxy-client.crt")},
      {"proxy-client-key-file", path_join(pki, "front-proxy-client.key")},
  };
  if (r.apiserver_insecure_port) d.push_back({"insecure-port", "0"});
  if (r.apiserver_service_account_issuer) {
    d.push_back({"service-account-signing-key-file", path_join(pki, "sa.key")});
    d.push_back({"service-account-issuer", "https://kubernetes.default.svc." + cfg.dns_domain});
  }
  std::string etcd_servers =
      "https://" + join_host_port(etcd_localhost(cfg), kEtcdListenClientPort);
  if (const std::string* adv = find_arg(cfg.etcd_args, "advertise-client-urls"))
    etcd_servers = *adv;
  d.push_back({"etcd-servers", etcd_servers});
  d.push_back({"etcd-cafile", path_join(pki, "etcd/ca.crt")});
  d.push_back({"etcd-certfile", path_join(pki, "apiserver-etcd-client.crt")});
  d.push_back({"etcd-keyfile", path_join(pki, "apiserver-etcd-client.key")});

  // kubeadm writes the computed authorization-mode into extraArgs (unless, from 1.30, an
  // authorization-config is given).
  Args extra = cfg.apiserver_args;
  if (!find_arg(extra, "authorization-config")) {
    std::string modes = authz_modes(extra);
    extra.erase(std::remove_if(extra.begin(), extra.end(),
                               [](const Arg& a) { return a.name == "authorization-mode"; }),
                extra.end());
    extra.push_back({"authorization-mode", modes});
  }

  std::vector<HostPathMount> mounts = {{"k8s-certs", cfg.cert_dir, "DirectoryOrCreate", true}};
  add_ca_mounts(cfg, mounts);

  const std::string host = cfg.advertise_address;  // GetAPIServerProbeAddress
  Json c;
  c["name"] = "kube-apiserver";
  c["image"] = cfg.image_repository + "/kube-apiserver:" + r.version.text();
  c["imagePullPolicy"] = "IfNotPresent";
  c["command"] = build_command("kube-apiserver", d, extra);
  c["volumeMounts"] = mounts_json(mounts);
  c["livenessProbe"] = liveness_probe(host, "/livez", cfg.bind_port, "HTTPS");
  c["readinessProbe"] = readiness_probe(host, "/readyz", cfg.bind_port, "HTTPS");
  c["startupProbe"] = startup_probe(host, "/livez", cfg.bind_port, "HTTPS");
  c["resources"] = resources({{"cpu", "250m"}});
  c["env"] = env_json(cfg);
  Json ann = {{"kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint",
               join_host_port(cfg.advertise_address, cfg.bind_port)}};
  return encode_pod(component_pod(cfg, std::move(c), mounts, ann));
}

std::string kube_controller_manager_manifest(const RenderConfig& cfg) {
  const auto& r = cfg.rules;
  const std::string& pki = cfg.cert_dir;
  const std::string kubeconfig = path_join(kKubernetesDir, "controller-manager.conf");
  Args d = {
      {"bind-address", "127.0.0.1"},
      {"leader-elect", "true"},
      {"kubeconfig", kubeconfig},
      {"authentication-kubeconfig", kubeconfig},
      {"authorization-kubeconfig", kubeconfig},
      {"client-ca-file", path_join(pki, "ca.crt")},
      {"requestheader-client-ca-file", path_join(pki, "front-proxy-ca.crt")},
      {"root-ca-file", path_join(pki, "ca.crt")},
      {"service-account-private-key-file", path_join(pki, "sa.key")},
      {"cluster-signing-cert-file", path_join(pki, "ca.crt")},
      {"cluster-signing-key-file", path_join(pki, "ca.key")},
      {"use-service-account-credentials", "true"},
      {"controllers", "*,bootstrapsigner,tokencleaner"},
  };
  if (r.controller_manager_port0) d.push_back({"port", "0"});
  if (!cfg.pod_network_cidr.empty()) {
    d.push_back({"allocate-node-cidrs", "true"});
    d.push_back({"cluster-cidr", cfg.pod_network_cidr});
    d.push_back({"service-cluster-ip-range", cfg.service_cidr});
  }
  if (!cfg.cluster_name.empty()) d.push_back({"cluster-name", cfg.cluster_name});

  std::vector<HostPathMount> mounts = {
      {"k8s-certs", cfg.cert_dir, "DirectoryOrCreate", true},
      {"kubeconfig", kubeconfig, "FileOrCreate", true},
  };
  std::string flexvolume = "/usr/libexec/kubernetes/kubelet-plugins/volume/exec";
  if (const std::string* v = find_arg(cfg.controller_manager_args, "flex-volume-plugin-dir"))
    flexvolume = *v;
  // Not read-only: third-party plugins talk to their storage backends through sockets in it.
  mounts.push_back({"flexvolume-dir", flexvolume, "DirectoryOrCreate", false});
  add_ca_mounts(cfg, mounts);

  std::string host = "127.0.0.1";
  if (const std::string* b = find_arg(cfg.controller_manager_args, "bind-address"))
    host = probe_address(*b);
  Json c;
  c["name"] = "kube-controller-manager";
  c["image"] = cfg.image_repository + "/kube-controller-manager:" + r.version.text();
  c["imagePullPolicy"] = "IfNotPresent";
  c["command"] = build_command("kube-controller-manager", d, cfg.controller_manager_args);
  c["volumeMounts"] = mounts_json(mounts);
  c["livenessProbe"] = liveness_probe(host, "/healthz", kKubeControllerManagerPort, "HTTPS");
  c["startupProbe"] = startup_probe(host, "/healthz", kKubeControllerManagerPort, "HTTPS");
  c["resources"] = resources({{"cpu", "200m"}});
  c["env"] = env_json(cfg);
  return encode_pod(component_pod(cfg, std::move(c), mounts, Json()));
}

std::string kube_scheduler_manifest(const RenderConfig& cfg) {
  const auto& r = cfg.rules;
  const std::string kubeconfig = path_join(kKubernetesDir, "scheduler.conf");
  Args d = {
      {"bind-address", "127.0.0.1"},
      {"leader-elect", "true"},
      {"kubeconfig", kubeconfig},
      {"authentication-kubeconfig", kubeconfig},
      {"authorization-kubeconfig", kubeconfig},
  };
  if (r.scheduler_port0) d.push_back({"port", "0"});
  std::vector<HostPathMount> mounts = {{"kubeconfig", kubeconfig, "FileOrCreate", true}};

  std::string host = "127.0.0.1";
  if (const std::string* b = find_arg(cfg.scheduler_args, "bind-address")) host = probe_address(*b);
  Json c;
  c["name"] = "kube-scheduler";
  c["image"] = cfg.image_repository + "/kube-scheduler:" + r.version.text();
  c["imagePullPolicy"] = "IfNotPresent";
  c["command"] = build_command("kube-scheduler", d, cfg.scheduler_args);
  c["volumeMounts"] = mounts_json(mounts);
  c["livenessProbe"] = liveness_probe(host, "/healthz", kKubeSchedulerPort, "HTTPS");
  c["startupProbe"] = startup_probe(host, "/healthz", kKubeSchedulerPort, "HTTPS");
  c["resources"] = resources({{"cpu", "100m"}});
  c["env"] = env_json(cfg);
  return encode_pod(component_pod(cfg, std::move(c), mounts, Json()));
}

std::string etcd_manifest(const RenderConfig& cfg) {
  const auto& r = cfg.rules;
  const std::string& pki = cfg.cert_dir;
  const std::string local = etcd_localhost(cfg);
  const std::string client_url =
      "https://" + join_host_port(cfg.advertise_address, kEtcdListenClientPort);
  const std::string peer_url =
      "https://" + join_host_port(cfg.advertise_address, kEtcdListenPeerPort);
  Args d = {
      {"name", cfg.node_name},
      {"listen-client-urls",
       "https://" + join_host_port(local, kEtcdListenClientPort) + "," + client_url},
      {"advertise-client-urls", client_url},
      {"listen-peer-urls", peer_url},
      {"initial-advertise-peer-urls", peer_url},
      {"data-dir", cfg.etcd_data_dir},
      {"cert-file", path_join(pki, "etcd/server.crt")},
      {"key-file", path_join(pki, "etcd/server.key")},
      {"trusted-ca-file", path_join(pki, "etcd/ca.crt")},
      {"client-cert-auth", "true"},
      {"peer-cert-file", path_join(pki, "etcd/peer.crt")},
      {"peer-key-file", path_join(pki, "etcd/peer.key")},
      {"peer-trusted-ca-file", path_join(pki, "etcd/ca.crt")},
      {"peer-client-cert-auth", "true"},
      {"snapshot-count", "10000"},
      {"listen-metrics-urls", "http://" + join_host_port(local, kEtcdMetricsPort)},
      {"initial-cluster", cfg.node_name + "=" + peer_url},
  };
  if (r.etcd_initial_corrupt_check) d.push_back({"experimental-initial-corrupt-check", "true"});
  if (r.etcd_watch_progress_notify)
    d.push_back({"experimental-watch-progress-notify-interval", "5s"});

  // staticpod.GetEtcdProbeEndpoint: the first listen-metrics-urls entry, else localhost:2381.
  std::string probe_host = local, scheme = "HTTP";
  int probe_port = kEtcdMetricsPort;
  if (const std::string* m = find_arg(cfg.etcd_args, "listen-metrics-urls")) {
    std::string u = m->substr(0, m->find(','));
    if (u.rfind("https://", 0) == 0) scheme = "HTTPS";
    size_t hs = u.find("://");
    std::string hp = hs == std::string::npos ? u : u.substr(hs + 3);
    hp = hp.substr(0, hp.find('/'));
    std::string h = hp, p;
    if (!hp.empty() && hp[0] == '[') {
      size_t close = hp.find(']');
      h = hp.substr(1, close == std::string::npos ? std::string::npos : close - 1);
      if (close != std::string::npos && close + 1 < hp.size() && hp[close + 1] == ':')
        p = hp.substr(close + 2);
    } else if (hp.find(':') != std::string::npos) {
      h = hp.substr(0, hp.find(':'));
      p = hp.substr(hp.find(':') + 1);
    }
    if (!h.empty()) probe_host = h;
    if (!p.empty() && std::all_of(p.begin(), p.end(), ::isdigit) && p.size() <= 5) {
      int port = std::stoi(p);
      if (port > 0 && port < 65536) probe_port = port;
    }
  }

  // The data dir is listed first: etcd's mounts are a literal slice, not a sorted map.
  std::vector<HostPathMount> mounts = {
      {"etcd-data", cfg.etcd_data_dir, "DirectoryOrCreate", false},
      {"etcd-certs", cfg.cert_dir + "/etcd", "DirectoryOrCreate", false},
  };
  Json c;
  c["name"] = "etcd";
  c["command"] = build_command("etcd", d, cfg.etcd_args);
  c["image"] = cfg.image_repository + "/etcd:" + r.etcd_image_tag;
  c["imagePullPolicy"] = "IfNotPresent";
  c["volumeMounts"] = mounts_json(mounts, /*sort=*/false);
  if (r.etcd_resources) {
    c["resources"] =
        r.etcd_ephemeral_storage
            ? resources({{"cpu", "100m"}, {"memory", "100Mi"}, {"ephemeral-storage", "100Mi"}})
            : resources({{"cpu", "100m"}, {"memory", "100Mi"}});
  }
  const char* sch = scheme == "HTTPS" ? "HTTPS" : "HTTP";
  c["livenessProbe"] = liveness_probe(probe_host, r.etcd_liveness_path, probe_port, sch);
  if (!r.etcd_readiness_path.empty()) {
    c["readinessProbe"] = readiness_probe(probe_host, r.etcd_readiness_path, probe_port, sch);
  }
  c["startupProbe"] = startup_probe(probe_host, r.etcd_startup_path, probe_port, sch);
  Json ann = {{"kubeadm.kubernetes.io/etcd.advertise-client-urls", client_url}};
  return encode_pod(component_pod(cfg, std::move(c), mounts, ann));
}

}  // namespace kapi::render
