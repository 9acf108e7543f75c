#pragma once
// Which kubeconfig files `kapi config ...` reads and writes (client-go clientcmd.PathOptions and
// ModifyConfig): --kubeconfig alone, else the $KUBECONFIG list, else ~/.kube/config. A changed
// entry is written back to the file it came from, a new one to the default file; the
// current-context goes to the first file that already sets one.
#include <string>
#include <vector>

#include "client/errors.h"
#include "pkg/kubeconfig/types.h"

namespace kapi::client {

class ConfigAccess {
 public:
  // `explicit_file` is the --kubeconfig value ("" when not given).
  explicit ConfigAccess(std::string explicit_file);

  bool is_explicit_file() const { return !explicit_.empty(); }
  const std::string& explicit_file() const { return explicit_; }
  // The files in loading order.
  std::vector<std::string> loading_precedence() const;
  // Where new entries go: the explicit file, the only/first existing/last $KUBECONFIG file, or
  // ~/.kube/config.
  std::string default_filename() const;

  // The merged configuration with paths as written in the files (not resolved); an empty one
  // when no file exists.
  Result<kubeconfig::Config> starting_config() const;

  // Writes the differences between starting_config() and `next` to their files.
  // `preferences_reset`: client-go sees zeroed preferences (nil extensions) as changed even when
  // colors did not change, and rewrites them.
  std::optional<CmdError> modify(const kubeconfig::Config& next, bool preferences_reset = false) const;

 private:
  std::string explicit_;
};

// A kubeconfig error as kubectl's CheckErr prints it.
CmdError config_error(const kubeconfig::Error& e);

}  // namespace kapi::client
