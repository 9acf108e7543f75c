#include "pkg/kubeconfig/loader.h"

#include <pwd.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>

#include "pkg/machinery/base64.h"
#include "pkg/machinery/yaml_resolve.h"
#include "pkg/tls/file_util.h"

namespace kapi::kubeconfig {
namespace {

using tls::make_error;

// JSON kind of a YAML node as encoding/json would see it after sigs.k8s.io/yaml's conversion.
std::string json_kind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "object";
    case YAML::NodeType::Sequence: return "array";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return "null";
    case YAML::NodeType::Scalar: break;
  }
  const std::string& tag = n.Tag();
  if (tag == "?") {
    using machinery::goyaml::PlainKind;
    switch (machinery::goyaml::resolve_plain(n.Scalar())) {
      case PlainKind::kBool: return "bool";
      case PlainKind::kInt:
      case PlainKind::kFloat: return "number";
      case PlainKind::kNull: return "null";
      default: return "string";
    }
  }
  if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float") return "number";
  if (tag == "tag:yaml.org,2002:bool") return "bool";
  if (tag == "tag:yaml.org,2002:null") return "null";
  return "string";
}

bool is_null(const YAML::Node& n) { return !n.IsDefined() || json_kind(n) == "null"; }

// Decoding with encoding/json-like type errors: "json: cannot unmarshal <kind> into Go struct
// field <Struct>.<path> of type <type>".
// yaml-cpp scans plain scalars a character at a time through its regex machinery, and the
// certificate and key data of a kubeconfig are most of its bytes. Such values (single-line
// base64 of the *-data keys) are set aside before the parse and a short placeholder is parsed
// in their place; Decoder::data takes the original back.
constexpr const char* kSetAsidePrefix = "kapiSetAsideScalar";

std::string set_aside_long_data(const std::string& yaml, std::vector<std::string>& aside) {
  static const char* const kKeys[] = {"certificate-authority-data:", "client-certificate-data:", "client-key-data:"};
  std::string out;
  out.reserve(yaml.size());
  size_t pos = 0;
  while (pos < yaml.size()) {
    size_t nl = yaml.find('\n', pos);
    size_t end = nl == std::string::npos ? yaml.size() : nl;
    size_t indent = yaml.find_first_not_of(' ', pos);
    bool replaced = false;
    if (indent != std::string::npos && indent < end) {
      for (const char* key : kKeys) {
        size_t klen = std::strlen(key);
        if (yaml.compare(indent, klen, key) != 0) continue;
        size_t v = indent + klen;
        if (v >= end || (yaml[v] != ' ' && yaml[v] != '\t')) break;
        v = yaml.find_first_not_of(" \t", v);
        size_t ve = v;
        while (ve < end && (std::isalnum(static_cast<unsigned char>(yaml[ve])) || yaml[ve] == '+' ||
                            yaml[ve] == '/' || yaml[ve] == '='))
          ++ve;
        size_t tail = ve;
        while (tail < end && (yaml[tail] == ' ' || yaml[tail] == '\t' || yaml[tail] == '\r')) ++tail;
        if (ve - v < 128 || tail != end) break;
        out.append(yaml, pos, v - pos);
        out += kSetAsidePrefix + std::to_string(aside.size());
        out.append(yaml, ve, end - ve);
        aside.push_back(yaml.substr(v, ve - v));
        replaced = true;
        break;
      }
    }
    if (!replaced) out.append(yaml, pos, end - pos);
    if (nl != std::string::npos) out += '\n';
    pos = end + 1;
  }
  return out;
}

class Decoder {
 public:
  explicit Decoder(const std::vector<std::string>* aside = nullptr) : aside_(aside) {}

  Error mismatch(const YAML::Node& n, const std::string& strct, const std::string& path,
                 const std::string& type) const {
    return make_error("json: cannot unmarshal " + json_kind(n) + " into Go struct field " + strct +
                          "." + path + " of type " + type,
                      ErrorCode::kInvalidArgument);
  }

  Status str(const YAML::Node& n, const std::string& strct, const std::string& path,
             std::string& out) const {
    if (is_null(n)) return {};
    if (json_kind(n) != "string") return mismatch(n, strct, path, "string");
    out = n.Scalar();
    return {};
  }

