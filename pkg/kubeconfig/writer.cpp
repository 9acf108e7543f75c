#include "pkg/kubeconfig/writer.h"

#include <algorithm>

#include "pkg/kubeconfig/base64.h"
#include "pkg/kubeconfig/go_yaml.h"
#include "pkg/tls/file_util.h"

namespace kapi::kubeconfig {
namespace {

class Emitter {
 public:
  // A line "key: <string>" at `indent`; with `dash`, the line is "- key: ..." and the dash sits
  // at indent - 2.
  void str(int indent, std::string_view key, std::string_view value, bool dash = false) {
    prefix(indent, dash);
    out_ += key;
    out_ += ": ";
    out_ += goyaml::format_string(value, indent + static_cast<int>(key.size()) + 2, indent + 2);
  }
  void str_if(int indent, std::string_view key, std::string_view value) {
    if (!value.empty()) str(indent, key, value);
  }
  void data_if(int indent, std::string_view key, std::string_view bytes) {
    if (!bytes.empty()) str(indent, key, base64_encode(bytes));
  }
  void raw(int indent, std::string_view key, std::string_view text, bool dash = false) {
    prefix(indent, dash);
    out_ += key;
    out_ += ": ";
    out_ += text;
    out_ += '\n';
  }
  void open(int indent, std::string_view key, bool dash = false) {
    prefix(indent, dash);
    out_ += key;
    out_ += ":\n";
  }
  // "- <string>" items of a sequence nested (indentless) under a key at `indent`.
  void items(int indent, const std::vector<std::string>& values) {
    for (const auto& v : values) {
      out_.append(indent, ' ');
      out_ += "- ";
      out_ += goyaml::format_string(v, indent + 2, indent + 2);
    }
  }
  void string_list(int indent, std::string_view key, const std::vector<std::string>& values) {
    if (values.empty()) return raw(indent, key, "null");
    open(indent, key);
    items(indent, values);
  }
  std::string take() { return std::move(out_); }

 private:
  void prefix(int indent, bool dash) {
    if (dash) {
      out_.append(indent - 2, ' ');
      out_ += "- ";
    } else {
      out_.append(indent, ' ');
    }
  }
  std::string out_;
};

template <typename Named>
std::vector<const Named*> sorted_by_name(const std::vector<Named>& v) {
  std::vector<const Named*> out;
  for (const auto& n : v) out.push_back(&n);
  std::stable_sort(out.begin(), out.end(),
                   [](const Named* a, const Named* b) { return a->name < b->name; });
  return out;
}

template <typename Map>
std::vector<const typename Map::value_type*> sorted_keys(const Map& m) {
  std::vector<const typename Map::value_type*> out;
  for (const auto& kv : m) out.push_back(&kv);
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return goyaml::key_less(a->first, b->first);
  });
  return out;
}

void emit_cluster(Emitter& e, const NamedCluster& nc) {
  const Cluster& c = nc.cluster;
  e.open(2, "cluster", /*dash=*/true);
  e.str_if(4, "certificate-authority", c.certificate_authority);
  e.data_if(4, "certificate-authority-data", c.certificate_authority_data);
  if (c.disable_compression) e.raw(4, "disable-compression", "true");
  if (c.insecure_skip_tls_verify) e.raw(4, "insecure-skip-tls-verify", "true");
  e.str_if(4, "proxy-url", c.proxy_url);
  e.str(4, "server", c.server);
  e.str_if(4, "tls-server-name", c.tls_server_name);
  e.str(2, "name", nc.name);
}

void emit_context(Emitter& e, const NamedContext& nc) {
  const Context& c = nc.context;
  e.open(2, "context", /*dash=*/true);
  e.str(4, "cluster", c.cluster);
  e.str_if(4, "namespace", c.namespace_);
  e.str(4, "user", c.user);
  e.str(2, "name", nc.name);
}

