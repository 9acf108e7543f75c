// `kapi plugin list` (kubectl pkg/cmd/plugin): the kubectl-* executables on $PATH, with
// kubectl's warnings for plugins that are not executable, are shadowed by an earlier one, or
// would overwrite a built-in command.
#include <sys/stat.h>

#include <map>

#include "client/cmd/command.h"
#include "client/factory.h"
#include "client/plugins.h"

namespace kapi::client {

namespace {

// CommandOverrideVerifier.Verify.
std::vector<std::string> verify(const PluginFile& file, std::map<std::string, std::string>& seen,
                                const std::string& program) {
  std::vector<std::string> errs;
  const std::string path = file.path();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    errs.push_back("error: unable to identify " + path + " as an executable file: stat " + path +
                   ": no such file or directory");
  } else if (!(st.st_mode & 0111)) {
    errs.push_back("warning: " + path + " identified as a kubectl plugin, but it is not executable");
  }
  if (auto it = seen.find(file.name); it != seen.end())
    errs.push_back("warning: " + path + " is overshadowed by a similarly named plugin: " + it->second);
  else
    seen[file.name] = path;
  // The command path cobra's Find gives for the name's segments, when it names a command.
  std::vector<std::string> words;
  for (size_t start = 8;;) {
    size_t dash = file.name.find('-', start);
    words.push_back(file.name.substr(start, dash == std::string::npos ? std::string::npos : dash - start));
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  if (!words.empty() && is_root_command(words[0])) {
    std::string command_path = program + " " + words[0];
    if (const CommandSpec* spec = find_command(words[0]); spec && words.size() > 1)
      if (const CommandSpec* sub = find_subcommand(*spec, words[1])) command_path += std::string(" ") + sub->name;
    errs.push_back("warning: " + file.name + " overwrites existing command: \"" + command_path + "\"");
  }
  return errs;
}

}  // namespace

void add_plugin_list_flags(FlagSet& f) { f.add_bool("name-only", 0, false); }

int run_plugin_list(CommandEnv& env) {
  const std::string program = env.factory.program();
  std::vector<std::string> unreadable;
  auto files = plugin_files(&unreadable);
  for (const auto& u : unreadable) {
    size_t colon = u.find(": ");
    flush_stdout(env.out);
    write_stderr("Unable to read directory \"" + u.substr(5, colon - 5) + "\" from your PATH: " + u +
                 ". Skipping...\n");
  }
  std::vector<std::string> errors;
  if (!files.empty()) {
    env.out += "The following compatible plugins are available:\n\n";
  } else {
    errors.push_back("error: unable to find any " + program + " plugins in your PATH");
  }
  std::map<std::string, std::string> seen;
  int warnings = 0;
  for (const auto& file : files) {
    env.out += (env.flags.get_bool("name-only") ? file.name : file.path()) + "\n";
    for (const auto& e : verify(file, seen, program)) {
      flush_stdout(env.out);
      write_stderr("  - " + e + "\n");
      ++warnings;
    }
  }
  if (warnings == 1) errors.push_back("error: one plugin warning was found");
  else if (warnings > 1) errors.push_back("error: " + std::to_string(warnings) + " plugin warnings were found");
  if (errors.empty()) return 0;
  std::string text;
  for (const auto& e : errors) text += e + "\n";
  flush_stdout(env.out);
  write_stderr(text);
  return 1;
}

}  // namespace kapi::client
