#include "pkg/render/options.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "pkg/runtime/yaml.h"
#include "pkg/tls/cidr.h"
#include "pkg/tls/file_util.h"

extern char** environ;

namespace kapi::render {
namespace {

using Json = nlohmann::ordered_json;

Error invalid(std::string msg) { return Error{tls::ErrorCode::kInvalidArgument, std::move(msg)}; }

// Flag values as given on the command line (only the ones present).
struct Flags {
  std::map<std::string, std::string> values;
  bool has(const std::string& k) const { return values.count(k) != 0; }
  const std::string& get(const std::string& k) const { return values.at(k); }
};

const std::vector<std::string>& known_flags() {
  static const std::vector<std::string> k = {"apiserver-advertise-address",
                                             "apiserver-bind-port",
                                             "kubernetes-version",
                                             "service-cidr",
                                             "pod-network-cidr",
                                             "service-dns-domain",
                                             "node-name",
                                             "cert-dir",
                                             "control-plane-endpoint",
                                             "image-repository",
                                             "config",
                                             "ca-dirs",
                                             "out-dir",
                                             "apiserver-cert-extra-sans"};
  return k;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(start, comma - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
      item.erase(0, 1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

bool is_dns1123_subdomain(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '.') return false;
    if ((i == 0 || i + 1 == s.size()) && !alnum) return false;
  }
  return true;
}

// A DNS name as accepted in certificate SANs (wildcards allowed, case-insensitive).
bool is_san_dns_name(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s.rfind("*.", 0) == 0) s = s.substr(2);
  return is_dns1123_subdomain(s);
}

Result<int> parse_port(const std::string& text, const std::string& what) {
  if (text.empty() || text.size() > 5 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return invalid("invalid " + what + " \"" + text + "\": not a port number");
  }
  int port = std::stoi(text);
  if (port < 1 || port > 65535)
    return invalid("invalid " + what + " \"" + text + "\": out of range");
  return port;
}

// --- --config -------------------------------------------------------------------------------

struct FileConfig {
  std::vector<std::string> api_versions;  // of the kubeadm documents, for validation
  std::optional<std::string> advertise_address, node_name, kubernetes_version,
      control_plane_endpoint, cert_dir, image_repository, cluster_name, service_cidr,
      pod_network_cidr, dns_domain, etcd_data_dir;
  std::optional<int> bind_port;
  std::vector<std::string> cert_sans, etcd_server_sans, etcd_peer_sans;
  Args apiserver_args, controller_manager_args, scheduler_args, etcd_args;
};

const Json* child(const Json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

Status get_string(const Json& j, const char* key, const std::string& path,
                  std::optional<std::string>& out) {
  const Json* v = child(j, key);
  if (!v) return {};
  if (!v->is_string())
    return invalid("invalid --config: " + path + "." + key + " must be a string");
  out = v->get<std::string>();
  return {};
}

Status get_strings(const Json& j, const char* key, const std::string& path,
                   std::vector<std::string>& out) {
  const Json* v = child(j, key);
  if (!v) return {};
  if (!v->is_array()) return invalid("invalid --config: " + path + "." + key + " must be a list");
  for (const auto& e : *v) {
    if (!e.is_string())
      return invalid("invalid --config: " + path + "." + key + " must be strings");
    out.push_back(e.get<std::string>());
  }
  return {};
}

// extraArgs: a map up to v1beta3, a list of {name, value} in v1beta4.
Status get_args(const Json& j, const std::string& path, bool v1beta4, Args& out) {
  const Json* v = child(j, "extraArgs");
  if (!v) return {};
  const std::string where = "invalid --config: " + path + ".extraArgs";
  if (v1beta4) {
    if (!v->is_array()) return invalid(where + " must be a list of {name, value} in v1beta4");
    for (const auto& e : *v) {
      const Json* n = child(e, "name");
      const Json* val = child(e, "value");
      if (!n || !n->is_string() || (val && !val->is_string())) {
        return invalid(where + " entries need a string name and value");
      }
      out.push_back({n->get<std::string>(), val ? val->get<std::string>() : std::string()});
    }
    return {};
  }
  if (!v->is_object()) return invalid(where + " must be a map of strings before v1beta4");
  for (const auto& [k, val] : v->items()) {
    if (!val.is_string()) return invalid(where + "." + k + " must be a string");
    out.push_back({k, val.get<std::string>()});
  }
  return {};
}

Result<FileConfig> load_config(const std::string& path) {
  auto text = tls::read_file(path);
  if (!text) return invalid("cannot read --config " + path + ": " + text.error().message);
  std::vector<Json> docs;
  std::string err;
  if (!runtime::yaml_to_json(*text, docs, &err))
    return invalid("invalid --config " + path + ": " + err);
  FileConfig fc;
  bool any = false;
  for (const Json& doc : docs) {
    if (!doc.is_object()) continue;
    std::string api = doc.value("apiVersion", "");
    std::string kind = doc.value("kind", "");
    if (api.rfind("kubeadm.k8s.io/", 0) != 0) continue;  // KubeletConfiguration etc.: not ours
    const std::string ver = api.substr(std::string("kubeadm.k8s.io/").size());
    if (ver != "v1beta2" && ver != "v1beta3" && ver != "v1beta4") {
      return invalid("invalid --config: unsupported apiVersion \"" + api + "\"");
    }
    const bool b4 = ver == "v1beta4";
    Status s;
    if (kind == "InitConfiguration") {
      any = true;
      fc.api_versions.push_back(api);
      if (const Json* ep = child(doc, "localAPIEndpoint")) {
        if (!(s = get_string(*ep, "advertiseAddress", "localAPIEndpoint", fc.advertise_address)))
          return s.error();
        if (const Json* p = child(*ep, "bindPort")) {
          if (!p->is_number_integer())
            return invalid("invalid --config: localAPIEndpoint.bindPort must be an integer");
          fc.bind_port = p->get<int>();
        }
      }
      if (const Json* nr = child(doc, "nodeRegistration")) {
        if (!(s = get_string(*nr, "name", "nodeRegistration", fc.node_name))) return s.error();
      }
    } else if (kind == "ClusterConfiguration") {
      any = true;
      fc.api_versions.push_back(api);
      for (auto [key, dst] : {std::pair{"kubernetesVersion", &fc.kubernetes_version},
                              std::pair{"controlPlaneEndpoint", &fc.control_plane_endpoint},
                              std::pair{"certificatesDir", &fc.cert_dir},
                              std::pair{"imageRepository", &fc.image_repository},
                              std::pair{"clusterName", &fc.cluster_name}}) {
        if (!(s = get_string(doc, key, "ClusterConfiguration", *dst))) return s.error();
      }
      if (const Json* n = child(doc, "networking")) {
        if (!(s = get_string(*n, "serviceSubnet", "networking", fc.service_cidr))) return s.error();
        if (!(s = get_string(*n, "podSubnet", "networking", fc.pod_network_cidr))) return s.error();
        if (!(s = get_string(*n, "dnsDomain", "networking", fc.dns_domain))) return s.error();
      }
      if (const Json* a = child(doc, "apiServer")) {
        if (!(s = get_args(*a, "apiServer", b4, fc.apiserver_args))) return s.error();
        if (!(s = get_strings(*a, "certSANs", "apiServer", fc.cert_sans))) return s.error();
      }
      if (const Json* c = child(doc, "controllerManager")) {
        if (!(s = get_args(*c, "controllerManager", b4, fc.controller_manager_args)))
          return s.error();
      }
      if (const Json* c = child(doc, "scheduler")) {
        if (!(s = get_args(*c, "scheduler", b4, fc.scheduler_args))) return s.error();
      }
      if (const Json* e = child(doc, "etcd")) {
        if (child(*e, "external"))
          return invalid("invalid --config: etcd.external is not supported by kapi render");
        if (const Json* l = child(*e, "local")) {
          if (!(s = get_args(*l, "etcd.local", b4, fc.etcd_args))) return s.error();
          if (!(s = get_string(*l, "dataDir", "etcd.local", fc.etcd_data_dir))) return s.error();
          if (!(s = get_strings(*l, "serverCertSANs", "etcd.local", fc.etcd_server_sans)))
            return s.error();
          if (!(s = get_strings(*l, "peerCertSANs", "etcd.local", fc.etcd_peer_sans)))
            return s.error();
        }
      }
    }
  }
  if (!any)
    return invalid("invalid --config " + path +
                   ": no kubeadm InitConfiguration or ClusterConfiguration");
  return fc;
}

bool stat_dir(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// phases/controlplane/volumes.go caCertsExtraVolumePaths (besides /etc/ssl/certs, always mounted).
std::vector<std::string> default_ca_dir_candidates(const Rules& r) {
  if (r.mount_etc_pki_subdirs) {
    return {"/etc/pki/ca-trust", "/etc/pki/tls/certs", "/etc/ca-certificates",
            "/usr/share/ca-certificates", "/usr/local/share/ca-certificates"};
  }
  return {"/etc/pki", "/usr/share/ca-certificates", "/usr/local/share/ca-certificates",
          "/etc/ca-certificates"};
}

}  // namespace

std::string RenderConfig::control_plane_url() const {
  if (control_plane_endpoint.empty()) return local_api_url();
  return "https://" + control_plane_endpoint;
}

std::string RenderConfig::local_api_url() const {
  std::string host = advertise_ipv6 ? "[" + advertise_address + "]" : advertise_address;
  return "https://" + host + ":" + std::to_string(bind_port);
}

HostEnv HostEnv::current() {
  HostEnv env;
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) == 0) env.hostname = buf;
  for (char** e = ::environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    env.environ.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

std::string render_usage() {
  return "Usage: kapi render certs|kubeconfig|control-plane|etcd|all [flags]\n"
         "\n"
         "Writes what `kubeadm init` writes for a control-plane node: pki/, *.conf and "
         "manifests/.\n"
         "\n"
         "Flags (kubeadm's names):\n"
         "      --apiserver-advertise-address string  IP address the API server advertises "
         "(required)\n"
         "      --apiserver-bind-port int              port the API server binds to (default "
         "6443)\n"
         "      --apiserver-cert-extra-sans strings    extra SANs for the API server certificate\n"
         "      --ca-dirs strings                      host CA folders to mount (default: those "
         "of\n"
         "                                             kubeadm's list that exist on this host)\n"
         "      --cert-dir string                      certificate path written into manifests "
         "and\n"
         "                                             kubeconfigs (default /etc/kubernetes/pki)\n"
         "      --config string                        kubeadm "
         "InitConfiguration/ClusterConfiguration\n"
         "      --control-plane-endpoint string        stable address of the control plane\n"
         "      --image-repository string              registry of the control plane images\n"
         "      --kubernetes-version string            v1.19 to v1.33 (default " +
         std::string(kDefaultKubernetesVersion) +
         ")\n"
         "      --node-name string                     node name (default: this host's name)\n"
         "      --out-dir string                       where files are written (default "
         "./kubernetes)\n"
         "      --pod-network-cidr string              pod network range for the "
         "controller-manager\n"
         "      --service-cidr string                  service range (default 10.96.0.0/12)\n"
         "      --service-dns-domain string            cluster DNS domain (default "
         "cluster.local)\n";
}

Result<RenderConfig> parse_render_args(const std::vector<std::string>& args, const HostEnv& env,
                                       bool* help) {
  if (help) *help = false;
  RenderConfig cfg;
  size_t i = 0;
  if (i < args.size() && args[i] == "render") ++i;
  std::optional<std::string> phase_word;
  Flags flags;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      if (help) *help = true;
      return Error{tls::ErrorCode::kGeneric, ""};
    }
    if (a.rfind("--", 0) != 0) {
      if (phase_word) return invalid("unexpected argument \"" + a + "\"");
      phase_word = a;
      continue;
    }
    std::string name = a.substr(2), value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else {
      if (std::find(known_flags().begin(), known_flags().end(), name) == known_flags().end()) {
        return invalid("unknown flag: --" + name);
      }
      if (i + 1 >= args.size()) return invalid("flag needs an argument: --" + name);
      value = args[++i];
    }
    if (std::find(known_flags().begin(), known_flags().end(), name) == known_flags().end()) {
      return invalid("unknown flag: --" + name);
    }
    flags.values[name] = value;
  }
  if (!phase_word) return invalid("missing phase: certs, kubeconfig, control-plane, etcd or all");
  static const std::map<std::string, Phase> phases = {{"certs", Phase::kCerts},
                                                      {"kubeconfig", Phase::kKubeconfig},
                                                      {"control-plane", Phase::kControlPlane},
                                                      {"etcd", Phase::kEtcd},
                                                      {"all", Phase::kAll}};
  auto ph = phases.find(*phase_word);
  if (ph == phases.end()) {
    return invalid("unknown phase \"" + *phase_word +
                   "\" (want certs, kubeconfig, control-plane, etcd or all)");
  }
  cfg.phase = ph->second;

