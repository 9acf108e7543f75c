#pragma once
// kubeadm's PKI (cmd/kubeadm/app/phases/certs/certlist.go, pkiutil/pki_helpers.go) and the
// kubeconfig files signed by its CA (cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go).
// As kubeadm, an existing valid certificate/key pair under <out-dir>/pki is kept; an existing
// one that does not fit the configuration is an error (nothing is overwritten).
#include <map>
#include <string>
#include <vector>

#include "pkg/render/options.h"
#include "pkg/render/output.h"
#include "pkg/tls/cert.h"

namespace kapi::render {

// One certificate of kubeadm's list.
struct CertDef {
  std::string base;  // path under pki/ without extension, e.g. "etcd/server"
  std::string ca;    // base of the signing CA; empty for a CA
  tls::CertSpec spec;
};

// The certificates kubeadm creates for `cfg`, CAs first.
std::vector<CertDef> cert_list(const RenderConfig& cfg);

// Loaded or generated PKI: base -> pair (PEMs).
struct Pki {
  std::map<std::string, tls::CertKeyPair> certs;
  std::string sa_key, sa_pub;
};

// Loads what exists under <out_dir>/pki, generates the rest (appending new files to `out`).
Result<Pki> build_pki(const RenderConfig& cfg, std::vector<OutFile>& out);

// Loads the cluster CA (pki/ca.crt, pki/ca.key) that the kubeconfig phase signs with.
Result<tls::CertKeyPair> load_ca(const RenderConfig& cfg);

// admin.conf, super-admin.conf (1.29+), kubelet.conf, controller-manager.conf, scheduler.conf.
// Existing files with the same CA and server are kept; with another CA or server: error.
Status build_kubeconfigs(const RenderConfig& cfg, const tls::CertKeyPair& ca,
                         std::vector<OutFile>& out);

}  // namespace kapi::render
