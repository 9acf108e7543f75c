// `kapi completion bash|zsh` and the hidden `__complete` command the scripts call (cobra's
// protocol: one candidate per line, then ":<directive>"). kapi's own small scripts, not
// cobra's: they complete command names, resource types, object names and kubeconfig contexts.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/config_access.h"
#include "client/factory.h"
#include "client/resource_builder.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kNoFileComp = 4;  // cobra.ShellCompDirectiveNoFileComp

const char* const kBashScript = R"BASH(# bash completion for @P@ (kapi)
__@F@_complete() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local out directive
    out=$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:$COMP_CWORD}" 2>/dev/null)
    directive=${out##*:}
    out=${out%:*}
    COMPREPLY=()
    if [[ $((directive & 4)) -ne 0 ]]; then compopt +o default 2>/dev/null; fi
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "${out}" -- "$cur"))
}
complete -o default -F __@F@_complete @P@
)BASH";

const char* const kZshScript = R"ZSH(#compdef @P@
# zsh completion for @P@ (kapi), through zsh's bash completion emulation
autoload -U +X bashcompinit && bashcompinit
)ZSH";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

// Commands whose first argument is a resource type and second an object name.
bool takes_resources(const std::string& cmd) {
  for (const char* c : {"get", "describe", "delete", "edit", "label", "annotate", "patch", "explain"})
    if (cmd == c) return true;
  return false;
}

std::vector<std::string> resource_types(CommandEnv& env) {
  std::vector<std::string> out;
  auto d = env.factory.discovery();
  if (!d.ok()) return out;
  auto data = (*d)->get();
  if (!data.ok()) return out;
  for (const auto& r : (*data)->resources) {
    if (std::find(r.verbs.begin(), r.verbs.end(), "get") == r.verbs.end()) continue;
    std::string name = r.name + (r.group.empty() ? "" : "." + r.group);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::vector<std::string> object_names(CommandEnv& env, const std::string& type) {
  std::vector<std::string> out;
  auto client = env.factory.rest_client();
  auto d = env.factory.discovery();
  if (!client.ok() || !d.ok()) return out;
  auto data = (*d)->get();
  if (!data.ok()) return out;
  auto m = RestMapper(**data).mapping_for(type);
  if (!m) return out;
  auto ns = env.factory.client_config().namespace_for_request();
  std::string path = ResourceBuilder::path_for(*m, m->resource.namespaced && ns.ok() ? *ns : "", "");
  auto r = (*client)->get(path, kJsonAccept);
  if (!r.ok() || r->status != 200) return out;
  auto list = Json::parse(r->body, nullptr, false);
  if (!list.is_object()) return out;
  for (const auto& item : list.value("items", Json::array()))
    out.push_back(item.value("metadata", Json::object()).value("name", ""));
  return out;
}

}  // namespace

int run_completion(CommandEnv& env) {
  const std::string program = env.factory.program();
  if (env.args.size() != 1)
    return report_error(env.out, CmdError::msg(env.args.empty() ? "Shell not specified.\nSee '" + program +
                                                                      " completion -h' for help and examples"
                                                                : "Too many arguments. Expected only the shell type.\nSee '" +
                                                                      program + " completion -h' for help and examples"));
  const std::string& shell = env.args[0];
  std::string func = replace_all(program, "-", "_");
  std::string bash = replace_all(replace_all(kBashScript, "@P@", program), "@F@", func);
  if (shell == "bash") {
    env.out += bash;
  } else if (shell == "zsh") {
    env.out += replace_all(kZshScript, "@P@", program) + bash;
  } else {
    return report_error(env.out, CmdError::msg("Unsupported shell type \"" + shell + "\".\nSee '" + program +
                                               " completion -h' for help and examples"));
  }
  return 0;
}

int run_complete(CommandEnv& env) {
  std::vector<std::string> words = env.args;
  std::string partial = words.empty() ? "" : words.back();
  if (!words.empty()) words.pop_back();
  // Flags are not completed; their words do not count as positions.
  std::vector<std::string> pos;
  for (const auto& w : words)
    if (w.rfind("-", 0) != 0) pos.push_back(w);
  std::vector<std::string> candidates;
  if (pos.empty()) {
    for (const char* c : {"annotate", "api-resources", "api-versions", "apply", "auth", "cluster-info", "completion",
                          "config", "create", "delete", "describe", "edit", "exec", "explain", "get", "label", "logs",
                          "patch", "version"})
      candidates.push_back(c);
  } else if (takes_resources(pos[0]) && pos.size() == 1) {
    candidates = resource_types(env);
  } else if (takes_resources(pos[0]) && pos.size() >= 2) {
    candidates = object_names(env, pos[1]);
  } else if ((pos[0] == "logs" || pos[0] == "exec" || pos[0] == "attach" || pos[0] == "port-forward") &&
             pos.size() == 1) {
    candidates = object_names(env, "pods");
  } else if (pos[0] == "config" && pos.size() == 1) {
    candidates = {"current-context", "delete-cluster", "delete-context", "delete-user", "get-clusters",
                  "get-contexts", "get-users", "rename-context", "set-cluster", "set-context", "set-credentials",
                  "use-context", "view"};
  } else if (pos[0] == "config" && pos.size() == 2 &&
             (pos[1] == "use-context" || pos[1] == "delete-context" || pos[1] == "rename-context" ||
              pos[1] == "get-contexts" || pos[1] == "set-context")) {
    auto config = ConfigAccess(env.factory.client_config().options().kubeconfig).starting_config();
    if (config.ok())
      for (const auto& c : config->contexts) candidates.push_back(c.name);
  } else if (pos[0] == "auth" && pos.size() == 1) {
    candidates = {"can-i", "whoami"};
  } else if (pos[0] == "completion" && pos.size() == 1) {
    candidates = {"bash", "zsh"};
  }
  for (const auto& c : candidates)
    if (c.rfind(partial, 0) == 0) env.out += c + "\n";
  env.out += ":" + std::to_string(kNoFileComp) + "\n";
  flush_stdout(env.out);
  write_stderr("Completion ended with directive: ShellCompDirectiveNoFileComp\n");
  return 0;
}

}  // namespace kapi::client