void emit_exec(Emitter& e, const ExecConfig& x) {
  e.open(4, "exec");
  e.str_if(6, "apiVersion", x.api_version);
  e.string_list(6, "args", x.args);
  e.str(6, "command", x.command);
  if (x.env.empty()) {
    e.raw(6, "env", "null");
  } else {
    e.open(6, "env");
    for (const auto& v : x.env) {
      e.str(8, "name", v.name, /*dash=*/true);
      e.str(8, "value", v.value);
    }
  }
  e.str_if(6, "installHint", x.install_hint);
  e.str_if(6, "interactiveMode", x.interactive_mode);
  e.raw(6, "provideClusterInfo", x.provide_cluster_info ? "true" : "false");
}

bool is_empty(const AuthInfo& u) {
  return u.client_certificate.empty() && u.client_certificate_data.empty() &&
         u.client_key.empty() && u.client_key_data.empty() && u.token.empty() &&
         u.token_file.empty() && u.impersonate.empty() && u.impersonate_uid.empty() &&
         u.impersonate_groups.empty() && u.impersonate_extra.empty() && u.username.empty() &&
         u.password.empty() && !u.auth_provider && !u.exec;
}

void emit_user(Emitter& e, const NamedAuthInfo& nu) {
  const AuthInfo& u = nu.user;
  e.str(2, "name", nu.name, /*dash=*/true);
  if (is_empty(u)) return e.raw(2, "user", "{}");
  e.open(2, "user");
  e.str_if(4, "as", u.impersonate);
  if (!u.impersonate_groups.empty()) e.string_list(4, "as-groups", u.impersonate_groups);
  e.str_if(4, "as-uid", u.impersonate_uid);
  if (!u.impersonate_extra.empty()) {
    e.open(4, "as-user-extra");
    for (const auto* kv : sorted_keys(u.impersonate_extra)) {
      // The key goes through the same quoting as values.
      std::string key = goyaml::format_string(kv->first, 6, 8);
      key.pop_back();
      e.string_list(6, key, kv->second);
    }
  }
  if (u.auth_provider) {
    e.open(4, "auth-provider");
    if (u.auth_provider->config.empty()) {
      e.raw(6, "config", "null");
    } else {
      e.open(6, "config");
      for (const auto* kv : sorted_keys(u.auth_provider->config)) {
        std::string key = goyaml::format_string(kv->first, 8, 10);
        key.pop_back();
        e.str(8, key, kv->second);
      }
    }
    e.str(6, "name", u.auth_provider->name);
  }
  e.str_if(4, "client-certificate", u.client_certificate);
  e.data_if(4, "client-certificate-data", u.client_certificate_data);
  e.str_if(4, "client-key", u.client_key);
  e.data_if(4, "client-key-data", u.client_key_data);
  if (u.exec) emit_exec(e, *u.exec);
  e.str_if(4, "password", u.password);
  e.str_if(4, "token", u.token);
  e.str_if(4, "tokenFile", u.token_file);
  e.str_if(4, "username", u.username);
}

}  // namespace

std::string to_yaml(const Config& config) {
  Emitter e;
  e.raw(0, "apiVersion", "v1");
  if (config.clusters.empty()) {
    e.raw(0, "clusters", "null");
  } else {
    e.open(0, "clusters");
    for (const auto* c : sorted_by_name(config.clusters)) emit_cluster(e, *c);
  }
  if (config.contexts.empty()) {
    e.raw(0, "contexts", "null");
  } else {
    e.open(0, "contexts");
    for (const auto* c : sorted_by_name(config.contexts)) emit_context(e, *c);
  }
  e.str(0, "current-context", config.current_context);
  e.raw(0, "kind", "Config");
  if (config.preferences.colors) {
    e.open(0, "preferences");
    e.raw(2, "colors", "true");
  } else {
    e.raw(0, "preferences", "{}");
  }
  if (config.users.empty()) {
    e.raw(0, "users", "null");
  } else {
    e.open(0, "users");
    for (const auto* u : sorted_by_name(config.users)) emit_user(e, *u);
  }
  return e.take();
}

Status write_file(const std::string& path, const Config& config) {
  return tls::write_file_atomic(path, to_yaml(config), 0600, 0755);
}

}  // namespace kapi::kubeconfig
