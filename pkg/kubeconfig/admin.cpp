#include "pkg/kubeconfig/admin.h"

namespace kapi::kubeconfig {

Config make_admin_kubeconfig(const std::string& server_url, const std::string& ca_pem,
                             const std::string& client_cert_pem,
                             const std::string& client_key_pem, const std::string& cluster_name,
                             const std::string& user, const std::string& context) {
  Config config;
  Cluster cluster;
  cluster.server = server_url;
  cluster.certificate_authority_data = ca_pem;
  config.set_cluster(cluster_name, std::move(cluster));
  AuthInfo auth;
  auth.client_certificate_data = client_cert_pem;
  auth.client_key_data = client_key_pem;
  config.set_user(user, std::move(auth));
  Context ctx;
  ctx.cluster = cluster_name;
  ctx.user = user;
  config.set_context(context, std::move(ctx));
  config.current_context = context;
  return config;
}

}  // namespace kapi::kubeconfig
