#include "pkg/kubeconfig/writer.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "pkg/machinery/base64.h"
#include "pkg/machinery/go_yaml.h"
#include "pkg/tls/file_util.h"

namespace kapi::kubeconfig {
namespace {

using Json = nlohmann::ordered_json;

// The JSON that clientcmd/api/v1 marshals to (omitempty fields left out when empty; []byte
// fields base64), which sigs.k8s.io/yaml then turns into YAML.
void put_if(Json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}
void put_data_if(Json& j, const char* key, const std::string& bytes) {
  if (!bytes.empty()) j[key] = machinery::base64_encode(bytes);
}
Json string_list(const std::vector<std::string>& values) {
  if (values.empty()) return nullptr;
  return Json(values);
}

// clientcmd writes its maps as lists sorted by name.
template <typename Named>
std::vector<const Named*> sorted_by_name(const std::vector<Named>& v) {
  std::vector<const Named*> out;
  for (const auto& n : v) out.push_back(&n);
  std::stable_sort(out.begin(), out.end(),
                   [](const Named* a, const Named* b) { return a->name < b->name; });
  return out;
}

Json cluster_json(const Cluster& c) {
  Json j = Json::object();
  put_if(j, "certificate-authority", c.certificate_authority);
  put_data_if(j, "certificate-authority-data", c.certificate_authority_data);
  if (c.disable_compression) j["disable-compression"] = true;
  if (c.insecure_skip_tls_verify) j["insecure-skip-tls-verify"] = true;
  put_if(j, "proxy-url", c.proxy_url);
  j["server"] = c.server;
  put_if(j, "tls-server-name", c.tls_server_name);
  return j;
}

Json context_json(const Context& c) {
  Json j = Json::object();
  j["cluster"] = c.cluster;
  put_if(j, "namespace", c.namespace_);
  j["user"] = c.user;
  return j;
}

Json exec_json(const ExecConfig& x) {
  Json j = Json::object();
  put_if(j, "apiVersion", x.api_version);
  j["args"] = string_list(x.args);
  j["command"] = x.command;
  if (x.env.empty()) {
    j["env"] = nullptr;
  } else {
    Json env = Json::array();
    for (const auto& v : x.env) env.push_back({{"name", v.name}, {"value", v.value}});
    j["env"] = std::move(env);
  }
  put_if(j, "installHint", x.install_hint);
  put_if(j, "interactiveMode", x.interactive_mode);
  j["provideClusterInfo"] = x.provide_cluster_info;
  return j;
}

Json user_json(const AuthInfo& u) {
  Json j = Json::object();
  put_if(j, "as", u.impersonate);
  if (!u.impersonate_groups.empty()) j["as-groups"] = u.impersonate_groups;
  put_if(j, "as-uid", u.impersonate_uid);
  if (!u.impersonate_extra.empty()) {
    Json extra = Json::object();
    for (const auto& [k, v] : u.impersonate_extra) extra[k] = string_list(v);
    j["as-user-extra"] = std::move(extra);
  }
  if (u.auth_provider) {
    Json config = nullptr;
    if (!u.auth_provider->config.empty()) config = u.auth_provider->config;
    j["auth-provider"] = {{"config", std::move(config)}, {"name", u.auth_provider->name}};
  }
  put_if(j, "client-certificate", u.client_certificate);
  put_data_if(j, "client-certificate-data", u.client_certificate_data);
  put_if(j, "client-key", u.client_key);
  put_data_if(j, "client-key-data", u.client_key_data);
  if (u.exec) j["exec"] = exec_json(*u.exec);
  put_if(j, "password", u.password);
  put_if(j, "token", u.token);
  put_if(j, "tokenFile", u.token_file);
  put_if(j, "username", u.username);
  return j;
}

template <typename Named, typename ToJson>
Json named_list(const std::vector<Named>& v, const char* field, ToJson to_json) {
  if (v.empty()) return nullptr;
  Json list = Json::array();
  for (const Named* n : sorted_by_name(v)) list.push_back({{"name", n->name}, {field, to_json(*n)}});
  return list;
}

}  // namespace

// Keys in the order clientcmd/api/v1 declares its struct fields (one ranking serves every
// level: no two structs list shared keys in conflicting orders).
const std::vector<std::string>& field_order() {
  static const std::vector<std::string> kOrder = {
      "command", "args", "env", "kind", "apiVersion", "installHint", "provideClusterInfo",
      "interactiveMode", "preferences", "colors", "clusters", "users", "contexts", "current-context",
      "name", "value", "cluster", "user", "namespace", "config", "server", "tls-server-name",
      "insecure-skip-tls-verify", "certificate-authority", "certificate-authority-data", "proxy-url",
      "disable-compression", "client-certificate", "client-certificate-data", "client-key",
      "client-key-data", "token", "tokenFile", "as", "as-uid", "as-groups", "as-user-extra", "username",
      "password", "auth-provider", "exec"};
  return kOrder;
}

Json in_field_order(const Json& j, bool map_values) {
  if (j.is_array()) {
    Json out = Json::array();
    for (const auto& e : j) out.push_back(in_field_order(e, false));
    return out;
  }
  if (!j.is_object()) return j;
  Json out = Json::object();
  if (map_values) {  // a map (as-user-extra, auth-provider config): keys stay sorted
    for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = in_field_order(it.value(), false);
    return out;
  }
  for (const auto& k : field_order())
    if (j.contains(k)) out[k] = in_field_order(j[k], k == "as-user-extra" || k == "config");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!out.contains(it.key())) out[it.key()] = in_field_order(it.value(), false);
  return out;
}

Json sorted_json(const Config& config) {
  Json j = Json::object();
  j["apiVersion"] = "v1";
  j["clusters"] = named_list(config.clusters, "cluster",
                             [](const NamedCluster& n) { return cluster_json(n.cluster); });
  j["contexts"] = named_list(config.contexts, "context",
                             [](const NamedContext& n) { return context_json(n.context); });
  j["current-context"] = config.current_context;
  j["kind"] = "Config";
  j["preferences"] = Json::object();
  if (config.preferences.colors) j["preferences"]["colors"] = true;
  j["users"] = named_list(config.users, "user", [](const NamedAuthInfo& n) { return user_json(n.user); });
  return j;
}

std::string to_yaml(const Config& config) { return machinery::goyaml::marshal(sorted_json(config)); }

nlohmann::ordered_json to_json(const Config& config) { return in_field_order(sorted_json(config), false); }

Status write_file(const std::string& path, const Config& config) {
  return tls::write_file_atomic(path, to_yaml(config), 0600, 0755);
}

}  // namespace kapi::kubeconfig
