#include "pkg/tls/pki_bootstrap.h"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <cctype>

#include "pkg/tls/ca_pool.h"
#include "pkg/tls/cidr.h"
#include "pkg/tls/file_util.h"

namespace kapi::tls {
namespace {

constexpr unsigned kKeyMode = 0600;
constexpr unsigned kCertMode = 0644;
constexpr unsigned kDirMode = 0700;

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

bool is_dns_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// RFC 1123 subdomain, optionally with a leading "*." wildcard label.
bool is_dns_name(std::string_view s) {
  if (s.size() > 2 && s.substr(0, 2) == "*.") s.remove_prefix(2);
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (start <= s.size()) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? s.size() - start
                                                                          : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_dns_label_char(c)) return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

Status add_san(std::vector<std::string>& dns, std::vector<std::string>& ips,
               const std::string& san) {
  if (auto ip = parse_ip(san); ip.ok()) {
    add_unique(ips, ip->to_string());
    return {};
  }
  std::string lower = san;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!is_dns_name(lower)) {
    return make_error("invalid SAN \"" + san + "\": not an IP address or DNS name",
                      ErrorCode::kInvalidArgument);
  }
  add_unique(dns, lower);
  return {};
}

struct Pair {
  std::string cert_pem;
  std::string key_pem;  // empty when the CA key is not on disk
};

Status write_pair(const std::string& dir, const std::string& base, const Pair& p,
                  std::vector<std::string>& generated) {
  // Key first: a crash in between leaves a key without certificate, which is recoverable.
  if (auto s = write_file_atomic(join(dir, base + ".key"), p.key_pem, kKeyMode, kDirMode); !s.ok())
    return s;
  if (auto s = write_file_atomic(join(dir, base + ".crt"), p.cert_pem, kCertMode, kDirMode);
      !s.ok())
    return s;
  generated.push_back(base + ".key");
  generated.push_back(base + ".crt");
  return {};
}

// Reads a file that may be absent: value or "" if absent; other errors are returned.
Result<std::optional<std::string>> read_optional(const std::string& path) {
  auto r = read_file(path);
  if (r.ok()) return std::optional<std::string>(std::move(r).value());
  if (r.error().code == ErrorCode::kNotFound) return std::optional<std::string>();
  return r.error();
}

Error file_error(const std::string& path, const Error& e) {
  return make_error(path + ": " + e.message, e.code);
}

Result<Pair> ensure_ca(const std::string& dir, const std::string& base, const std::string& cn,
                       const PkiOptions& opts, std::vector<std::string>& generated) {
  const std::string crt_path = join(dir, base + ".crt");
  const std::string key_path = join(dir, base + ".key");
  auto crt = read_optional(crt_path);
  if (!crt.ok()) return crt.error();
  auto key = read_optional(key_path);
  if (!key.ok()) return key.error();
  CertSpec spec;
  spec.cn = cn;
  spec.is_ca = true;
  spec.validity = opts.ca_validity;

  if (!crt->has_value()) {
    Pair p;
    if (key->has_value()) {
      // A key without its certificate (e.g. interrupted first start): certify the existing key.
      if (auto t = key_type(**key); !t.ok()) return file_error(key_path, t.error());
      p.key_pem = **key;
    } else {
      auto k = generate_private_key(opts.key_type);
      if (!k.ok()) return k.error();
      p.key_pem = std::move(k).value();
    }
    auto c = create_self_signed_ca(spec, p.key_pem);
    if (!c.ok()) return c.error();
    p.cert_pem = std::move(c).value();
    if (key->has_value()) {
      if (auto s = write_file_atomic(crt_path, p.cert_pem, kCertMode, kDirMode); !s.ok())
        return s.error();
      generated.push_back(base + ".crt");
    } else if (auto s = write_pair(dir, base, p, generated); !s.ok()) {
      return s.error();
    }
    return p;
  }

  auto info = parse_cert(**crt);
  if (!info.ok()) return file_error(crt_path, info.error());
  if (!info->is_ca) return make_error(crt_path + ": not a CA certificate");
  auto now = std::chrono::system_clock::now();
  if (now < info->not_before || now >= info->not_after) {
    return make_error(crt_path + ": CA certificate has expired or is not yet valid",
                      ErrorCode::kVerifyFailed);
  }
  if (!key->has_value()) return Pair{**crt, ""};  // externally managed CA: no signing
  auto match = cert_matches_key(**crt, **key);
  if (!match.ok()) return file_error(key_path, match.error());
  if (!*match) {
    return make_error(crt_path + " and " + key_path + " do not match",
                      ErrorCode::kInvalidArgument);
  }
  return Pair{**crt, **key};
}

bool contains_all(const std::vector<std::string>& have, const std::vector<std::string>& want) {
  for (const auto& w : want) {
    if (std::find(have.begin(), have.end(), w) == have.end()) return false;
  }
  return true;
}

Result<Pair> ensure_leaf(const std::string& dir, const std::string& base, const CertSpec& spec,
                         const std::string& ca_base, const Pair& ca, const PkiOptions& opts,
                         std::vector<std::string>& generated) {
  const std::string crt_path = join(dir, base + ".crt");
  const std::string key_path = join(dir, base + ".key");
  auto crt = read_optional(crt_path);
  if (!crt.ok()) return crt.error();
  auto key = read_optional(key_path);
  if (!key.ok()) return key.error();

  if (crt->has_value() && key->has_value()) {
    auto pool = CaPool::from_pem(ca.cert_pem);
    if (!pool.ok()) return pool.error();
    Purpose purpose = spec.server ? Purpose::kServerAuth
                      : spec.client ? Purpose::kClientAuth
                                    : Purpose::kAny;
    auto info = pool->verify(**crt, purpose);
    auto match = cert_matches_key(**crt, **key);
    if (info.ok() && match.ok() && *match) {
      auto margin = std::min<std::chrono::system_clock::duration>(std::chrono::hours(24),
                                                                  opts.cert_validity / 10);
      bool fresh = std::chrono::system_clock::now() + margin < info->not_after;
      bool same_subject = info->cn == spec.cn && info->orgs == spec.orgs;
      bool usages = (!spec.server || info->server_auth) && (!spec.client || info->client_auth);
      if (fresh && same_subject && usages && contains_all(info->dns, spec.dns) &&
          contains_all(info->ips, spec.ips)) {
        return Pair{**crt, **key};
      }
    }
  }
  if (ca.key_pem.empty()) {
    return make_error(crt_path + " is missing or invalid and " + join(dir, ca_base + ".key") +
                          " is not available to sign a new one",
                      ErrorCode::kNotFound);
  }
  auto pair = new_signed_cert(spec, CertKeyPair{ca.cert_pem, ca.key_pem}, opts.key_type);
  if (!pair.ok()) return make_error(base + ": " + pair.error().message, pair.error().code);
  Pair p{std::move(pair->cert_pem), std::move(pair->key_pem)};
  if (auto s = write_pair(dir, base, p, generated); !s.ok()) return s.error();
  return p;
}

Status ensure_sa(const std::string& dir, const PkiOptions& opts,
                 std::vector<std::string>& generated) {
  const std::string key_path = join(dir, "sa.key");
  const std::string pub_path = join(dir, "sa.pub");
  auto key = read_optional(key_path);
  if (!key.ok()) return key.error();
  std::string key_pem;
  if (key->has_value()) {
    if (auto t = key_type(**key); !t.ok()) return file_error(key_path, t.error());
    key_pem = **key;
  } else {
    auto k = generate_private_key(opts.sa_key_type);
    if (!k.ok()) return k.error();
    key_pem = std::move(k).value();
    if (auto s = write_file_atomic(key_path, key_pem, kKeyMode, kDirMode); !s.ok()) return s;
    generated.push_back("sa.key");
  }
  auto pub = read_optional(pub_path);
  if (!pub.ok()) return pub.error();
  if (pub->has_value() && key->has_value()) {
    auto same = same_public_key(**pub, key_pem);
    if (same.ok() && *same) return {};
  }
  auto pub_pem = public_key_pem(key_pem);
  if (!pub_pem.ok()) return pub_pem.error();
  if (auto s = write_file_atomic(pub_path, *pub_pem, kCertMode, kDirMode); !s.ok()) return s;
  generated.push_back("sa.pub");
  return {};
}

}  // namespace

