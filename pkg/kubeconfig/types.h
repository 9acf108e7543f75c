#pragma once
// The kubeconfig model, shaped like client-go's clientcmd/api/v1 (field names in comments are the
// YAML keys). *_data fields hold the DECODED bytes (PEM text); they are base64 in the file.
// Not modelled (dropped on load): "extensions" lists.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pkg/tls/result.h"

namespace kapi::kubeconfig {

using tls::Error;
using tls::ErrorCode;
using tls::Result;
using tls::Status;

struct Cluster {
  std::string server;                      // server
  std::string tls_server_name;             // tls-server-name
  bool insecure_skip_tls_verify = false;   // insecure-skip-tls-verify
  std::string certificate_authority;       // certificate-authority (path)
  std::string certificate_authority_data;  // certificate-authority-data (decoded PEM)
  std::string proxy_url;                   // proxy-url
  bool disable_compression = false;        // disable-compression
  std::string location_of_origin;          // file this entry was loaded from (not serialized)
};

struct ExecEnvVar {
  std::string name;
  std::string value;
  bool operator==(const ExecEnvVar&) const = default;
};

struct ExecConfig {
  std::string api_version;  // apiVersion
  std::string command;      // command
  std::vector<std::string> args;
  std::vector<ExecEnvVar> env;
  std::string install_hint;           // installHint
  bool provide_cluster_info = false;  // provideClusterInfo
  std::string interactive_mode;       // interactiveMode: Never | IfAvailable | Always
  bool operator==(const ExecConfig&) const = default;
};

struct AuthProviderConfig {
  std::string name;
  std::map<std::string, std::string> config;
  bool operator==(const AuthProviderConfig&) const = default;
};

struct AuthInfo {
  std::string client_certificate;       // client-certificate (path)
  std::string client_certificate_data;  // client-certificate-data (decoded PEM)
  std::string client_key;               // client-key (path)
  std::string client_key_data;          // client-key-data (decoded PEM; never log it)
  std::string token;                    // token (never log it)
  std::string token_file;               // tokenFile
  std::string impersonate;              // as
  std::string impersonate_uid;          // as-uid
  std::vector<std::string> impersonate_groups;                     // as-groups
  std::map<std::string, std::vector<std::string>> impersonate_extra;  // as-user-extra
  std::string username;                 // username
  std::string password;                 // password (never log it)
  std::optional<AuthProviderConfig> auth_provider;  // auth-provider
  std::optional<ExecConfig> exec;                   // exec
  std::string location_of_origin;                   // not serialized
};

struct Context {
  std::string cluster;
  std::string user;
  std::string namespace_;          // namespace
  std::string location_of_origin;  // not serialized
};

struct NamedCluster {
  std::string name;
  Cluster cluster;
};
struct NamedAuthInfo {
  std::string name;
  AuthInfo user;
};
struct NamedContext {
  std::string name;
  Context context;
};

struct Preferences {
  bool colors = false;
};

struct Config {
  std::string current_context;  // current-context
  std::vector<NamedCluster> clusters;
  std::vector<NamedAuthInfo> users;
  std::vector<NamedContext> contexts;
  Preferences preferences;

  // Lookup by name; nullptr if absent.
  const Cluster* find_cluster(const std::string& name) const {
    for (const auto& c : clusters)
      if (c.name == name) return &c.cluster;
    return nullptr;
  }
  Cluster* find_cluster(const std::string& name) {
    return const_cast<Cluster*>(static_cast<const Config*>(this)->find_cluster(name));
  }
  const AuthInfo* find_user(const std::string& name) const {
    for (const auto& u : users)
      if (u.name == name) return &u.user;
    return nullptr;
  }
  AuthInfo* find_user(const std::string& name) {
    return const_cast<AuthInfo*>(static_cast<const Config*>(this)->find_user(name));
  }
  const Context* find_context(const std::string& name) const {
    for (const auto& c : contexts)
      if (c.name == name) return &c.context;
    return nullptr;
  }
  Context* find_context(const std::string& name) {
    return const_cast<Context*>(static_cast<const Config*>(this)->find_context(name));
  }

  // Insert or replace by name (kubectl config set-cluster / set-credentials / set-context).
  void set_cluster(const std::string& name, Cluster c);
  void set_user(const std::string& name, AuthInfo u);
  void set_context(const std::string& name, Context c);
  // Remove by name; false if absent.
  bool remove_cluster(const std::string& name);
  bool remove_user(const std::string& name);
  bool remove_context(const std::string& name);
};

}  // namespace kapi::kubeconfig
