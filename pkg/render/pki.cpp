#include "pkg/render/pki.h"

#include <algorithm>

#include "pkg/kubeconfig/admin.h"
#include "pkg/kubeconfig/loader.h"
#include "pkg/kubeconfig/writer.h"
#include "pkg/tls/ca_pool.h"
#include "pkg/tls/cidr.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/key.h"

namespace kapi::render {
namespace {

Error pki_error(std::string msg) { return Error{tls::ErrorCode::kInvalidArgument, std::move(msg)}; }

void add_san(tls::CertSpec& spec, const std::string& san) {
  auto& list = tls::is_ip(san) ? spec.ips : spec.dns;
  std::string v = san;
  if (tls::is_ip(san)) {
    if (auto ip = tls::parse_ip(san)) v = ip->to_string();
  }
  if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
}

tls::CertSpec ca_spec(const std::string& cn) {
  tls::CertSpec s;
  s.cn = cn;
  s.is_ca = true;
  s.validity = tls::kCaValidity;
  return s;
}

tls::CertSpec leaf(const std::string& cn, std::vector<std::string> orgs, bool server, bool client) {
  tls::CertSpec s;
  s.cn = cn;
  s.orgs = std::move(orgs);
  s.server = server;
  s.client = client;
  return s;
}

// Kubeadm writes PKCS#1 ("RSA PRIVATE KEY") / SEC1 ("EC PRIVATE KEY") keys.
Result<std::string> new_key(const RenderConfig& cfg) {
  return tls::generate_private_key(cfg.key_type, 2048, tls::KeyFormat::kTraditional);
}

std::string pki_path(const RenderConfig& cfg, const std::string& rel) {
  return cfg.out_dir + "/pki/" + rel;
}

// Is `existing` (cert PEM) a valid certificate for `def`, signed by `ca`?
Status check_existing(const CertDef& def, const std::string& cert_pem, const std::string& key_pem,
                      const tls::CertKeyPair* ca) {
  const std::string name = "pki/" + def.base + ".crt";
  auto info = tls::parse_cert(cert_pem);
  if (!info) return pki_error("existing " + name + " cannot be read: " + info.error().message);
  auto match = tls::cert_matches_key(cert_pem, key_pem);
  if (!match || !*match) return pki_error("existing " + name + " does not match its key");
  if (def.spec.is_ca) {
    if (!info->is_ca) return pki_error("existing " + name + " is not a CA certificate");
    if (auto s = tls::verify_cert(cert_pem, cert_pem); !s) {
      return pki_error("existing " + name + " is not valid: " + s.error().message);
    }
    return {};
  }
  if (auto s = tls::verify_cert(cert_pem, ca->cert_pem); !s) {
    return pki_error("existing " + name + " is not signed by pki/" + def.ca +
                     ".crt or not valid (" + s.error().message + "); remove it to regenerate");
  }
  if (info->cn != def.spec.cn) {
    return pki_error("existing " + name + " has CN \"" + info->cn + "\", want \"" + def.spec.cn +
                     "\"; remove it to regenerate");
  }
  for (const auto& d : def.spec.dns) {
    if (std::find(info->dns.begin(), info->dns.end(), d) == info->dns.end()) {
      return pki_error("existing " + name + " lacks the SAN " + d + "; remove it to regenerate");
    }
  }
  for (const auto& ip : def.spec.ips) {
    if (std::find(info->ips.begin(), info->ips.end(), ip) == info->ips.end()) {
      return pki_error("existing " + name + " lacks the SAN " + ip + "; remove it to regenerate");
    }
  }
  return {};
}

// Reads an optional file pair: both missing -> false, both present -> true, one -> error.
Result<bool> read_pair(const std::string& crt_path, const std::string& key_path,
                       const std::string& what, std::string& crt, std::string& key) {
  bool has_crt = tls::file_exists(crt_path), has_key = tls::file_exists(key_path);
  if (!has_crt && !has_key) return false;
  if (has_crt != has_key) {
    return pki_error(what + ": " + (has_crt ? key_path : crt_path) + " is missing while " +
                     (has_crt ? crt_path : key_path) + " exists");
  }
  auto c = tls::read_file(crt_path);
  if (!c) return pki_error(c.error().message);
  auto k = tls::read_file(key_path);
  if (!k) return pki_error(k.error().message);
  crt = *c;
  key = *k;
  return true;
}

}  // namespace

std::vector<CertDef> cert_list(const RenderConfig& cfg) {
  const Rules& r = cfg.rules;
  std::vector<CertDef> list;
  list.push_back({"ca", "", ca_spec("kubernetes")});

  // pkiutil.GetAPIServerAltNames
  tls::CertSpec api = leaf("kube-apiserver", {}, true, false);
  for (const auto& d :
       {cfg.node_name, std::string("kubernetes"), std::string("kubernetes.default"),
        std::string("kubernetes.default.svc"), "kubernetes.default.svc." + cfg.dns_domain}) {
    add_san(api, d);
  }
  add_san(api, cfg.service_vip);
  add_san(api, cfg.advertise_address);
  if (!cfg.control_plane_endpoint.empty()) {
    std::string host = cfg.control_plane_endpoint;
    if (host.front() == '[')
      host = host.substr(1, host.find(']') - 1);
    else
      host = host.substr(0, host.rfind(':'));
    add_san(api, host);
  }
  for (const auto& s : cfg.cert_sans) add_san(api, s);
  list.push_back({"apiserver", "ca", api});
  list.push_back({"apiserver-kubelet-client", "ca",
                  leaf("kube-apiserver-kubelet-client", {r.admin_group}, false, true)});

  list.push_back({"front-proxy-ca", "", ca_spec("front-proxy-ca")});
  list.push_back(
      {"front-proxy-client", "front-proxy-ca", leaf("front-proxy-client", {}, false, true)});

  list.push_back({"etcd/ca", "", ca_spec("etcd-ca")});
  // pkiutil.GetEtcdAltNames / GetEtcdPeerAltNames
  tls::CertSpec server = leaf(cfg.node_name, {}, true, true);
  tls::CertSpec peer = leaf(cfg.node_name, {}, true, true);
  for (auto* s : {&server, &peer}) {
    add_san(*s, cfg.node_name);
    add_san(*s, "localhost");
    add_san(*s, cfg.advertise_address);
    add_san(*s, "127.0.0.1");
    add_san(*s, "::1");
  }
  for (const auto& s : cfg.etcd_server_sans) add_san(server, s);
  for (const auto& s : cfg.etcd_peer_sans) add_san(peer, s);
  list.push_back({"etcd/server", "etcd/ca", server});
  list.push_back({"etcd/peer", "etcd/ca", peer});
  std::vector<std::string> masters;
  if (r.etcd_clients_system_masters) masters.push_back("system:masters");
  list.push_back({"etcd/healthcheck-client", "etcd/ca",
                  leaf("kube-etcd-healthcheck-client", masters, false, true)});
  list.push_back({"apiserver-etcd-client", "etcd/ca",
                  leaf("kube-apiserver-etcd-client", masters, false, true)});
  return list;
}

Result<Pki> build_pki(const RenderConfig& cfg, std::vector<OutFile>& out) {
  Pki pki;
  for (const CertDef& def : cert_list(cfg)) {
    const std::string crt_rel = "pki/" + def.base + ".crt", key_rel = "pki/" + def.base + ".key";
    const tls::CertKeyPair* ca = def.ca.empty() ? nullptr : &pki.certs.at(def.ca);
    std::string crt, key;
    auto have = read_pair(pki_path(cfg, def.base + ".crt"), pki_path(cfg, def.base + ".key"),
                          "pki/" + def.base, crt, key);
    if (!have) return have.error();
    if (*have) {
      if (auto s = check_existing(def, crt, key, ca); !s) return s.error();
      pki.certs[def.base] = {crt, key};
      continue;
    }
    auto k = new_key(cfg);
    if (!k) return pki_error("generating key for " + key_rel + ": " + k.error().message);
    auto c = def.spec.is_ca ? tls::create_self_signed_ca(def.spec, *k)
                            : tls::create_signed_cert(def.spec, *k, ca->cert_pem, ca->key_pem);
    if (!c) return pki_error("creating " + crt_rel + ": " + c.error().message);
    pki.certs[def.base] = {*c, *k};
    out.push_back({crt_rel, *c, 0644});
    out.push_back({key_rel, *k, 0600});
  }

  // The service-account signing key pair (certs.CreateServiceAccountKeyAndPublicKeyFiles).
  const std::string key_path = pki_path(cfg, "sa.key"), pub_path = pki_path(cfg, "sa.pub");
  if (tls::file_exists(key_path)) {
    auto k = tls::read_file(key_path);
    if (!k) return pki_error(k.error().message);
    auto pub = tls::public_key_pem(*k);
    if (!pub) return pki_error("existing pki/sa.key cannot be read: " + pub.error().message);
    pki.sa_key = *k;
    if (tls::file_exists(pub_path)) {
      auto p = tls::read_file(pub_path);
      if (!p) return pki_error(p.error().message);
      auto same = tls::same_public_key(*p, *k);
      if (!same || !*same) return pki_error("existing pki/sa.pub does not match pki/sa.key");
      pki.sa_pub = *p;
    } else {
      pki.sa_pub = *pub;
      out.push_back({"pki/sa.pub", *pub, 0600});
    }
  } else {
    if (tls::file_exists(pub_path))
      return pki_error("pki/sa.key is missing while pki/sa.pub exists");
    auto k = new_key(cfg);
    if (!k) return pki_error("generating pki/sa.key: " + k.error().message);
    auto pub = tls::public_key_pem(*k);
    if (!pub) return pki_error("deriving pki/sa.pub: " + pub.error().message);
    pki.sa_key = *k;
    pki.sa_pub = *pub;
    out.push_back({"pki/sa.key", *k, 0600});
    out.push_back({"pki/sa.pub", *pub, 0600});
  }
  return pki;
}

Result<tls::CertKeyPair> load_ca(const RenderConfig& cfg) {
  std::string crt, key;
  auto have = read_pair(pki_path(cfg, "ca.crt"), pki_path(cfg, "ca.key"), "pki/ca", crt, key);
  if (!have) return have.error();
  if (!*have) {
    return pki_error("the cluster CA " + pki_path(cfg, "ca.crt") +
                     " does not exist: run `kapi render certs` first");
  }
  CertDef def{"ca", "", ca_spec("kubernetes")};
  if (auto s = check_existing(def, crt, key, nullptr); !s) return s.error();
  return tls::CertKeyPair{crt, key};
}

Status build_kubeconfigs(const RenderConfig& cfg, const tls::CertKeyPair& ca,
                         std::vector<OutFile>& out) {
  struct Spec {
    std::string file, user;
    std::vector<std::string> orgs;
    bool local;  // points at the local API endpoint rather than the control-plane endpoint
  };
  const Rules& r = cfg.rules;
  std::vector<Spec> specs = {{"admin.conf", "kubernetes-admin", {r.admin_group}, false}};
  if (r.super_admin_conf)
    specs.push_back({"super-admin.conf", "kubernetes-super-admin", {"system:masters"}, false});
  // 1.33: ControlPlaneKubeletLocalMode is on by default, kubelet.conf names the local endpoint.
  specs.push_back(
      {"kubelet.conf", "system:node:" + cfg.node_name, {"system:nodes"}, r.version.minor >= 33});
  specs.push_back({"controller-manager.conf", "system:kube-controller-manager", {}, true});
  specs.push_back({"scheduler.conf", "system:kube-scheduler", {}, true});

  for (const auto& spec : specs) {
    // PR 94398 (v1.19.1, v1.20) points the controller-manager and scheduler at the local API
    // endpoint instead of the control-plane endpoint.
    const bool local_ok = r.version.minor >= 20 || r.version.patch >= 1;
    const std::string server =
        spec.local && local_ok ? cfg.local_api_url() : cfg.control_plane_url();
    const std::string path = cfg.out_dir + "/" + spec.file;
    if (tls::file_exists(path)) {
      auto existing = kubeconfig::load_file(path, {.resolve_paths = false});
      if (!existing)
        return pki_error("existing " + spec.file + " cannot be read: " + existing.error().message);
      const kubeconfig::Context* ctx = existing->find_context(existing->current_context);
      const kubeconfig::Cluster* cl = ctx ? existing->find_cluster(ctx->cluster) : nullptr;
      if (!cl)
        return pki_error("existing " + spec.file +
                         " has no current cluster; remove it to regenerate");
      if (cl->certificate_authority_data != ca.cert_pem) {
        return pki_error("existing " + spec.file +
                         " has got the wrong CA cert; remove it to regenerate");
      }
      if (cl->server != server) {
        return pki_error("existing " + spec.file + " has got the wrong API server URL " +
                         cl->server + " (want " + server + "); remove it to regenerate");
      }
      continue;
    }
    auto key = new_key(cfg);
    if (!key) return pki_error("generating key for " + spec.file + ": " + key.error().message);
    tls::CertSpec cs = leaf(spec.user, spec.orgs, false, true);
    auto crt = tls::create_signed_cert(cs, *key, ca.cert_pem, ca.key_pem);
    if (!crt)
      return pki_error("creating the client certificate of " + spec.file + ": " +
                       crt.error().message);
    auto config =
        kubeconfig::make_admin_kubeconfig(server, ca.cert_pem, *crt, *key, cfg.cluster_name,
                                          spec.user, spec.user + "@" + cfg.cluster_name);
    out.push_back({spec.file, kubeconfig::to_yaml(config), 0600});
  }
  return {};
}

}  // namespace kapi::render
