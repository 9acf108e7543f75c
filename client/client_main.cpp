// Client mode of the kapi binary: kubectl's command line (cobra's command lookup and flag
// parsing, kubectl's plugin handler and help) dispatching to the commands in client/cmd/.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <set>
#include <string>
#include <vector>

#include "client/client_config.h"
#include "client/cmd/command.h"
#include "client/factory.h"
#include "client/flags.h"
#include "client/help.h"
#include "client/plugins.h"

namespace kapi {
int client_main(int argc, char** argv);
}

namespace kapi::client {
namespace {

// kubectl's root commands in the order cmd.go adds them (cobra suggests in this order), with
// the commands that name a suggestion explicitly (SuggestFor).
struct RootCommand {
  const char* name;
  std::vector<const char*> suggest_for;
};
const std::vector<RootCommand>& root_commands() {
  static const std::vector<RootCommand> kCommands = {
      {"create", {}}, {"expose", {}}, {"run", {}}, {"set", {}}, {"explain", {}},
      {"get", {"list", "ps"}}, {"edit", {}}, {"delete", {"rm"}}, {"rollout", {}}, {"scale", {}},
      {"autoscale", {}}, {"certificate", {}}, {"cluster-info", {}}, {"top", {}}, {"cordon", {}},
      {"uncordon", {}}, {"drain", {}}, {"taint", {}}, {"describe", {}}, {"logs", {}},
      {"attach", {}}, {"exec", {}}, {"port-forward", {}}, {"proxy", {}}, {"cp", {}},
      {"auth", {}}, {"debug", {}}, {"events", {}}, {"diff", {}}, {"apply", {}}, {"patch", {}},
      {"replace", {}}, {"wait", {"list", "ps"}}, {"kustomize", {}}, {"label", {}},
      {"annotate", {}}, {"completion", {}}, {"config", {}}, {"plugin", {}}, {"version", {}},
      {"api-versions", {}}, {"api-resources", {}}, {"options", {}},
  };
  return kCommands;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// cobra's ld(): Levenshtein distance, case-insensitive.
size_t levenshtein(std::string a, std::string b) {
  a = lower(a);
  b = lower(b);
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// cobra's SuggestionsFor (SuggestionsMinimumDistance 2).
std::vector<std::string> suggestions_for(const std::string& typed) {
  std::vector<std::string> out;
  for (const auto& c : root_commands()) {
    std::string name = c.name;
    if (levenshtein(typed, name) <= 2 || lower(name).rfind(lower(typed), 0) == 0) out.push_back(name);
    for (const char* s : c.suggest_for)
      if (lower(typed) == lower(s)) out.push_back(name);
  }
  return out;
}

bool is_executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

// kubectl's plugin list for help: every "kubectl-*" file in $PATH, in PATH and directory
// order; the first name segment is the command.
std::vector<PluginEntry> list_plugins() {
  std::vector<PluginEntry> out;
  for (const auto& file : plugin_files()) {
    std::string rest = file.name.substr(8);
    std::string first = rest.substr(0, rest.find('-'));
    std::replace(first.begin(), first.end(), '_', '-');
    if (first.empty() || is_root_command(first)) continue;
    out.push_back({first});
  }
  return out;
}

// exec.LookPath("kubectl-<name>").
std::string look_path(const std::string& file) {
  for (const auto& dir : path_dirs()) {
    std::string p = (dir.empty() ? "." : dir) + "/" + file;
    if (is_executable_file(p)) return p;
  }
  return "";
}

// kubectl's HandlePluginCommand. Returns -1 when no plugin applies.
int handle_plugin(const std::vector<std::string>& args) {
  std::vector<std::string> remaining;
  for (const auto& a : args) {
    if (a.rfind("-", 0) == 0) break;
    std::string n = a;
    std::replace(n.begin(), n.end(), '-', '_');
    remaining.push_back(n);
  }
  if (remaining.empty()) {
    write_stderr("Error: flags cannot be placed before plugin name: " + args[0] + "\n");
    return 1;
  }
  while (!remaining.empty()) {
    std::string name = "kubectl";
    for (const auto& r : remaining) name += "-" + r;
    std::string path = look_path(name);
    if (!path.empty()) {
      std::vector<std::string> rest(args.begin() + static_cast<long>(remaining.size()), args.end());
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(path.c_str()));
      for (auto& r : rest) argv.push_back(const_cast<char*>(r.c_str()));
      argv.push_back(nullptr);
      ::execv(path.c_str(), argv.data());
      write_stderr(std::string("Error: ") + std::strerror(errno) + "\n");
      return 1;
    }
    remaining.pop_back();
  }
  return -1;
}

std::string program_name(const char* argv0) {
  std::string p = argv0 ? argv0 : "kapi";
  if (auto slash = p.rfind('/'); slash != std::string::npos) p = p.substr(slash + 1);
  return p == "kubectl" ? "kubectl" : "kapi";
}

int flag_error(const std::string& program, const std::string& command_path, const std::string& err) {
  write_stderr("error: " + err + "\nSee '" + program + (command_path.empty() ? "" : " " + command_path) +
               " --help' for usage.\n");
  return 1;
}

int print(const std::string& text) {
  std::string out = text;
  flush_stdout(out);
  return 0;
}

}  // namespace

// Names cobra's Find resolves at the root (including the hidden ones).
bool is_root_command(const std::string& name) {
  if (name == "alpha") return true;
  for (const auto& c : root_commands())
    if (name == c.name) return true;
  return false;
}


int run_client(int argc, char** argv) {
  const std::string program = program_name(argc > 0 ? argv[0] : nullptr);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);

