// `kapi set env RESOURCE/NAME KEY=VAL... KEY-...` (kubectl pkg/cmd/set/set_env.go and
// set/env/env_parse.go): adds, replaces and removes container environment variables (also from
// the keys of a secret or config map with --from), or lists them with --list.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/set_common.h"
#include "client/printers/go_json.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct EnvVar {
  std::string name, value;
  Json value_from;  // null when a plain value
  Json to_json() const {
    Json j = Json::object();
    j["name"] = name;
    if (!value.empty()) j["value"] = value;
    if (!value_from.is_null()) j["valueFrom"] = value_from;
    return j;
  }
};

bool is_env_argument(const std::string& s) {
  // "(?ms)^(.+)\=(.*)$": some character before an '='.
  size_t eq = s.find('=', 1);
  return !s.empty() && eq != std::string::npos;
}

// validation.IsEnvVarName.
std::vector<std::string> env_var_name_errors(const std::string& v) {
  static const std::regex kName("[-._a-zA-Z][-._a-zA-Z0-9]*");
  std::vector<std::string> errs;
  if (!std::regex_match(v, kName))
    errs.push_back("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
                   "and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex "
                   "used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')");
  if (v == ".") errs.push_back("must not be '.'");
  else if (v == "..") errs.push_back("must not be '..'");
  else if (v.rfind("..", 0) == 0) errs.push_back("must not start with '..'");
  return errs;
}

// readEnv: KEY=VALUE lines, '#' starts a comment.
std::vector<EnvVar> read_env(std::istream& in) {
  std::vector<EnvVar> out;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line = line.substr(0, hash);
    if (auto eq = line.find('='); eq != std::string::npos) out.push_back({line.substr(0, eq), line.substr(eq + 1), {}});
  }
  return out;
}

struct ParsedEnv {
  std::vector<EnvVar> env;
  std::vector<std::string> remove;
};

// ParseEnv.
Result<ParsedEnv> parse_env(const std::vector<std::string>& spec) {
  ParsedEnv out;
  std::set<std::string> exists;
  for (const auto& s : spec) {
    if (s == "-") {
      auto from_stdin = read_env(std::cin);
      out.env.insert(out.env.end(), from_stdin.begin(), from_stdin.end());
    } else if (s.find('=') != std::string::npos) {
      size_t eq = s.find('=');
      std::string name = s.substr(0, eq);
      auto errs = env_var_name_errors(name);
      if (!errs.empty()) {
        std::string joined;
        for (size_t i = 0; i < errs.size(); ++i) joined += (i ? ";" : "") + errs[i];
        return CmdError::msg(go_json_quote(name) + " is not a valid key name: " + joined);
      }
      exists.insert(name);
      out.env.push_back({name, s.substr(eq + 1), {}});
    } else if (!s.empty() && s.back() == '-') {
      out.remove.push_back(s.substr(0, s.size() - 1));
    } else {
      return CmdError::msg("unknown environment variable: " + s);
    }
  }
  for (const auto& r : out.remove)
    if (exists.count(r)) return CmdError::msg("can not both modify and remove the same environment variable in the same command");
  return out;
}

const EnvVar* find_env(const std::vector<EnvVar>& env, const std::string& name) {
  for (const auto& e : env)
    if (e.name == name) return &e;
  return nullptr;
}

// updateEnv: replacements in place, removals dropped, new variables appended.
Json update_env(const Json& existing, const std::vector<EnvVar>& env, const std::vector<std::string>& remove) {
  Json out = Json::array();
  std::set<std::string> covered(remove.begin(), remove.end());
  if (existing.is_array()) {
    for (const auto& e : existing) {
      std::string name = e.value("name", "");
      if (covered.count(name)) continue;
      if (const EnvVar* newer = find_env(env, name)) {
        covered.insert(name);
        out.push_back(newer->to_json());
        continue;
      }
      out.push_back(e);
    }
  }
  for (const auto& e : env) {
    if (covered.count(e.name)) continue;
    covered.insert(e.name);
    out.push_back(e.to_json());
  }
  return out;
}