Result<std::pair<std::vector<std::string>, std::vector<std::string>>> apiserver_sans(
    const PkiOptions& opts) {
  std::vector<std::string> dns, ips;
  add_unique(dns, "kubernetes");
  add_unique(dns, "kubernetes.default");
  add_unique(dns, "kubernetes.default.svc");
  if (!opts.dns_domain.empty()) {
    if (auto s = add_san(dns, ips, "kubernetes.default.svc." + opts.dns_domain); !s.ok()) {
      return make_error("invalid DNS domain \"" + opts.dns_domain + "\"",
                        ErrorCode::kInvalidArgument);
    }
  }
  add_unique(dns, "localhost");
  if (opts.add_hostname) {
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) == 0 && host[0]) {
      std::string h = host;
      std::transform(h.begin(), h.end(), h.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (is_dns_name(h)) add_unique(dns, h);
    }
  }
  if (!opts.service_cidr.empty()) {
    auto cidrs = parse_cidr_list(opts.service_cidr);
    if (!cidrs.ok()) return cidrs.error();
    for (const auto& c : *cidrs) {
      auto ip = indexed_ip(c, 1);
      if (!ip.ok()) return ip.error();
      add_unique(ips, ip->to_string());
    }
  }
  add_unique(ips, "127.0.0.1");
  add_unique(ips, "::1");
  for (const auto& a : opts.advertise_addresses) {
    if (auto s = add_san(dns, ips, a); !s.ok()) return s.error();
  }
  if (!opts.bind_address.empty()) {
    auto ip = parse_ip(opts.bind_address);
    if (!ip.ok()) return make_error("invalid bind address: " + opts.bind_address,
                                    ErrorCode::kInvalidArgument);
    if (*ip != IpAddress{ip->v6, {}}) add_unique(ips, ip->to_string());  // skip 0.0.0.0 / ::
  }
  for (const auto& a : opts.extra_sans) {
    if (auto s = add_san(dns, ips, a); !s.ok()) return s.error();
  }
  return std::make_pair(std::move(dns), std::move(ips));
}