  FileConfig fc;
  if (flags.has("config")) {
    auto loaded = load_config(flags.get("config"));
    if (!loaded) return loaded.error();
    fc = std::move(*loaded);
  }
  // A flag given explicitly wins over the --config value, which wins over the default.
  auto pick = [&](const char* flag, const std::optional<std::string>& file,
                  std::string def) -> std::string {
    if (flags.has(flag)) return flags.get(flag);
    if (file) return *file;
    return def;
  };

  auto version = parse_kube_version(
      pick("kubernetes-version", fc.kubernetes_version, std::string(kDefaultKubernetesVersion)));
  if (!version) return version.error();
  auto rules = rules_for(*version);
  if (!rules) return rules.error();
  cfg.rules = *rules;
  for (const auto& api : fc.api_versions) {
    bool ok = (api == "kubeadm.k8s.io/v1beta2" && cfg.rules.accepts_v1beta2) ||
              (api == "kubeadm.k8s.io/v1beta3" && cfg.rules.accepts_v1beta3) ||
              (api == "kubeadm.k8s.io/v1beta4" && cfg.rules.accepts_v1beta4);
    if (!ok) {
      return invalid("invalid --config: apiVersion \"" + api + "\" is not accepted by kubeadm " +
                     cfg.rules.version.text());
    }
  }

