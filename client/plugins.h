#pragma once
// kubectl plugins: executables named "kubectl-<command>" on $PATH (cli-runtime's plugin
// handler and `kubectl plugin list`).
#include <string>
#include <vector>

namespace kapi::client {

// filepath.SplitList($PATH) without repeats, in order.
std::vector<std::string> path_dirs();

// Every "kubectl-*" entry that is not a directory, per PATH directory in name order. Directories
// that cannot be read are named in `unreadable` (with the reason).
struct PluginFile {
  std::string dir, name;
  std::string path() const { return dir + "/" + name; }
};
std::vector<PluginFile> plugin_files(std::vector<std::string>* unreadable = nullptr);

}  // namespace kapi::client
