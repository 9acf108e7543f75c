// `create configmap NAME [--from-file] [--from-literal] [--from-env-file]` (kubectl
// pkg/cmd/create/create_configmap.go). Files that are not UTF-8 go to binaryData.
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"
#include "client/cmd/name_hash.h"
#include "client/printers/go_json.h"
#include "pkg/machinery/base64.h"
#include "pkg/machinery/names.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// utf8.Valid.
bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + static_cast<size_t>(n) >= s.size()) return false;
    uint32_t cp = n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc >> 6) != 2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += static_cast<size_t>(n) + 1;
  }
  return true;
}

std::optional<CmdError> validate_key(const Json& cm, const std::string& key, const std::string& name) {
  auto errs = machinery::is_config_map_key(key);
  if (!errs.empty()) {
    std::string joined;
    for (size_t i = 0; i < errs.size(); ++i) joined += (i ? "," : "") + errs[i];
    return CmdError::msg(go_json_quote(key) + " is not a valid key name for a ConfigMap: " + joined);
  }
  if (cm["data"].contains(key))
    return CmdError::msg("cannot add key " + go_json_quote(key) +
                         ", another key by that name already exists in Data for ConfigMap " + go_json_quote(name));
  if (cm["binaryData"].contains(key))
    return CmdError::msg("cannot add key " + go_json_quote(key) +
                         ", another key by that name already exists in BinaryData for ConfigMap " + go_json_quote(name));
  return std::nullopt;
}

std::optional<CmdError> add_literal(Json& cm, const std::string& key, const std::string& value, const std::string& name) {
  if (auto err = validate_key(cm, key, name)) return err;
  cm["data"][key] = value;
  return std::nullopt;
}

std::optional<CmdError> validate(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  if (!f.get_strings("from-env-file").empty() &&
      (!f.get_strings("from-file").empty() || !f.get_strings("from-literal").empty()))
    return CmdError::msg("from-env-file cannot be combined with from-file or from-literal");
  return std::nullopt;
}

std::optional<CmdError> generate(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", ctx.name}}},
         {"data", Json::object()}, {"binaryData", Json::object()}};
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  for (const auto& source : f.get_strings("from-file")) {
    auto files = expand_file_source(source);
    if (!files.ok()) return files.error();
    for (const auto& [key, path] : *files) {
      auto data = read_whole_file(path);
      if (!data.ok()) return data.error();
      if (valid_utf8(*data)) {
        if (auto err = add_literal(out, key, *data, ctx.name)) return err;
        continue;
      }
      if (auto err = validate_key(out, key, ctx.name)) return err;
      out["binaryData"][key] = machinery::base64_encode(*data);
    }
  }
  for (const auto& source : f.get_strings("from-literal")) {
    auto kv = parse_literal_source(source);
    if (!kv.ok()) return kv.error();
    if (auto err = add_literal(out, kv->first, kv->second, ctx.name)) return err;
  }
  for (const auto& path : f.get_strings("from-env-file")) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return CmdError::msg("error reading " + path + ": no such file or directory");
    if (S_ISDIR(st.st_mode)) return CmdError::msg("env config file cannot be a directory");
    if (auto err = add_from_env_file(path, [&](const std::string& k, const std::string& v) {
          return add_literal(out, k, v, ctx.name);
        }))
      return err;
  }
  if (f.get_bool("append-hash")) append_name_hash(out);
  return std::nullopt;
}

const CreateGenerator kConfigMap{"v1", "ConfigMap", "configmaps", true, "failed to create configmap: ", validate, generate};

}  // namespace

void add_create_configmap_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_bool("append-hash", 0, false);
  f.add_string_slice("from-env-file", 0);
  f.add_string_slice("from-file", 0);
  f.add_string_array("from-literal", 0);
}
int run_create_configmap(CommandEnv& env) { return run_create_generator(env, kConfigMap); }

}  // namespace kapi::client