  std::string adv = pick("apiserver-advertise-address", fc.advertise_address, "");
  if (adv.empty())
    return invalid("missing --apiserver-advertise-address (an IP address of this node)");
  auto ip = tls::parse_ip(adv);
  if (!ip)
    return invalid("invalid --apiserver-advertise-address \"" + adv + "\": not an IP address");
  if (std::all_of(ip->bytes.begin(), ip->bytes.begin() + ip->size(),
                  [](uint8_t b) { return b == 0; })) {
    return invalid("invalid --apiserver-advertise-address \"" + adv +
                   "\": the unspecified address cannot be advertised");
  }
  cfg.advertise_address = ip->to_string();
  cfg.advertise_ipv6 = ip->v6;

  if (flags.has("apiserver-bind-port")) {
    auto port = parse_port(flags.get("apiserver-bind-port"), "--apiserver-bind-port");
    if (!port) return port.error();
    cfg.bind_port = *port;
  } else if (fc.bind_port) {
    if (*fc.bind_port < 1 || *fc.bind_port > 65535)
      return invalid("invalid --config: localAPIEndpoint.bindPort out of range");
    cfg.bind_port = *fc.bind_port;
  }

  cfg.service_cidr = pick("service-cidr", fc.service_cidr, "10.96.0.0/12");
  auto cidrs = tls::parse_cidr_list(cfg.service_cidr);
  if (!cidrs)
    return invalid("invalid --service-cidr \"" + cfg.service_cidr + "\": " + cidrs.error().message);
  auto vip = tls::first_ip_of_cidr((*cidrs)[0].to_string());
  if (!vip)
    return invalid("invalid --service-cidr \"" + cfg.service_cidr + "\": " + vip.error().message);
  cfg.service_vip = *vip;