  Status boolean(const YAML::Node& n, const std::string& strct, const std::string& path,
                 bool& out) const {
    if (is_null(n)) return {};
    if (json_kind(n) != "bool") return mismatch(n, strct, path, "bool");
    out = machinery::goyaml::plain_bool(n.Scalar()).value_or(false);
    return {};
  }

  Status data(const YAML::Node& n, const std::string& strct, const std::string& path,
              std::string& out) const {
    if (is_null(n)) return {};
    if (json_kind(n) != "string") return mismatch(n, strct, path, "[]uint8");
    size_t corrupt_at = 0;
    auto d = machinery::base64_decode(original(n.Scalar()), &corrupt_at);
    if (!d)
      return make_error(machinery::base64_corrupt_input_error(corrupt_at), ErrorCode::kInvalidArgument);
    out = std::move(*d);
    return {};
  }

  Status strings(const YAML::Node& n, const std::string& strct, const std::string& path,
                 std::vector<std::string>& out) const {
    if (is_null(n)) return {};
    if (!n.IsSequence()) return mismatch(n, strct, path, "[]string");
    for (const auto& item : n) {
      std::string s;
      if (is_null(item)) {
        out.push_back("");
        continue;
      }
      if (json_kind(item) != "string") return mismatch(item, strct, path, "string");
      out.push_back(item.Scalar());
    }
    return {};
  }

 private:
  // A value set aside by set_aside_long_data, or `scalar` itself.
  const std::string& original(const std::string& scalar) const {
    static const size_t kPrefixLen = std::strlen(kSetAsidePrefix);
    if (aside_ && scalar.compare(0, kPrefixLen, kSetAsidePrefix) == 0) {
      size_t i = std::strtoul(scalar.c_str() + kPrefixLen, nullptr, 10);
      if (i < aside_->size()) return (*aside_)[i];
    }
    return scalar;
  }

  const std::vector<std::string>* aside_;
};

#define KC_TRY(expr)                 \
  do {                               \
    if (auto _s = (expr); !_s.ok()) \
      return _s.error();             \
  } while (0)

Result<Cluster> decode_cluster(const Decoder& d, const YAML::Node& n) {
  Cluster c;
  const std::string S = "Cluster", P = "clusters.cluster.";
  KC_TRY(d.str(n["server"], S, P + "server", c.server));
  KC_TRY(d.str(n["tls-server-name"], S, P + "tls-server-name", c.tls_server_name));
  KC_TRY(d.boolean(n["insecure-skip-tls-verify"], S, P + "insecure-skip-tls-verify",
                   c.insecure_skip_tls_verify));
  KC_TRY(d.str(n["certificate-authority"], S, P + "certificate-authority",
               c.certificate_authority));
  KC_TRY(d.data(n["certificate-authority-data"], S, P + "certificate-authority-data",
                c.certificate_authority_data));
  KC_TRY(d.str(n["proxy-url"], S, P + "proxy-url", c.proxy_url));
  KC_TRY(d.boolean(n["disable-compression"], S, P + "disable-compression",
                   c.disable_compression));
  return c;
}

Result<ExecConfig> decode_exec(const Decoder& d, const YAML::Node& n) {
  ExecConfig x;
  const std::string S = "ExecConfig", P = "users.user.exec.";
  KC_TRY(d.str(n["apiVersion"], S, P + "apiVersion", x.api_version));
  KC_TRY(d.str(n["command"], S, P + "command", x.command));
  KC_TRY(d.strings(n["args"], S, P + "args", x.args));
  const YAML::Node env = n["env"];
  if (!is_null(env)) {
    if (!env.IsSequence()) return d.mismatch(env, S, P + "env", "[]v1.ExecEnvVar");
    for (const auto& item : env) {
      ExecEnvVar v;
      if (!is_null(item)) {
        if (!item.IsMap()) return d.mismatch(item, S, P + "env", "v1.ExecEnvVar");
        KC_TRY(d.str(item["name"], "ExecEnvVar", P + "env.name", v.name));
        KC_TRY(d.str(item["value"], "ExecEnvVar", P + "env.value", v.value));
      }
      x.env.push_back(std::move(v));
    }
  }
  KC_TRY(d.str(n["installHint"], S, P + "installHint", x.install_hint));
  KC_TRY(d.boolean(n["provideClusterInfo"], S, P + "provideClusterInfo",
                   x.provide_cluster_info));
  KC_TRY(d.str(n["interactiveMode"], S, P + "interactiveMode", x.interactive_mode));
  return x;
}

