#pragma once
// kubectl 1.33's help texts (cobra + kubectl's templates), with "kubectl" replaced by the
// program name. Commands kapi does not implement still appear in the root help, as kubectl
// lists them.
#include <string>
#include <vector>

namespace kapi::client {

struct PluginEntry {
  std::string name;  // first segment of kubectl-<name>[-...], '_' shown as '-'
};

// `kubectl --help` / `kubectl` with no arguments.
std::string root_help(const std::string& program, const std::vector<PluginEntry>& plugins);
// cobra's root UsageString() (what `kubectl help <unknown>` prints after its first line).
std::string root_usage(const std::string& program, const std::vector<PluginEntry>& plugins);
// Full help of a command kapi implements, or "" if there is none.
std::string command_help(const std::string& program, const std::string& command);
// `kubectl options`.
std::string options_help(const std::string& cache_dir);
// `kubectl help help`.
std::string help_help(const std::string& program);

// Replaces every "kubectl" with `program`.
std::string with_program(std::string text, const std::string& program);

}  // namespace kapi::client
