// The cluster and user commands of `kapi config` (kubectl pkg/cmd/config: set_cluster.go,
// set_credentials.go, get_clusters.go, get_users.go, delete_cluster.go, delete_user.go).
#include <algorithm>
#include <filesystem>

#include "client/cmd/command.h"
#include "client/cmd/config_access.h"
#include "client/factory.h"
#include "client/help.h"
#include "pkg/tls/file_util.h"

namespace kapi::client {
namespace {

std::string arg_list(const std::vector<std::string>& args) {
  std::string list = "[";
  for (size_t i = 0; i < args.size(); ++i) list += (i ? " " : "") + args[i];
  return list + "]";
}

ConfigAccess access_for(CommandEnv& env) { return ConfigAccess(env.factory.client_config().options().kubeconfig); }

// filepath.Abs
std::string absolute(const std::string& p) {
  if (p.empty()) return p;
  return std::filesystem::absolute(p).lexically_normal().string();
}

// os.Stat's error as Go prints it.
std::optional<std::string> stat_error(const std::string& path) {
  if (tls::file_exists(path)) return std::nullopt;
  return "stat " + path + ": no such file or directory";
}

std::string read_or_empty(const std::string& path) {
  auto r = tls::read_file(path);
  return r.ok() ? *r : "";
}

}  // namespace

void add_config_set_cluster_flags(FlagSet& flags) {
  for (const char* name : {"server", "certificate-authority", "insecure-skip-tls-verify", "tls-server-name"})
    flags.remove(name);
  flags.add_string("server", 0, "");
  flags.add_string("tls-server-name", 0, "");
  flags.add_bool("insecure-skip-tls-verify", 0, false);
  flags.add_string("certificate-authority", 0, "");
  flags.add_bool("embed-certs", 0, false);
  flags.add_string("proxy-url", 0, "");
}

int run_config_set_cluster(CommandEnv& env) {
  const FlagSet& f = env.flags;
  if (env.args.size() != 1) {
    env.out += command_help(env.factory.program(), "config set-cluster");
    return report_error(env.out, CmdError::msg("Unexpected args: " + arg_list(env.args)));
  }
  const std::string name = env.args[0];
  const std::string ca = f.get_string("certificate-authority");
  if (name.empty()) return report_error(env.out, CmdError::msg("you must specify a non-empty cluster name"));
  if (f.get_bool("insecure-skip-tls-verify") && !ca.empty())
    return report_error(env.out, CmdError::msg("you cannot specify a certificate authority and insecure mode at the same time"));
  if (f.get_bool("embed-certs")) {
    if (ca.empty()) return report_error(env.out, CmdError::msg("you must specify a --certificate-authority to embed"));
    if (auto e = stat_error(ca))
      return report_error(env.out, CmdError::msg("could not stat certificate-authority file " + ca + ": " + *e));
  }
  ConfigAccess access = access_for(env);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  const kubeconfig::Cluster* existing = config->find_cluster(name);
  kubeconfig::Cluster c = existing ? *existing : kubeconfig::Cluster{};
  if (f.changed("server")) {
    c.server = f.get_string("server");
    c.tls_server_name.clear();
  }
  if (f.changed("tls-server-name")) c.tls_server_name = f.get_string("tls-server-name");
  if (f.changed("insecure-skip-tls-verify")) {
    c.insecure_skip_tls_verify = f.get_bool("insecure-skip-tls-verify");
    if (c.insecure_skip_tls_verify) {
      c.certificate_authority.clear();
      c.certificate_authority_data.clear();
    }
  }
  if (f.changed("certificate-authority")) {
    if (f.get_bool("embed-certs")) {
      c.certificate_authority_data = read_or_empty(ca);
      c.insecure_skip_tls_verify = false;
      c.certificate_authority.clear();
    } else {
      c.certificate_authority = absolute(ca);
      if (!c.certificate_authority.empty()) {
        c.insecure_skip_tls_verify = false;
        c.certificate_authority_data.clear();
      }
    }
  }
  if (f.changed("proxy-url")) c.proxy_url = f.get_string("proxy-url");
  config->set_cluster(name, c);
  if (auto err = access.modify(*config)) return report_error(env.out, *err);
  env.out += "Cluster \"" + name + "\" set.\n";
  return 0;
}

void add_config_set_credentials_flags(FlagSet& flags) {
  for (const char* name : {"client-certificate", "client-key", "token", "username", "password"}) {
    flags.remove(name);
    flags.add_string(name, 0, "");
  }
  flags.add_bool("embed-certs", 0, false);
}

int run_config_set_credentials(CommandEnv& env) {
  const FlagSet& f = env.flags;
  if (env.args.size() != 1) {
    env.out += command_help(env.factory.program(), "config set-credentials");
    return report_error(env.out, CmdError::msg("unexpected args: " + arg_list(env.args)));
  }
  const std::string name = env.args[0];
  if (name.empty()) return report_error(env.out, CmdError::msg("you must specify a non-empty user name"));
  const std::string cert = f.get_string("client-certificate"), key = f.get_string("client-key");
  if (!f.get_string("token").empty() && (!f.get_string("username").empty() || !f.get_string("password").empty()))
    return report_error(env.out, CmdError::msg("you cannot specify more than one authentication method at the same "
                                               "time: --token, --username/--password"));
  bool embed = f.get_bool("embed-certs");
  if (embed) {
    if (cert.empty() && key.empty())
      return report_error(env.out, CmdError::msg("you must specify a --client-certificate or --client-key to embed"));
    if (!cert.empty())
      if (auto e = stat_error(cert))
        return report_error(env.out, CmdError::msg("could not stat client-certificate file " + cert + ": " + *e));
    if (!key.empty())
      if (auto e = stat_error(key))
        return report_error(env.out, CmdError::msg("could not stat client-key file " + key + ": " + *e));
  }
  ConfigAccess access = access_for(env);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  const kubeconfig::AuthInfo* existing = config->find_user(name);
  kubeconfig::AuthInfo u = existing ? *existing : kubeconfig::AuthInfo{};
  bool set_token = false, set_basic = false;
  if (f.changed("client-certificate")) {
    if (embed) {
      u.client_certificate_data = read_or_empty(cert);
      u.client_certificate.clear();
    } else {
      u.client_certificate = absolute(cert);
      if (!u.client_certificate.empty()) u.client_certificate_data.clear();
    }
  }
  if (f.changed("client-key")) {
    if (embed) {
      u.client_key_data = read_or_empty(key);
      u.client_key.clear();
    } else {
      u.client_key = absolute(key);
      if (!u.client_key.empty()) u.client_key_data.clear();
    }
  }
  if (f.changed("token")) {
    u.token = f.get_string("token");
    set_token = !u.token.empty();
  }
  if (f.changed("username")) {
    u.username = f.get_string("username");
    set_basic = set_basic || !u.username.empty();
  }
  if (f.changed("password")) {
    u.password = f.get_string("password");
    set_basic = set_basic || !u.password.empty();
  }
  // One authentication method at a time: setting one clears the other.
  if (set_token || set_basic) {
    if (!set_token) u.token.clear();
    if (!set_basic) {
      u.username.clear();
      u.password.clear();
    }
  }
  config->set_user(name, u);
  if (auto err = access.modify(*config)) return report_error(env.out, *err);
  env.out += "User \"" + name + "\" set.\n";
  return 0;
}

// get-clusters prints in Go map order (random); kapi sorts, which is one of those orders.
int run_config_get_clusters(CommandEnv& env) {
  auto config = access_for(env).starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  std::vector<std::string> names;
  for (const auto& c : config->clusters) names.push_back(c.name);
  std::sort(names.begin(), names.end());
  env.out += "NAME\n";
  for (const auto& n : names) env.out += n + "\n";
  return 0;
}

int run_config_get_users(CommandEnv& env) {
  auto config = access_for(env).starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  std::vector<std::string> names;
  for (const auto& u : config->users) names.push_back(u.name);
  std::sort(names.begin(), names.end());
  env.out += "NAME\n";
  for (const auto& n : names) env.out += n + "\n";
  return 0;
}

int run_config_delete_cluster(CommandEnv& env) {
  ConfigAccess access = access_for(env);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  if (env.args.size() != 1) {
    env.out += command_help(env.factory.program(), "config delete-cluster");
    return 0;
  }
  const std::string name = env.args[0];
  const std::string file = access.default_filename();
  if (!config->find_cluster(name))
    return report_error(env.out, CmdError::msg("cannot delete cluster " + name + ", not in " + file));
  config->remove_cluster(name);
  if (auto err = access.modify(*config)) return report_error(env.out, *err);
  env.out += "deleted cluster " + name + " from " + file + "\n";
  return 0;
}

int run_config_delete_user(CommandEnv& env) {
  ConfigAccess access = access_for(env);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  if (env.args.size() != 1)
    return report_error(env.out, CmdError::msg("user to delete is required\nSee '" + env.factory.program() +
                                               " config delete-user -h' for help and examples"));
  const std::string name = env.args[0];
  const std::string file = access.default_filename();
  if (!config->find_user(name))
    return report_error(env.out, CmdError::msg("cannot delete user " + name + ", not in " + file));
  config->remove_user(name);
  if (auto err = access.modify(*config)) return report_error(env.out, *err);
  env.out += "deleted user " + name + " from " + file + "\n";
  return 0;
}

}  // namespace kapi::client
