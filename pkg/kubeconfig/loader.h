#pragma once
// Loading kubeconfig files with client-go's rules (clientcmd.ClientConfigLoadingRules).
#include <string>
#include <vector>

#include "pkg/kubeconfig/types.h"

namespace kapi::kubeconfig {

struct LoadOptions {
  // Make relative certificate-authority / client-certificate / client-key / tokenFile paths
  // (and an exec command containing '/') absolute against the directory of the file they came
  // from, as client-go does.
  bool resolve_paths = true;
};

// Parses kubeconfig YAML (or JSON). `origin` names the source in errors and becomes each
// entry's location_of_origin; relative paths are left as they are. *-data fields are base64-
// decoded. Errors read like kubectl's, e.g. "json: cannot unmarshal number into Go struct field
// Cluster.clusters.cluster.server of type string" or "illegal base64 data at input byte 3".
Result<Config> parse(const std::string& yaml, const std::string& origin = "");

// One file. A missing file is ErrorCode::kNotFound ("stat <path>: no such file or directory");
// other failures read "error loading config file \"<path>\": <reason>".
Result<Config> load_file(const std::string& path, const LoadOptions& options = {});

// A KUBECONFIG-style list: empty entries and missing files are skipped, duplicates ignored;
// maps merge with the first file to set a name winning (whole entry), current-context and
// preferences from the first file that sets them. If several files fail, the errors are joined
// as client-go's aggregate ("[err1, err2]").
Result<Config> load_files(const std::vector<std::string>& paths, const LoadOptions& options = {});

// Merges already-loaded configs with the same precedence rules (configs[0] wins).
Config merge(const std::vector<Config>& configs);

// Splits a KUBECONFIG value on ':' (dropping empty entries and duplicates, keeping order).
std::vector<std::string> split_kubeconfig_env(const std::string& value);

// $HOME/.kube/config
std::string default_kubeconfig_path();

// kubectl's precedence: an explicit --kubeconfig path (must exist), else $KUBECONFIG (list),
// else ~/.kube/config (may be missing: empty config).
Result<Config> load_default(const std::string& explicit_path = "",
                            const LoadOptions& options = {});

// Makes relative file references absolute against `base_dir` (what load_file does).
void resolve_paths(Config& config, const std::string& base_dir);

}  // namespace kapi::kubeconfig