// envutil.GetEnvVarRefString.
std::string ref_string(const Json& from) {
  auto str = [](const Json& o, const char* k) { return o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : ""; };
  if (from.contains("configMapKeyRef") && from["configMapKeyRef"].is_object())
    return "configmap " + str(from["configMapKeyRef"], "name") + ", key " + str(from["configMapKeyRef"], "key");
  if (from.contains("secretKeyRef") && from["secretKeyRef"].is_object())
    return "secret " + str(from["secretKeyRef"], "name") + ", key " + str(from["secretKeyRef"], "key");
  if (from.contains("fieldRef") && from["fieldRef"].is_object()) return "field path " + str(from["fieldRef"], "fieldPath");
  if (from.contains("resourceFieldRef") && from["resourceFieldRef"].is_object()) {
    std::string c = str(from["resourceFieldRef"], "containerName");
    return "resource field " + (c.empty() ? "" : c + "/") + str(from["resourceFieldRef"], "resource");
  }
  return "invalid valueFrom";
}

// keyToEnvName: upper case, anything but [a-zA-Z0-9_] becomes '_' (with a warning).
std::string key_to_env_name(const std::string& key) {
  std::string name = key;
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (name != key) write_stderr("Warning: key " + key + " transferred to " + name + "\n");
  return name;
}

// The variables of --from: one per data key of each secret or config map (keys in order).
std::optional<CmdError> env_from(Session& s, const std::string& from, const std::vector<std::string>& keys,
                                 std::vector<EnvVar>& env) {
  const FlagSet& f = s.env.flags;
  SetTargets t{{from}, f.get_string("selector"), f.get_bool("all"), f.get_bool("local")};
  if (t.local) t.resources.clear();
  std::vector<ObjectInfo> infos;
  if (auto errs = resolve_set_objects(s, t, infos); !errs.empty()) return errs.front();
  for (const auto& info : infos) {
    const auto& r = info.mapping.resource;
    const char* ref = nullptr;
    if (r.group.empty() && r.kind == "Secret") ref = "secretKeyRef";
    else if (r.group.empty() && r.kind == "ConfigMap") ref = "configMapKeyRef";
    else return CmdError::msg("unsupported resource specified in --from");
    const Json& data = info.object->contains("data") ? (*info.object)["data"] : Json::object();
    if (!data.is_object()) continue;
    // Go ranges over the map in random order; kapi takes the keys sorted.
    std::vector<std::string> data_keys;
    for (auto it = data.begin(); it != data.end(); ++it) data_keys.push_back(it.key());
    std::sort(data_keys.begin(), data_keys.end());
    for (const auto& key : data_keys) {
      if (!keys.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) continue;
      Json sel = Json::object();
      sel["name"] = info.name;
      sel["key"] = key;
      Json src = Json::object();
      src[ref] = sel;
      env.push_back({key_to_env_name(key), "", src});
    }
  }
  return std::nullopt;
}

}  // namespace

void add_set_env_flags(FlagSet& f) {
  add_set_flags(f, true);
  f.add_string("containers", 'c', "*");
  f.add_string_array("env", 'e');
  f.add_string("from", 0, "");
  f.add_string_slice("keys", 0);
  f.add_bool("list", 0, false);
  f.add_bool("overwrite", 0, true);
  f.add_string("prefix", 0, "");
  f.add_bool("resolve", 0, false);
}