Result<AuthInfo> decode_user(const Decoder& d, const YAML::Node& n) {
  AuthInfo u;
  const std::string S = "AuthInfo", P = "users.user.";
  KC_TRY(d.str(n["client-certificate"], S, P + "client-certificate", u.client_certificate));
  KC_TRY(d.data(n["client-certificate-data"], S, P + "client-certificate-data",
                u.client_certificate_data));
  KC_TRY(d.str(n["client-key"], S, P + "client-key", u.client_key));
  KC_TRY(d.data(n["client-key-data"], S, P + "client-key-data", u.client_key_data));
  KC_TRY(d.str(n["token"], S, P + "token", u.token));
  KC_TRY(d.str(n["tokenFile"], S, P + "tokenFile", u.token_file));
  KC_TRY(d.str(n["as"], S, P + "as", u.impersonate));
  KC_TRY(d.str(n["as-uid"], S, P + "as-uid", u.impersonate_uid));
  KC_TRY(d.strings(n["as-groups"], S, P + "as-groups", u.impersonate_groups));
  const YAML::Node extra = n["as-user-extra"];
  if (!is_null(extra)) {
    if (!extra.IsMap()) return d.mismatch(extra, S, P + "as-user-extra", "map[string][]string");
    for (const auto& kv : extra) {
      std::vector<std::string> values;
      KC_TRY(d.strings(kv.second, S, P + "as-user-extra", values));
      u.impersonate_extra[kv.first.Scalar()] = std::move(values);
    }
  }
  KC_TRY(d.str(n["username"], S, P + "username", u.username));
  KC_TRY(d.str(n["password"], S, P + "password", u.password));
  const YAML::Node ap = n["auth-provider"];
  if (!is_null(ap)) {
    if (!ap.IsMap()) return d.mismatch(ap, S, P + "auth-provider", "v1.AuthProviderConfig");
    AuthProviderConfig cfg;
    KC_TRY(d.str(ap["name"], "AuthProviderConfig", P + "auth-provider.name", cfg.name));
    const YAML::Node conf = ap["config"];
    if (!is_null(conf)) {
      if (!conf.IsMap()) {
        return d.mismatch(conf, "AuthProviderConfig", P + "auth-provider.config",
                          "map[string]string");
      }
      for (const auto& kv : conf) {
        std::string v;
        KC_TRY(d.str(kv.second, "AuthProviderConfig", P + "auth-provider.config", v));
        cfg.config[kv.first.Scalar()] = std::move(v);
      }
    }
    u.auth_provider = std::move(cfg);
  }
  const YAML::Node exec = n["exec"];
  if (!is_null(exec)) {
    if (!exec.IsMap()) return d.mismatch(exec, S, P + "exec", "v1.ExecConfig");
    auto x = decode_exec(d, exec);
    if (!x.ok()) return x.error();
    u.exec = std::move(x).value();
  }
  return u;
}

Result<Context> decode_context(const Decoder& d, const YAML::Node& n) {
  Context c;
  const std::string S = "Context", P = "contexts.context.";
  KC_TRY(d.str(n["cluster"], S, P + "cluster", c.cluster));
  KC_TRY(d.str(n["user"], S, P + "user", c.user));
  KC_TRY(d.str(n["namespace"], S, P + "namespace", c.namespace_));
  return c;
}

// Decodes one of the three named lists.
template <typename Named, typename DecodeFn, typename SetFn>
Status decode_list(const Decoder& d, const YAML::Node& root, const std::string& list_key,
                   const std::string& value_key, const std::string& named_type,
                   const std::string& value_type, const std::string& api_type,
                   DecodeFn decode_value, std::vector<Named>& out,
                   std::string Named::*name_member, SetFn set) {
  const YAML::Node list = root[list_key];
  if (is_null(list)) return {};
  if (!list.IsSequence()) {
    return d.mismatch(list, "Config", list_key, "[]v1." + named_type);
  }
  std::set<std::string> seen;
  for (const auto& item : list) {
    if (is_null(item)) continue;
    if (!item.IsMap()) return d.mismatch(item, "Config", list_key, "v1." + named_type);
    Named named;
    KC_TRY(d.str(item["name"], named_type, list_key + ".name", named.*name_member));
    const YAML::Node value = item[value_key];
    if (!is_null(value)) {
      if (!value.IsMap()) {
        return d.mismatch(value, named_type, list_key + "." + value_key, "v1." + value_type);
      }
      auto v = decode_value(d, value);
      if (!v.ok()) return v.error();
      set(named, std::move(v).value());
    }
    if (!seen.insert(named.*name_member).second) {
      return make_error("error converting *[]" + named_type + " into *map[string]*api." +
                            api_type + ": duplicate name \"" + named.*name_member +
                            "\" in list",
                        ErrorCode::kInvalidArgument);
    }
    out.push_back(std::move(named));
  }
  return {};
}

