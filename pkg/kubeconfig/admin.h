#pragma once
// The admin kubeconfig kubeadm writes (admin.conf).
#include <string>

#include "pkg/kubeconfig/types.h"

namespace kapi::kubeconfig {

// One cluster (server + embedded CA), one user (embedded client cert/key), one context, selected
// as current-context. PEMs are embedded as *-data (base64 in the file).
Config make_admin_kubeconfig(const std::string& server_url, const std::string& ca_pem,
                             const std::string& client_cert_pem,
                             const std::string& client_key_pem,
                             const std::string& cluster_name = "kubernetes",
                             const std::string& user = "kubernetes-admin",
                             const std::string& context = "kubernetes-admin@kubernetes");

}  // namespace kapi::kubeconfig
