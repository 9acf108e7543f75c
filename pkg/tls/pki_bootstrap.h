#pragma once
// Self-bootstrapped server PKI (what `kubeadm init phase certs` makes, minus etcd), created on
// first start and reused on later starts.
#include <chrono>
#include <string>
#include <vector>

#include "pkg/tls/cert.h"
#include "pkg/tls/key.h"
#include "pkg/tls/result.h"

namespace kapi::tls {

struct PkiOptions {
  std::string service_cidr = "10.96.0.0/12";     // or dual-stack "v4,v6": first IP of each
  std::vector<std::string> advertise_addresses;  // IPs or DNS names added to apiserver SANs
  std::string bind_address;                      // added unless unspecified (0.0.0.0, ::)
  std::vector<std::string> extra_sans;           // IPs or DNS names
  std::string dns_domain = "cluster.local";
  bool add_hostname = true;                      // add gethostname() as a DNS SAN if valid
  KeyType key_type = KeyType::kEcdsaP256;        // CA and leaf keys
  KeyType sa_key_type = KeyType::kEcdsaP256;     // service-account signing key (ES256)
  std::chrono::hours ca_validity = kCaValidity;
  std::chrono::hours cert_validity = kLeafValidity;
};

struct ServerPki {
  std::string dir;
  // Absolute or dir-relative paths as given, e.g. "<dir>/ca.crt".
  std::string ca_cert_file, ca_key_file;
  std::string apiserver_cert_file, apiserver_key_file;
  std::string front_proxy_ca_cert_file, front_proxy_ca_key_file;
  std::string front_proxy_client_cert_file, front_proxy_client_key_file;
  std::string sa_key_file, sa_pub_file;
  std::string admin_cert_file, admin_key_file;
  std::string ca_cert_pem;     // for the admin kubeconfig's certificate-authority-data
  std::string admin_cert_pem;  // CN kubernetes-admin, O system:masters, clientAuth
  std::string admin_key_pem;   // never log it
  std::vector<std::string> apiserver_dns_sans, apiserver_ip_sans;
  std::vector<std::string> generated;  // base names of the files (re)written by this call
};

// Ensures under `dir` (created 0700 if missing): ca.crt/key, apiserver.crt/key, front-proxy-ca
// .crt/key, front-proxy-client.crt/key, sa.key/sa.pub and admin.crt/key. Existing files are kept
// when valid; a leaf that no longer verifies, has expired or lacks a required SAN is reissued.
// A CA is never replaced: a CA certificate that is invalid, expired or does not match its key is
// an error (a missing ca.key is fine as long as no leaf needs signing). Keys are written 0600.
Result<ServerPki> ensure_server_pki(const std::string& dir, const PkiOptions& options = {});

// The apiserver serving certificate SANs for `options`: {dns, ips}.
Result<std::pair<std::vector<std::string>, std::vector<std::string>>> apiserver_sans(
    const PkiOptions& options);

}  // namespace kapi::tls
