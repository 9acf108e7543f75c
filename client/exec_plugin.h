#pragma once
// client-go's exec credential plugin (plugin/pkg/client/auth/exec/exec.go): run the kubeconfig
// user's `exec` command with KUBERNETES_EXEC_INFO set to an ExecCredential request, read an
// ExecCredential (client.authentication.k8s.io/v1 or v1beta1) from its stdout, and use its
// token or client certificate. Error texts are upstream's.
#include <optional>
#include <string>
#include <vector>

#include "client/errors.h"
#include "pkg/kubeconfig/types.h"

namespace kapi::client {

// What spec.cluster carries when provideClusterInfo is set (clientauthentication.Cluster).
struct ExecClusterInfo {
  std::string server, tls_server_name, ca_data, proxy_url;
  bool insecure = false;
  bool disable_compression = false;
};

struct ExecProvider {
  kubeconfig::ExecConfig config;  // install_hint already cleaned of control characters
  ExecClusterInfo cluster;
};

struct ExecCredentials {
  std::string token;
  std::string cert_pem, key_pem;  // both or neither
};

// "exec plugin: invalid apiVersion \"x\"" unless the apiVersion is v1 or v1beta1 (checked when
// the transport is built, before any request).
std::optional<CmdError> check_exec_api_version(const ExecProvider& p);

// The KUBERNETES_EXEC_INFO value (JSON plus a newline, as client-go encodes it).
std::string exec_info_json(const ExecProvider& p, bool interactive);

// Interprets the plugin's stdout; the error text is what follows "getting credentials: ".
Result<ExecCredentials> decode_exec_output(const std::string& out, const std::string& api_version);

// Runs the plugin (stderr goes to ours; stdin only when interactive) and decodes its answer.
// Credentials are cached for the process, as client-go's authenticator cache does; `refresh`
// runs the plugin again (client-go does this after a 401).
Result<ExecCredentials> exec_credentials(const ExecProvider& p, bool refresh = false);

// What one more of client-go's repeated discovery attempts does to the plugin: a plugin whose
// last run failed runs again (its stderr shows again); one whose token got a 401 is refreshed
// once more. False if no plugin was involved.
bool repeat_exec_attempt();

// clientcmd's cleanANSIEscapeCodes: control characters other than \t\n\v\f\r become "U+001B".
std::string clean_ansi_escape_codes(const std::string& s);

}  // namespace kapi::client
