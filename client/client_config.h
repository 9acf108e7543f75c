#pragma once
// kubectl's global connection flags (cli-runtime genericclioptions.ConfigFlags) and their
// resolution against the kubeconfig into what a request needs (client-go clientcmd
// DirectClientConfig: Namespace() and ClientConfig(), with the same error texts).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/basic_auth_prompt.h"
#include "client/errors.h"
#include "client/exec_plugin.h"
#include "client/flags.h"

namespace kapi::kubeconfig {
struct Config;
}

namespace kapi::client {

struct GlobalOptions {
  std::string kubeconfig, context, cluster, user, server, certificate_authority,
      client_certificate, client_key, token, tls_server_name, username, password, as, as_uid;
  std::vector<std::string> as_groups;
  std::optional<std::string> namespace_;  // set when -n/--namespace was given (even empty)
  bool insecure_skip_tls_verify = false;
  bool disable_compression = false;
  std::string request_timeout = "0";
  std::string cache_dir;  // --cache-dir, else $KUBECACHEDIR, else ~/.kube/cache
  int verbosity = 0;
};

// Registers the flags that `kubectl options` lists (they apply to every command).
void register_global_flags(FlagSet& flags);
GlobalOptions global_options_from(const FlagSet& flags);
// The default of --cache-dir: $KUBECACHEDIR or $HOME/.kube/cache.
std::string default_cache_dir();

// Everything a request needs, resolved.
struct RestConfig {
  std::string server;       // as configured, e.g. "https://127.0.0.1:6443"
  std::string scheme;       // "http" | "https"
  std::string host;         // without brackets for IPv6
  int port = 0;
  std::string host_port;    // "127.0.0.1:6443" as url.URL.Host prints it
  std::string path_prefix;  // e.g. "" or "/k8s"
  std::string ca_pem;       // empty: system roots
  bool insecure = false;
  std::string tls_server_name;
  std::string client_cert_pem, client_key_pem;
  std::string bearer_token;
  std::string bearer_token_file;  // re-read (trimmed) for every request; wins when readable
  std::optional<ExecProvider> exec;  // only when no token, basic auth or client certificate
  std::string proxy_url;             // the cluster's proxy-url ("" = none)
  std::string username, password;
  std::string impersonate_user, impersonate_uid;
  std::vector<std::string> impersonate_groups;
  double timeout_seconds = 0;  // --request-timeout; 0 = none
  std::string timeout_param;   // "5s" as Go's Duration.String(), sent as ?timeout=
};

// host and port from host_port ("[::1]:6443", "h:80", "h"), the scheme's port when absent.
void split_host_port(RestConfig& rc);

class ClientConfig {
 public:
  explicit ClientConfig(GlobalOptions options);
  ~ClientConfig();

  // The namespace for the request (flag, else context, else "default"); `explicit_ns` tells
  // whether it came from the flag.
  Result<std::string> namespace_for_request(bool* explicit_ns = nullptr);
  Result<RestConfig> rest_config();
  const GlobalOptions& options() const { return options_; }

 private:
  Result<const kubeconfig::Config*> loaded();
  std::optional<CmdError> confirm_usable();

  GlobalOptions options_;
  std::unique_ptr<kubeconfig::Config> config_;
  std::optional<BasicAuth> prompted_;  // what the user typed at the username/password prompt
};

// --request-timeout parsing (a bare integer is seconds, else a Go duration). nullopt on error.
std::optional<double> parse_request_timeout(const std::string& text);
// time.Duration.String() for a number of seconds ("5s", "1m30s", "500ms").
std::string go_duration_string(double seconds);

}  // namespace kapi::client