const char kVersionKindType[] =
    "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
    "\"json:\\\"kind,omitempty\\\"\" }";

Result<Config> decode_config(const YAML::Node& root, const std::string& origin,
                             const std::vector<std::string>* aside = nullptr) {
  Decoder d(aside);
  Config config;
  if (is_null(root)) return config;
  if (!root.IsMap()) {
    return make_error("couldn't get version/kind; json parse error: json: cannot unmarshal " +
                          json_kind(root) + " into Go value of type " + kVersionKindType,
                      ErrorCode::kInvalidArgument);
  }
  std::string api_version, kind;
  const YAML::Node av = root["apiVersion"];
  const YAML::Node k = root["kind"];
  if (!is_null(av) && json_kind(av) == "string") api_version = av.Scalar();
  if (!is_null(k) && json_kind(k) == "string") kind = k.Scalar();
  if ((!api_version.empty() && api_version != "v1") || (!kind.empty() && kind != "Config")) {
    return make_error("no kind \"" + (kind.empty() ? std::string("Config") : kind) +
                          "\" is registered for version \"" + api_version +
                          "\" in scheme \"k8s.io/client-go/tools/clientcmd/api/latest/"
                          "latest.go:50\"",
                      ErrorCode::kInvalidArgument);
  }

  KC_TRY(d.str(root["current-context"], "Config", "current-context", config.current_context));
  const YAML::Node prefs = root["preferences"];
  if (!is_null(prefs)) {
    if (!prefs.IsMap()) return d.mismatch(prefs, "Config", "preferences", "v1.Preferences");
    KC_TRY(d.boolean(prefs["colors"], "Preferences", "preferences.colors",
                     config.preferences.colors));
  }

  KC_TRY(decode_list<NamedCluster>(
      d, root, "clusters", "cluster", "NamedCluster", "Cluster", "Cluster", decode_cluster,
      config.clusters, &NamedCluster::name,
      [](NamedCluster& n, Cluster&& c) { n.cluster = std::move(c); }));
  KC_TRY(decode_list<NamedAuthInfo>(
      d, root, "users", "user", "NamedAuthInfo", "AuthInfo", "AuthInfo", decode_user,
      config.users, &NamedAuthInfo::name,
      [](NamedAuthInfo& n, AuthInfo&& u) { n.user = std::move(u); }));
  KC_TRY(decode_list<NamedContext>(
      d, root, "contexts", "context", "NamedContext", "Context", "Context", decode_context,
      config.contexts, &NamedContext::name,
      [](NamedContext& n, Context&& c) { n.context = std::move(c); }));

  for (auto& c : config.clusters) c.cluster.location_of_origin = origin;
  for (auto& u : config.users) u.user.location_of_origin = origin;
  for (auto& c : config.contexts) c.context.location_of_origin = origin;
  return config;
}

std::string join_clean(const std::string& base, const std::string& p) {
  std::string out = (std::filesystem::path(base) / p).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

void resolve(std::string& ref, const std::string& base) {
  if (!ref.empty() && ref.front() != '/') ref = join_clean(base, ref);
}

std::string abs_dir_of(const std::string& file) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(std::filesystem::path(file), ec);
  if (ec) return std::filesystem::path(file).parent_path().string();
  return abs.lexically_normal().parent_path().string();
}

}  // namespace