  cfg.pod_network_cidr = pick("pod-network-cidr", fc.pod_network_cidr, "");
  if (!cfg.pod_network_cidr.empty()) {
    auto pods = tls::parse_cidr_list(cfg.pod_network_cidr);
    if (!pods)
      return invalid("invalid --pod-network-cidr \"" + cfg.pod_network_cidr +
                     "\": " + pods.error().message);
  }

  cfg.dns_domain = pick("service-dns-domain", fc.dns_domain, "cluster.local");
  if (!is_dns1123_subdomain(cfg.dns_domain))
    return invalid("invalid --service-dns-domain \"" + cfg.dns_domain + "\"");

  std::string host = env.hostname;
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  cfg.node_name = pick("node-name", fc.node_name, host);
  if (cfg.node_name.empty()) return invalid("missing --node-name (this host's name is unknown)");
  if (!is_dns1123_subdomain(cfg.node_name)) {
    return invalid("invalid --node-name \"" + cfg.node_name +
                   "\": must be a lowercase RFC 1123 subdomain");
  }

  cfg.cert_dir = pick("cert-dir", fc.cert_dir, "/etc/kubernetes/pki");
  while (cfg.cert_dir.size() > 1 && cfg.cert_dir.back() == '/') cfg.cert_dir.pop_back();
  if (cfg.cert_dir.empty() || cfg.cert_dir[0] != '/') {
    return invalid("invalid --cert-dir \"" + cfg.cert_dir + "\": must be an absolute path");
  }