  FlagSet root;
  register_global_flags(root);
  std::vector<std::string> words = root.strip_flags(args);

  // kubectl looks for a plugin before anything else when the command is not one of its own.
  if (!args.empty() && !words.empty() && !is_root_command(words[0])) {
    std::string first_word;
    for (const auto& a : args)
      if (a.rfind("-", 0) != 0) {
        first_word = a;
        break;
      }
    if (first_word != "help" && first_word != "__complete" && first_word != "__completeNoDesc") {
      int rc = handle_plugin(args);
      if (rc >= 0) return rc;
    }
  }

  if (words.empty()) {
    std::vector<std::string> positional;
    if (auto err = root.parse(args, positional)) return flag_error(program, "", *err);
    return print(root_help(program, list_plugins()));
  }

  const std::string name = words[0];
  std::vector<std::string> rest = args;
  rest.erase(std::find(rest.begin(), rest.end(), name));

  if (name == "help") {
    std::vector<std::string> positional;
    if (auto err = root.parse(rest, positional)) return flag_error(program, "help", *err);
    if (root.get_bool("help")) return print(help_help(program));
    if (positional.empty()) return print(root_help(program, list_plugins()));
    const std::string& topic = positional[0];
    // cobra's Find descends into subcommands: `help set env`.
    std::string path = topic;
    for (size_t i = 1; i < positional.size(); ++i) path += " " + positional[i];
    std::string text = positional.size() > 1 ? command_help(program, path) : "";
    if (text.empty()) text = command_help(program, topic);
    if (!text.empty()) return print(text);
    if (topic == "options") return 0;
    if (is_root_command(topic)) {
      write_stderr("error: kapi does not implement \"" + topic + "\" yet\n");
      return 1;
    }
    // cobra prints this through the command's error stream and exits 0.
    write_stderr("Unknown help topic [`" + topic + "`]\n" + root_usage(program, list_plugins()));
    return 0;
  }

  if (name == "__complete" || name == "__completeNoDesc") {
    // The words being completed are taken as they are; global flags among them still apply.
    FlagSet flags;
    register_global_flags(flags);
    std::vector<std::string> ignored;
    (void)flags.parse(rest, ignored);
    Factory factory(program, global_options_from(flags));
    std::string out;
    CommandEnv env{factory, flags, rest, out};
    return run_complete(env);
  }