Result<Config> parse(const std::string& yaml, const std::string& origin) {
  YAML::Node root;
  std::vector<std::string> aside;
  try {
    root = YAML::Load(set_aside_long_data(yaml, aside));
  } catch (const YAML::Exception& e) {
    return make_error("yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg,
                      ErrorCode::kInvalidArgument);
  }
  try {
    return decode_config(root, origin, &aside);
  } catch (const YAML::Exception& e) {  // should not happen: we check types before converting
    return make_error("yaml: " + std::string(e.what()), ErrorCode::kInvalidArgument);
  }
}

void resolve_paths(Config& config, const std::string& base_dir) {
  for (auto& c : config.clusters) resolve(c.cluster.certificate_authority, base_dir);
  for (auto& u : config.users) {
    resolve(u.user.client_certificate, base_dir);
    resolve(u.user.client_key, base_dir);
    resolve(u.user.token_file, base_dir);
    // Only a command given as a path is resolved; a bare name is looked up in $PATH.
    if (u.user.exec && u.user.exec->command.find('/') != std::string::npos) {
      resolve(u.user.exec->command, base_dir);
    }
  }
}

Result<Config> load_file(const std::string& path, const LoadOptions& options) {
  auto text = tls::read_file(path);
  if (!text.ok()) {
    if (text.error().code == ErrorCode::kNotFound) {
      return make_error("stat " + path + ": no such file or directory", ErrorCode::kNotFound);
    }
    return make_error("error loading config file \"" + path + "\": " + text.error().message,
                      text.error().code);
  }
  auto config = parse(*text, path);
  if (!config.ok()) {
    return make_error("error loading config file \"" + path + "\": " + config.error().message,
                      config.error().code);
  }
  if (options.resolve_paths) resolve_paths(*config, abs_dir_of(path));
  return config;
}

Config merge(const std::vector<Config>& configs) {
  Config out;
  for (const auto& c : configs) {
    for (const auto& n : c.clusters)
      if (!out.find_cluster(n.name)) out.clusters.push_back(n);
    for (const auto& n : c.users)
      if (!out.find_user(n.name)) out.users.push_back(n);
    for (const auto& n : c.contexts)
      if (!out.find_context(n.name)) out.contexts.push_back(n);
    if (out.current_context.empty()) out.current_context = c.current_context;
    if (!out.preferences.colors) out.preferences.colors = c.preferences.colors;
  }
  return out;
}

Result<Config> load_files(const std::vector<std::string>& paths, const LoadOptions& options) {
  std::vector<Config> configs;
  std::vector<std::string> errors;
  std::set<std::string> seen;
  for (const auto& p : paths) {
    if (p.empty() || !seen.insert(p).second) continue;
    auto c = load_file(p, options);
    if (!c.ok()) {
      if (c.error().code == ErrorCode::kNotFound) continue;  // missing files are not errors
      errors.push_back(c.error().message);
      continue;
    }
    configs.push_back(std::move(c).value());
  }
  if (errors.size() == 1) return make_error(errors[0], ErrorCode::kInvalidArgument);
  if (errors.size() > 1) {
    std::string msg = "[";
    for (size_t i = 0; i < errors.size(); ++i) msg += (i ? ", " : "") + errors[i];
    return make_error(msg + "]", ErrorCode::kInvalidArgument);
  }
  return merge(configs);
}

std::vector<std::string> split_kubeconfig_env(const std::string& value) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  size_t start = 0;
  while (start <= value.size()) {
    size_t colon = value.find(':', start);
    std::string part = value.substr(start, colon == std::string::npos ? std::string::npos
                                                                      : colon - start);
    if (!part.empty() && seen.insert(part).second) out.push_back(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return out;
}

std::string default_kubeconfig_path() {
  const char* home = std::getenv("HOME");
  std::string h = home && *home ? home : "";
  if (h.empty()) {
    if (struct passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) h = pw->pw_dir;
  }
  return h + "/.kube/config";
}

Result<Config> load_default(const std::string& explicit_path, const LoadOptions& options) {
  if (!explicit_path.empty()) {
    if (!tls::file_exists(explicit_path)) {
      return make_error("stat " + explicit_path + ": no such file or directory",
                        ErrorCode::kNotFound);
    }
    return load_files({explicit_path}, options);
  }
  const char* env = std::getenv("KUBECONFIG");
  if (env && *env) return load_files(split_kubeconfig_env(env), options);
  return load_files({default_kubeconfig_path()}, options);
}

}  // namespace kapi::kubeconfig