Result<ServerPki> ensure_server_pki(const std::string& dir, const PkiOptions& opts) {
  if (dir.empty()) return make_error("PKI directory is empty", ErrorCode::kInvalidArgument);
  auto sans = apiserver_sans(opts);
  if (!sans.ok()) return sans.error();
  if (auto s = ensure_dir(dir, kDirMode); !s.ok()) return s.error();

  ServerPki pki;
  pki.dir = dir;
  pki.ca_cert_file = join(dir, "ca.crt");
  pki.ca_key_file = join(dir, "ca.key");
  pki.apiserver_cert_file = join(dir, "apiserver.crt");
  pki.apiserver_key_file = join(dir, "apiserver.key");
  pki.front_proxy_ca_cert_file = join(dir, "front-proxy-ca.crt");
  pki.front_proxy_ca_key_file = join(dir, "front-proxy-ca.key");
  pki.front_proxy_client_cert_file = join(dir, "front-proxy-client.crt");
  pki.front_proxy_client_key_file = join(dir, "front-proxy-client.key");
  pki.sa_key_file = join(dir, "sa.key");
  pki.sa_pub_file = join(dir, "sa.pub");
  pki.admin_cert_file = join(dir, "admin.crt");
  pki.admin_key_file = join(dir, "admin.key");
  pki.apiserver_dns_sans = sans->first;
  pki.apiserver_ip_sans = sans->second;
  auto& gen = pki.generated;

  auto ca = ensure_ca(dir, "ca", "kubernetes", opts, gen);
  if (!ca.ok()) return ca.error();
  pki.ca_cert_pem = ca->cert_pem;

  CertSpec apiserver;
  apiserver.cn = "kube-apiserver";
  apiserver.dns = sans->first;
  apiserver.ips = sans->second;
  apiserver.server = true;
  apiserver.validity = opts.cert_validity;
  if (auto r = ensure_leaf(dir, "apiserver", apiserver, "ca", *ca, opts, gen); !r.ok())
    return r.error();

  CertSpec admin;
  admin.cn = "kubernetes-admin";
  admin.orgs = {"system:masters"};
  admin.client = true;
  admin.validity = opts.cert_validity;
  auto admin_pair = ensure_leaf(dir, "admin", admin, "ca", *ca, opts, gen);
  if (!admin_pair.ok()) return admin_pair.error();
  pki.admin_cert_pem = admin_pair->cert_pem;
  pki.admin_key_pem = admin_pair->key_pem;

  auto fp_ca = ensure_ca(dir, "front-proxy-ca", "front-proxy-ca", opts, gen);
  if (!fp_ca.ok()) return fp_ca.error();
  CertSpec fp_client;
  fp_client.cn = "front-proxy-client";
  fp_client.client = true;
  fp_client.validity = opts.cert_validity;
  if (auto r = ensure_leaf(dir, "front-proxy-client", fp_client, "front-proxy-ca", *fp_ca, opts,
                           gen);
      !r.ok())
    return r.error();

  if (auto s = ensure_sa(dir, opts, gen); !s.ok()) return s.error();
  return pki;
}

}  // namespace kapi::tls