  if (!is_root_command(name)) {
    std::string msg = "unknown command \"" + name + "\" for \"" + program + "\"";
    auto sugg = suggestions_for(name);
    if (!sugg.empty()) {
      msg += "\n\nDid you mean this?\n";
      for (const auto& s : sugg) msg += "\t" + s + "\n";
    }
    write_stderr("error: " + msg + (msg.back() == '\n' ? "" : "\n"));
    return 1;
  }

  if (name == "options") {
    std::vector<std::string> positional;
    if (auto err = root.parse(rest, positional)) return flag_error(program, name, *err);
    if (root.get_bool("help")) return 0;
    return print(options_help(root.get_string("cache-dir")));
  }
  if (name == "alpha") {
    std::vector<std::string> positional;
    if (auto err = root.parse(rest, positional)) return flag_error(program, name, *err);
    return print("No alpha commands are available in this version of " + program + "\n");
  }

  const CommandSpec* spec = find_command(name);
  if (!spec) {
    write_stderr("error: kapi does not implement \"" + name + "\" yet\n");
    return 1;
  }
  // cobra's Find: descend into child commands named by the first non-flag word.
  std::string path = name;
  while (spec->subcommands) {
    FlagSet probe;
    register_global_flags(probe);
    spec->add_flags(probe);
    auto sub_words = probe.strip_flags(rest);
    const CommandSpec* sub = sub_words.empty() ? nullptr : find_subcommand(*spec, sub_words[0]);
    if (!sub) {
      if ((spec->run == run_group || spec->run == run_group_stdout) && !sub_words.empty()) {
        write_stderr("error: unknown command \"" + sub_words[0] + "\"\nSee '" + program + " " + path +
                     " -h' for help and examples\n");
        return 1;
      }
      break;
    }
    rest.erase(std::find(rest.begin(), rest.end(), sub_words[0]));
    spec = sub;
    path += std::string(" ") + sub->name;
  }
  FlagSet flags;
  register_global_flags(flags);
  spec->add_flags(flags);
  std::vector<std::string> positional;
  if (auto err = flags.parse(rest, positional)) {
    if (spec->diff_flag_errors) {
      // diff's SetFlagErrorFunc: a usage error through CheckDiffErr (exit 2).
      write_stderr("error: " + *err + "\nSee '" + program + " " + path + " -h' for help and examples\n");
      return 2;
    }
    return flag_error(program, path, *err);
  }
  if (flags.get_bool("help")) return print(command_help(program, path));
  if (spec->run == run_group) {
    // cmdutil.DefaultSubCommandRun: the group's help on stderr, exit 1.
    write_stderr(command_help(program, path));
    return 1;
  }
  if (spec->run == run_group_help) {
    std::string out = command_help(program, path);
    flush_stdout(out);
    return 0;
  }
  if (spec->run == run_group_stdout) {
    // `rollout` passes its stdout to DefaultSubCommandRun.
    std::string out = command_help(program, path);
    flush_stdout(out);
    return 1;
  }
  std::string missing;
  for (const auto& r : spec->required_flags)
    if (!flags.changed(r)) missing += (missing.empty() ? "\"" : ", \"") + r + "\"";
  if (!missing.empty()) {
    write_stderr("error: required flag(s) " + missing + " not set\n");
    return 1;
  }

  Factory factory(program, global_options_from(flags));
  std::string out;
  CommandEnv env{factory, flags, positional, out, path};
  int rc = spec->run(env);
  flush_stdout(out);
  return rc;
}

}  // namespace kapi::client

namespace kapi {
int client_main(int argc, char** argv) {
  int rc = client::run_client(argc, argv);
  // Every file is written and closed by now; skip the exit-time teardown (OpenSSL's cleanup and
  // the static destructors were ~3% of a `kapi get`).
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(rc);
}
}  // namespace kapi