int run_set_env(CommandEnv& env) {
  const FlagSet& f = env.flags;
  bool all = f.get_bool("all"), local = f.get_bool("local"), list = f.get_bool("list");
  std::string selector = f.get_string("selector");
  // Complete.
  if (all && !selector.empty()) return report_error(env.out, CmdError::msg("cannot set --all and --selector at the same time"));
  std::vector<std::string> resources, env_args;
  bool first = true;
  for (const auto& a : env.args) {
    bool is_env = is_env_argument(a) || (!a.empty() && a.back() == '-');
    if (is_env) first = false;
    if (is_env) env_args.push_back(a);
    else if (first) resources.push_back(a);
    else {
      std::string joined;
      for (size_t i = 0; i < env.args.size(); ++i) joined += (i ? " " : "") + env.args[i];
      return report_error(env.out, CmdError::msg("all resources must be specified before environment changes: " + joined));
    }
  }
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return report_error(env.out, dry.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  // Validate.
  if (local && *dry == DryRun::kServer)
    return report_error(env.out, CmdError::msg("cannot specify --local and --dry-run=server - did you mean --dry-run=client?"));
  if (f.get_strings("filename").empty() && resources.empty())
    return report_error(env.out, CmdError::msg("one or more resources must be specified as <resource> <name> or <resource>/<name>"));
  if (list && !f.get_string("output").empty())
    return report_error(env.out, CmdError::msg("--list and --output may not be specified together"));
  std::vector<std::string> keys = f.get_strings("keys");
  std::string from = f.get_string("from");
  if (!keys.empty() && from.empty())
    return report_error(env.out, CmdError::msg("when specifying --keys, a configmap or secret must be provided with --from"));
  if (f.get_bool("resolve")) return report_error(env.out, CmdError::msg("kapi does not support --resolve for set env yet"));

  // RunEnv.
  std::vector<std::string> spec = f.get_strings("env");
  spec.insert(spec.end(), env_args.begin(), env_args.end());
  auto parsed = parse_env(spec);
  if (!parsed.ok()) return report_error(env.out, parsed.error());
  std::vector<EnvVar> vars = parsed->env;
  if (!from.empty())
    if (auto err = env_from(s, from, keys, vars)) return report_error(env.out, *err);
  std::string prefix = f.get_string("prefix");
  for (auto& v : vars) v.name = prefix + v.name;

  SetTargets t{resources, selector, all, local};
  std::vector<ObjectInfo> infos;
  if (auto errs = resolve_set_objects(s, t, infos); !errs.empty()) return report_errors(env.out, errs);
  std::string container_selector = f.get_string("containers");
  bool overwrite = f.get_bool("overwrite");
  auto patches = calculate_patches(infos, [&](Json& obj, ObjectInfo& info) -> Result<bool> {
    auto spec = pod_spec_of(obj, info.mapping);
    if (!spec.ok()) return spec.error();
    auto containers = select_containers(**spec, container_selector);
    const std::string& kind = info.mapping.resource.kind;
    if (containers.empty()) {
      write_stderr("Warning: " + kind + "/" + info.name + " does not have any containers matching " +
                   go_json_quote(container_selector) + "\n");
      return true;
    }
    for (Json* c : containers) {
      Json existing = c->contains("env") ? (*c)["env"] : Json::array();
      if (!overwrite && existing.is_array()) {
        for (const auto& v : vars) {
          for (const auto& e : existing) {
            if (e.value("name", "") != v.name) continue;
            std::string current = e.value("value", "");
            if (current != v.value)
              return CmdError::msg("'" + v.name + "' already has a value (" + current + "), and --overwrite is false");
            break;
          }
        }
      }
      (*c)["env"] = update_env(existing, vars, parsed->remove);
      if (list) {
        env.out += "# " + kind + " " + info.name + ", container " + c->value("name", "") + "\n";
        for (const auto& e : (*c)["env"]) {
          if (!e.contains("valueFrom") || e["valueFrom"].is_null()) {
            env.out += e.value("name", "") + "=" + e.value("value", "") + "\n";
            continue;
          }
          env.out += "# " + e.value("name", "") + " from " + ref_string(e["valueFrom"]) + "\n";
        }
      }
    }
    return true;
  });
  if (list) return 0;

  std::vector<CmdError> errs;
  SetPatchOptions o;
  o.operation = "env updated";
  o.error_prefix = "failed to patch env update to pod template: ";
  o.local = local;
  o.dry_run = *dry;
  o.field_manager = f.get_string("field-manager");
  o.after_patch = [&]() -> std::optional<CmdError> {
    if (vars.empty() && env_args.empty()) return CmdError::msg("at least one environment variable must be provided");
    return std::nullopt;
  };
  if (auto err = run_set_patches(s, patches, o, errs)) return report_error(env.out, *err);
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