  cfg.control_plane_endpoint = pick("control-plane-endpoint", fc.control_plane_endpoint, "");
  if (!cfg.control_plane_endpoint.empty()) {
    std::string h = cfg.control_plane_endpoint, port;
    if (h.front() == '[') {
      size_t close = h.find(']');
      if (close == std::string::npos)
        return invalid("invalid --control-plane-endpoint \"" + h + "\"");
      if (close + 1 < h.size()) {
        if (h[close + 1] != ':') return invalid("invalid --control-plane-endpoint \"" + h + "\"");
        port = h.substr(close + 2);
      }
      h = h.substr(1, close - 1);
      if (!tls::is_ip(h))
        return invalid("invalid --control-plane-endpoint \"" + cfg.control_plane_endpoint + "\"");
    } else if (std::count(h.begin(), h.end(), ':') == 1) {
      port = h.substr(h.find(':') + 1);
      h = h.substr(0, h.find(':'));
    } else if (std::count(h.begin(), h.end(), ':') > 1) {
      if (!tls::is_ip(h)) return invalid("invalid --control-plane-endpoint \"" + h + "\"");
    }
    if (!tls::is_ip(h) && !is_san_dns_name(h)) {
      return invalid("invalid --control-plane-endpoint \"" + cfg.control_plane_endpoint +
                     "\": bad host");
    }
    if (!port.empty()) {
      auto p = parse_port(port, "--control-plane-endpoint port");
      if (!p) return p.error();
    } else {
      // kubeadm appends the bind port when the endpoint has none.
      bool v6 = h.find(':') != std::string::npos;
      cfg.control_plane_endpoint = (v6 ? "[" + h + "]" : h) + ":" + std::to_string(cfg.bind_port);
    }
  }

  cfg.image_repository = pick("image-repository", fc.image_repository, cfg.rules.image_repository);
  if (cfg.image_repository.empty()) return invalid("invalid --image-repository: empty");
  while (!cfg.image_repository.empty() && cfg.image_repository.back() == '/')
    cfg.image_repository.pop_back();
  if (fc.cluster_name && !fc.cluster_name->empty()) cfg.cluster_name = *fc.cluster_name;
  if (fc.etcd_data_dir && !fc.etcd_data_dir->empty()) cfg.etcd_data_dir = *fc.etcd_data_dir;

  cfg.cert_sans = fc.cert_sans;
  if (flags.has("apiserver-cert-extra-sans")) {
    for (auto& s : split_list(flags.get("apiserver-cert-extra-sans"))) cfg.cert_sans.push_back(s);
  }
  cfg.etcd_server_sans = fc.etcd_server_sans;
  cfg.etcd_peer_sans = fc.etcd_peer_sans;
  for (const auto* list : {&cfg.cert_sans, &cfg.etcd_server_sans, &cfg.etcd_peer_sans}) {
    for (const auto& san : *list) {
      if (!tls::is_ip(san) && !is_san_dns_name(san))
        return invalid("invalid certificate SAN \"" + san + "\"");
    }
  }

  if (flags.has("ca-dirs")) {
    cfg.ca_dirs = split_list(flags.get("ca-dirs"));
  } else {
    auto exists = env.dir_exists ? env.dir_exists : &stat_dir;
    for (const auto& d : default_ca_dir_candidates(cfg.rules))
      if (exists(d)) cfg.ca_dirs.push_back(d);
  }
  for (auto& d : cfg.ca_dirs) {
    while (d.size() > 1 && d.back() == '/') d.pop_back();
    if (d.empty() || d[0] != '/' || d == "/")
      return invalid("invalid --ca-dirs entry \"" + d + "\": must be an absolute folder");
  }

  cfg.apiserver_args = fc.apiserver_args;
  cfg.controller_manager_args = fc.controller_manager_args;
  cfg.scheduler_args = fc.scheduler_args;
  cfg.etcd_args = fc.etcd_args;

  for (const auto& [k, v] : env.environ) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower.size() >= 6 && lower.compare(lower.size() - 6, 6, "_proxy") == 0 && !v.empty()) {
      cfg.proxy_env.emplace_back(k, v);
    }
  }

  cfg.out_dir = flags.has("out-dir") ? flags.get("out-dir") : "kubernetes";
  if (cfg.out_dir.empty()) return invalid("invalid --out-dir: empty");
  return cfg;
}

}  // namespace kapi::render
