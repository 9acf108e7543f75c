// The context commands of `kapi config` (kubectl pkg/cmd/config: current_context.go,
// get_contexts.go, use_context.go, set_context.go, delete_context.go, rename_context.go).
#include <algorithm>

#include "client/cmd/command.h"
#include "client/cmd/config_access.h"
#include "client/factory.h"
#include "client/help.h"
#include "client/printers/tabwriter.h"

namespace kapi::client {
namespace {

std::string arg_list(const std::vector<std::string>& args) {
  std::string list = "[";
  for (size_t i = 0; i < args.size(); ++i) list += (i ? " " : "") + args[i];
  return list + "]";
}

ConfigAccess access_for(CommandEnv& env) { return ConfigAccess(env.factory.client_config().options().kubeconfig); }

// config.go helpErrorf: the command's help on stdout, then the error.
int help_error(CommandEnv& env, const std::string& command, const std::string& message) {
  env.out += command_help(env.factory.program(), command);
  return report_error(env.out, CmdError::msg(message));
}

}  // namespace

int run_config_current_context(CommandEnv& env) {
  auto config = access_for(env).starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  if (config->current_context.empty()) return report_error(env.out, CmdError::msg("current-context is not set"));
  env.out += config->current_context + "\n";
  return 0;
}

void add_config_get_contexts_flags(FlagSet& flags) {
  flags.add_bool("no-headers", 0, false);
  flags.add_string("output", 'o', "");
}

int run_config_get_contexts(CommandEnv& env) {
  const std::string output = env.flags.get_string("output");
  if (output != "" && output != "name")
    return report_error(env.out, CmdError::msg("--output " + output +
                                               " is not available in kubectl config get-contexts; resetting to "
                                               "default output format"));
  bool name_only = output == "name";
  auto config = access_for(env).starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  std::vector<CmdError> errs;
  std::vector<std::string> names;
  if (env.args.empty()) {
    for (const auto& c : config->contexts) names.push_back(c.name);
  } else {
    for (const auto& n : env.args) {
      if (config->find_context(n)) names.push_back(n);
      else errs.push_back(CmdError::msg("context " + n + " not found"));
    }
  }
  std::sort(names.begin(), names.end());
  std::string buffer;
  TabWriter w(buffer);
  if (!env.flags.get_bool("no-headers") && !name_only) w.write("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
  for (const auto& n : names) {
    if (name_only) {
      w.write(n + "\n");
      continue;
    }
    const auto* c = config->find_context(n);
    w.write(std::string(config->current_context == n ? "*" : " ") + "\t" + n + "\t" + c->cluster + "\t" + c->user +
            "\t" + c->namespace_ + "\n");
  }
  w.flush();
  env.out += buffer;
  if (!errs.empty()) return report_errors(env.out, errs);
  return 0;
}

int run_config_use_context(CommandEnv& env) {
  if (env.args.size() != 1) return help_error(env, "config use-context", "Unexpected args: " + arg_list(env.args));
  const std::string name = env.args[0];
  ConfigAccess access = access_for(env);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  if (name.empty()) return report_error(env.out, CmdError::msg("empty context names are not allowed"));
  if (!config->find_context(name))
    return report_error(env.out, CmdError::msg("no context exists with the name: \"" + name + "\""));
  config->current_context = name;
  if (auto err = access.modify(*config)) return report_error(env.out, *err);
  env.out += "Switched to context \"" + name + "\".\n";
  return 0;
}

void add_config_set_context_flags(FlagSet& flags) {
  // These shadow the global connection flags of the same names (and their shorthands).
  for (const char* name : {"cluster", "user", "namespace"}) {
    flags.remove(name);
    flags.add_string(name, 0, "");
  }
  flags.add_bool("current", 0, false);
}

int run_config_set_context(CommandEnv& env) {
  const FlagSet& f = env.flags;
  if (env.args.size() > 1) return help_error(env, "config set-context", "Unexpected args: " + arg_list(env.args));
  std::string name = env.args.empty() ? "" : env.args[0];
  bool current = f.get_bool("current");
  if (name.empty() && !current)
    return report_error(env.out, CmdError::msg("you must specify a non-empty context name or --current"));
  if (!name.empty() && current)
    return report_error(env.out, CmdError::msg("you cannot specify both a context name and --current"));
  ConfigAccess access = access_for(env);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  if (current) {
    if (config->current_context.empty()) return report_error(env.out, CmdError::msg("no current context is set"));
    name = config->current_context;
  }
  const kubeconfig::Context* existing = config->find_context(name);
  kubeconfig::Context ctx = existing ? *existing : kubeconfig::Context{};
  if (f.changed("cluster")) ctx.cluster = f.get_string("cluster");
  if (f.changed("user")) ctx.user = f.get_string("user");
  if (f.changed("namespace")) ctx.namespace_ = f.get_string("namespace");
  bool exists = existing != nullptr;
  config->set_context(name, ctx);
  if (auto err = access.modify(*config)) return report_error(env.out, *err);
  env.out += "Context \"" + name + (exists ? "\" modified.\n" : "\" created.\n");
  return 0;
}

int run_config_delete_context(CommandEnv& env) {
  ConfigAccess access = access_for(env);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  if (env.args.size() != 1) {
    env.out += command_help(env.factory.program(), "config delete-context");
    return 0;
  }
  const std::string name = env.args[0];
  std::string file = access.default_filename();
  if (!config->find_context(name))
    return report_error(env.out, CmdError::msg("cannot delete context " + name + ", not in " + file));
  if (config->current_context == name) {
    flush_stdout(env.out);
    write_stderr("warning: this removed your active context, use \"kubectl config use-context\" to select a different one\n");
  }
  config->remove_context(name);
  if (auto err = access.modify(*config)) return report_error(env.out, *err);
  env.out += "deleted context " + name + " from " + file + "\n";
  return 0;
}

int run_config_rename_context(CommandEnv& env) {
  if (env.args.size() != 2) return help_error(env, "config rename-context", "Unexpected args: " + arg_list(env.args));
  const std::string from = env.args[0], to = env.args[1];
  if (to.empty()) return report_error(env.out, CmdError::msg("You must specify a new non-empty context name"));
  ConfigAccess access = access_for(env);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  std::string file = access.default_filename();
  const kubeconfig::Context* ctx = config->find_context(from);
  if (!ctx) return report_error(env.out, CmdError::msg("cannot rename the context \"" + from + "\", it's not in " + file));
  if (config->find_context(to))
    return report_error(env.out, CmdError::msg("cannot rename the context \"" + from + "\", the context \"" + to +
                                               "\" already exists in " + file));
  kubeconfig::Context copy = *ctx;
  config->remove_context(from);
  config->set_context(to, copy);
  if (config->current_context == from) config->current_context = to;
  if (auto err = access.modify(*config)) return report_error(env.out, *err);
  env.out += "Context \"" + from + "\" renamed to \"" + to + "\".\n";
  return 0;
}

}  // namespace kapi::client
