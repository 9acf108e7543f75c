// `kapi config set PROPERTY VALUE` and `kapi config unset PROPERTY` (kubectl pkg/cmd/config:
// set.go, unset.go, navigation_step_parser.go). kubectl walks client-go's internal api.Config by
// reflection over JSON tags; the schema below lists the same tags (note the internal act-as*
// names) so paths parse, and fail, the same way.
#include <algorithm>
#include <string>
#include <vector>

#include "client/cmd/command.h"
#include "client/cmd/config_access.h"
#include "client/factory.h"
#include "client/help.h"
#include "pkg/machinery/base64.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {
namespace {

namespace kc = kubeconfig;

// The Go kinds that modifyConfig distinguishes.
enum class Kind { kString, kBytes, kBool, kStringSlice, kPointer, kStruct, kStructMap, kListMap, kObjectMap };

struct TypeInfo;
struct FieldInfo {
  const char* name;
  Kind kind;
  const TypeInfo* type = nullptr;  // the struct (or the map's value struct)
};
struct TypeInfo {
  const char* go_name;
  std::vector<FieldInfo> fields;
  const FieldInfo* find(const std::string& name) const {
    for (const auto& f : fields)
      if (name == f.name) return &f;
    return nullptr;
  }
};

const TypeInfo kPreferences{"api.Preferences", {{"colors", Kind::kBool}, {"extensions", Kind::kObjectMap}}};
const TypeInfo kCluster{"api.Cluster",
                        {{"-", Kind::kString},
                         {"server", Kind::kString},
                         {"tls-server-name", Kind::kString},
                         {"insecure-skip-tls-verify", Kind::kBool},
                         {"certificate-authority", Kind::kString},
                         {"certificate-authority-data", Kind::kBytes},
                         {"proxy-url", Kind::kString},
                         {"disable-compression", Kind::kBool},
                         {"extensions", Kind::kObjectMap}}};
const TypeInfo kAuthInfo{"api.AuthInfo",
                         {{"-", Kind::kString},
                          {"client-certificate", Kind::kString},
                          {"client-certificate-data", Kind::kBytes},
                          {"client-key", Kind::kString},
                          {"client-key-data", Kind::kBytes},
                          {"token", Kind::kString},
                          {"tokenFile", Kind::kString},
                          {"act-as", Kind::kString},
                          {"act-as-uid", Kind::kString},
                          {"act-as-groups", Kind::kStringSlice},
                          {"act-as-user-extra", Kind::kListMap},
                          {"username", Kind::kString},
                          {"password", Kind::kString},
                          {"auth-provider", Kind::kPointer},
                          {"exec", Kind::kPointer},
                          {"extensions", Kind::kObjectMap}}};
const TypeInfo kContext{"api.Context",
                        {{"-", Kind::kString},
                         {"cluster", Kind::kString},
                         {"user", Kind::kString},
                         {"namespace", Kind::kString},
                         {"extensions", Kind::kObjectMap}}};
const TypeInfo kConfig{"api.Config",
                       {{"kind", Kind::kString},
                        {"apiVersion", Kind::kString},
                        {"preferences", Kind::kStruct, &kPreferences},
                        {"clusters", Kind::kStructMap, &kCluster},
                        {"users", Kind::kStructMap, &kAuthInfo},
                        {"contexts", Kind::kStructMap, &kContext},
                        {"current-context", Kind::kString},
                        {"extensions", Kind::kObjectMap}}};

// Go prints the steps' reflect.Type as a pointer; any address will do.
std::string format_steps(const std::vector<std::string>& steps) {
  std::string s = "[";
  for (size_t i = 0; i < steps.size(); ++i) s += (i ? " {" : "{") + steps[i] + " 0x2000000}";
  return s + "]";
}

std::vector<std::string> split_dots(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = s.find('.', start);
    parts.push_back(s.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

// newNavigationSteps: struct fields by JSON tag; a map key runs up to the next part that names
// a field of the map's value type (so keys may contain dots).
Result<std::vector<std::string>> parse_steps(const std::string& path) {
  std::vector<std::string> parts = split_dots(path), steps;
  Kind kind = Kind::kStruct;
  const TypeInfo* type = &kConfig;
  size_t i = 0;
  while (i < parts.size()) {
    if (kind == Kind::kStructMap) {
      size_t n = parts.size() - i;
      for (size_t j = i + 1; j < parts.size(); ++j)
        if (type->find(parts[j])) {
          n = j - i;
          break;
        }
      std::string name = parts[i];
      for (size_t j = i + 1; j < i + n; ++j) name += "." + parts[j];
      steps.push_back(name);
      i += n;
      kind = Kind::kStruct;
    } else if (kind == Kind::kListMap) {
      return CmdError::msg("string is not of type struct");
    } else if (kind == Kind::kStruct) {
      const FieldInfo* f = type->find(parts[i]);
      if (!f)
        return CmdError::msg("unable to parse " + path + " after " + format_steps(steps) + " at " + type->go_name);
      steps.push_back(parts[i]);
      ++i;
      kind = f->kind;
      type = f->type;
    } else {
      // Go panics on the Elem() of runtime.Object for extensions; an error is the closest.
      return CmdError::msg("unable to parse one or more field values of " + path);
    }
  }
  return steps;
}

// Where one value lives in the kubeconfig model (fields kapi does not keep land in scratch).
struct Target {
  Kind kind;
  void* ptr;
  const TypeInfo* type = nullptr;
};

Target field_of(const Target& s, const std::string& name) {
  static std::string scratch;
  const FieldInfo* f = s.type->find(name);
  void* p = nullptr;
  if (s.type == &kConfig) {
    auto& c = *static_cast<kc::Config*>(s.ptr);
    if (name == "current-context") p = &c.current_context;
    if (name == "preferences") p = &c.preferences;
    if (name == "clusters") p = &c.clusters;
    if (name == "users") p = &c.users;
    if (name == "contexts") p = &c.contexts;
  } else if (s.type == &kPreferences) {
    if (name == "colors") p = &static_cast<kc::Preferences*>(s.ptr)->colors;
  } else if (s.type == &kCluster) {
    auto& c = *static_cast<kc::Cluster*>(s.ptr);
    if (name == "server") p = &c.server;
    if (name == "tls-server-name") p = &c.tls_server_name;
    if (name == "insecure-skip-tls-verify") p = &c.insecure_skip_tls_verify;
    if (name == "certificate-authority") p = &c.certificate_authority;
    if (name == "certificate-authority-data") p = &c.certificate_authority_data;
    if (name == "proxy-url") p = &c.proxy_url;
    if (name == "disable-compression") p = &c.disable_compression;
  } else if (s.type == &kAuthInfo) {
    auto& u = *static_cast<kc::AuthInfo*>(s.ptr);
    if (name == "client-certificate") p = &u.client_certificate;
    if (name == "client-certificate-data") p = &u.client_certificate_data;
    if (name == "client-key") p = &u.client_key;
    if (name == "client-key-data") p = &u.client_key_data;
    if (name == "token") p = &u.token;
    if (name == "tokenFile") p = &u.token_file;
    if (name == "act-as") p = &u.impersonate;
    if (name == "act-as-uid") p = &u.impersonate_uid;
    if (name == "act-as-groups") p = &u.impersonate_groups;
    if (name == "act-as-user-extra") p = &u.impersonate_extra;
    if (name == "username") p = &u.username;
    if (name == "password") p = &u.password;
    if (name == "auth-provider") p = &u.auth_provider;
    if (name == "exec") p = &u.exec;
  } else if (s.type == &kContext) {
    auto& c = *static_cast<kc::Context*>(s.ptr);
    if (name == "cluster") p = &c.cluster;
    if (name == "user") p = &c.user;
    if (name == "namespace") p = &c.namespace_;
  }
  if (!p && (f->kind == Kind::kString || f->kind == Kind::kBytes)) p = &scratch;
  return {f->kind, p, f->type};
}

// The zero value of a field (unset of its last step).
void zero(const Target& t, const std::string& name) {
  if (!t.ptr) return;
  switch (t.kind) {
    case Kind::kString:
    case Kind::kBytes: static_cast<std::string*>(t.ptr)->clear(); break;
    case Kind::kBool: *static_cast<bool*>(t.ptr) = false; break;
    case Kind::kStringSlice: static_cast<std::vector<std::string>*>(t.ptr)->clear(); break;
    case Kind::kListMap: static_cast<std::map<std::string, std::vector<std::string>>*>(t.ptr)->clear(); break;
    case Kind::kPointer:
      if (name == "exec") static_cast<std::optional<kc::ExecConfig>*>(t.ptr)->reset();
      else static_cast<std::optional<kc::AuthProviderConfig>*>(t.ptr)->reset();
      break;
    case Kind::kStruct: *static_cast<kc::Preferences*>(t.ptr) = {}; break;
    case Kind::kStructMap:
      if (t.type == &kCluster) static_cast<std::vector<kc::NamedCluster>*>(t.ptr)->clear();
      if (t.type == &kAuthInfo) static_cast<std::vector<kc::NamedAuthInfo>*>(t.ptr)->clear();
      if (t.type == &kContext) static_cast<std::vector<kc::NamedContext>*>(t.ptr)->clear();
      break;
    case Kind::kObjectMap: break;
  }
}

// A named list seen as Go's map[string]*T.
template <typename Named, typename Value>
struct NamedMap {
  std::vector<Named>* list;
  Value Named::*member;
  std::vector<std::string> keys() const {
    std::vector<std::string> k;
    for (const auto& n : *list) k.push_back(n.name);
    return k;
  }
  Value* find(const std::string& key) const {
    for (auto& n : *list)
      if (n.name == key) return &(n.*member);
    return nullptr;
  }
  Value* add(const std::string& key) const {
    Named n;
    n.name = key;
    list->push_back(n);
    return &(list->back().*member);
  }
  void erase(const std::string& key) const {
    std::erase_if(*list, [&](const Named& n) { return n.name == key; });
  }
};

struct Op {
  std::vector<std::string> steps;
  size_t next = 0;
  std::string value;
  bool unset = false;
  bool raw_bytes = false;
  bool more() const { return next < steps.size(); }
  std::string pop() { return more() ? steps[next++] : ""; }
};

// strconv.ParseBool behind kubectl's toBool.
std::optional<CmdError> parse_bool(const std::string& s, bool& out) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"})
    if (s == t) return out = true, std::nullopt;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
    if (s == f) return out = false, std::nullopt;
  return CmdError::msg("strconv.ParseBool: parsing " + machinery::gofmt::quote(s) + ": invalid syntax");
}

std::optional<CmdError> modify(const Target& cur, Op& op);

// The map case of modifyConfig; Go prints the map with its pointer values.
template <typename Map>
std::optional<CmdError> modify_map(const Map& map, const TypeInfo* type, Op& op) {
  std::string key = op.pop();
  if (!op.more() && !op.unset) {
    auto keys = map.keys();
    std::sort(keys.begin(), keys.end());
    std::string text = "map[";
    for (size_t i = 0; i < keys.size(); ++i) text += (i ? " " : "") + keys[i] + ":0xc000010000";
    return CmdError::msg("can't set a map to a value: " + text + "]");
  }
  if (!op.more()) {
    map.erase(key);
    return std::nullopt;
  }
  auto* value = map.find(key);
  if (!value) {
    if (op.unset) return CmdError::msg("current map key `" + key + "` is invalid");
    value = map.add(key);
  }
  return modify(Target{Kind::kStruct, value, type}, op);
}

std::optional<CmdError> modify(const Target& cur, Op& op) {
  switch (cur.kind) {
    case Kind::kStructMap:
      if (cur.type == &kCluster)
        return modify_map(NamedMap<kc::NamedCluster, kc::Cluster>{static_cast<std::vector<kc::NamedCluster>*>(cur.ptr),
                                                                  &kc::NamedCluster::cluster},
                          cur.type, op);
      if (cur.type == &kAuthInfo)
        return modify_map(NamedMap<kc::NamedAuthInfo, kc::AuthInfo>{
                              static_cast<std::vector<kc::NamedAuthInfo>*>(cur.ptr), &kc::NamedAuthInfo::user},
                          cur.type, op);
      return modify_map(NamedMap<kc::NamedContext, kc::Context>{static_cast<std::vector<kc::NamedContext>*>(cur.ptr),
                                                                &kc::NamedContext::context},
                        cur.type, op);
    case Kind::kListMap:
    case Kind::kObjectMap: {
      op.pop();
      if (!op.unset) {
        std::string text = "map[";
        if (cur.ptr) {
          bool first = true;
          for (const auto& [k, v] : *static_cast<std::map<std::string, std::vector<std::string>>*>(cur.ptr)) {
            text += (first ? "" : " ") + k + ":[";
            for (size_t i = 0; i < v.size(); ++i) text += (i ? " " : "") + v[i];
            text += "]";
            first = false;
          }
        }
        return CmdError::msg("can't set a map to a value: " + text + "]");
      }
      return std::nullopt;
    }
    case Kind::kString:
      op.pop();
      *static_cast<std::string*>(cur.ptr) = op.value;
      return std::nullopt;
    case Kind::kBytes: {
      op.pop();
      auto& field = *static_cast<std::string*>(cur.ptr);
      if (op.unset) field.clear();
      else if (op.raw_bytes) field = op.value;
      else {
        size_t at = 0;
        auto decoded = machinery::base64_decode(op.value, &at);
        if (!decoded)
          return CmdError::msg("error decoding input value: " + machinery::base64_corrupt_input_error(at));
        field = *decoded;
      }
      return std::nullopt;
    }
    case Kind::kBool: {
      op.pop();
      bool b = false;
      if (auto err = parse_bool(op.value, b)) return err;
      *static_cast<bool*>(cur.ptr) = b;
      return std::nullopt;
    }
    case Kind::kStringSlice: return CmdError::msg("unrecognized slice type. string");
    // kubectl panics here (a pointer to a pointer field); an error is the closest we offer.
    case Kind::kPointer: return CmdError::msg("unrecognized type: <nil>");
    case Kind::kStruct: {
      std::string name = op.pop();
      Target field = field_of(cur, name);
      if (!op.more() && op.unset) {
        zero(field, name);
        return std::nullopt;
      }
      return modify(field, op);
    }
  }
  return std::nullopt;
}

std::string arg_list(const std::vector<std::string>& args) {
  std::string list = "[";
  for (size_t i = 0; i < args.size(); ++i) list += (i ? " " : "") + args[i];
  return list + "]";
}

// Loads the config, applies `op` along `property` and writes the result back.
int change_property(CommandEnv& env, const std::string& property, Op op) {
  ConfigAccess access(env.factory.client_config().options().kubeconfig);
  auto config = access.starting_config();
  if (!config.ok()) return report_error(env.out, config.error());
  auto steps = parse_steps(property);
  if (!steps.ok()) return report_error(env.out, steps.error());
  op.steps = *steps;
  if (auto err = modify(Target{Kind::kStruct, &*config, &kConfig}, op)) return report_error(env.out, *err);
  // Unsetting preferences (or their extensions) leaves client-go a nil extensions map.
  bool preferences_reset = op.unset && op.steps.size() <= 2 && op.steps[0] == "preferences" &&
                           (op.steps.size() == 1 || op.steps[1] == "extensions");
  if (auto err = access.modify(*config, preferences_reset)) return report_error(env.out, *err);
  return 0;
}

}  // namespace

void add_config_set_flags(FlagSet& flags) { flags.add_bool("set-raw-bytes", 0, false); }

int run_config_set(CommandEnv& env) {
  if (env.args.size() != 2) {
    env.out += command_help(env.factory.program(), "config set");
    return report_error(env.out, CmdError::msg("Unexpected args: " + arg_list(env.args)));
  }
  const std::string& property = env.args[0];
  Op op;
  op.value = env.args[1];
  op.raw_bytes = env.flags.get_bool("set-raw-bytes");
  if (op.value.empty()) return report_error(env.out, CmdError::msg("you cannot use set to unset a property"));
  if (property.empty()) return report_error(env.out, CmdError::msg("you must specify a property"));
  if (int rc = change_property(env, property, op)) return rc;
  env.out += "Property " + machinery::gofmt::quote(property) + " set.\n";
  return 0;
}

int run_config_unset(CommandEnv& env) {
  if (env.args.size() != 1) {
    env.out += command_help(env.factory.program(), "config unset");
    return report_error(env.out, CmdError::msg("Unexpected args: " + arg_list(env.args)));
  }
  const std::string& property = env.args[0];
  if (property.empty()) return report_error(env.out, CmdError::msg("you must specify a property"));
  Op op;
  op.unset = true;
  op.raw_bytes = true;
  if (int rc = change_property(env, property, op)) return rc;
  env.out += "Property " + machinery::gofmt::quote(property) + " unset.\n";
  return 0;
}

}  // namespace kapi::client
