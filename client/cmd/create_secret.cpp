// `create secret generic|tls|docker-registry NAME` (kubectl pkg/cmd/create/create_secret.go,
// create_secret_tls.go, create_secret_docker.go). The three share the secret object and the
// key rules, so they live together.
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

Json new_secret(const GeneratorContext& ctx, const std::string& type) {
  Json s = {{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", ctx.name}}}, {"data", Json::object()}};
  if (ctx.enforce_namespace) s["metadata"]["namespace"] = ctx.namespace_;
  if (!type.empty()) s["type"] = type;
  return s;
}

// addKeyFromLiteralToSecret.
std::optional<CmdError> add_key(Json& secret, const std::string& key, const std::string& data) {
  auto errs = machinery::is_config_map_key(key);
  if (!errs.empty()) {
    std::string joined;
    for (size_t i = 0; i < errs.size(); ++i) joined += (i ? ";" : "") + errs[i];
    return CmdError::msg(go_json_quote(key) + " is not valid key name for a Secret " + joined);
  }
  if (secret["data"].contains(key))
    return CmdError::msg("cannot add key " + key + ", another key by that name already exists");
  secret["data"][key] = machinery::base64_encode(data);
  return std::nullopt;
}

std::optional<CmdError> add_file_sources(Json& secret, const std::vector<std::string>& sources) {
  for (const auto& source : sources) {
    auto files = expand_file_source(source);
    if (!files.ok()) return files.error();
    for (const auto& [key, path] : *files) {
      auto data = read_whole_file(path);
      if (!data.ok()) return data.error();
      if (auto err = add_key(secret, key, *data)) return err;
    }
  }
  return std::nullopt;
}

// --- generic

std::optional<CmdError> validate_generic(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  if (!f.get_strings("from-env-file").empty() &&
      (!f.get_strings("from-file").empty() || !f.get_strings("from-literal").empty()))
    return CmdError::msg("from-env-file cannot be combined with from-file or from-literal");
  return std::nullopt;
}

std::optional<CmdError> generate_generic(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = new_secret(ctx, f.get_string("type"));
  for (const auto& source : f.get_strings("from-literal")) {
    auto kv = parse_literal_source(source);
    if (!kv.ok()) return kv.error();
    if (auto err = add_key(out, kv->first, kv->second)) return err;
  }
  if (auto err = add_file_sources(out, f.get_strings("from-file"))) return err;
  for (const auto& path : f.get_strings("from-env-file")) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return CmdError::msg("error reading " + path + ": no such file or directory");
    if (S_ISDIR(st.st_mode)) return CmdError::msg("env secret file cannot be a directory");
    if (auto err = add_from_env_file(path, [&](const std::string& k, const std::string& v) { return add_key(out, k, v); }))
      return err;
  }
  return std::nullopt;
}

// --- tls

std::optional<CmdError> validate_tls(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  if (f.get_string("key").empty() || f.get_string("cert").empty())
    return CmdError::msg("key and cert must be specified");
  return std::nullopt;
}

Result<std::string> read_tls_file(const std::string& path) {
  auto data = read_whole_file(path);
  if (!data.ok()) return CmdError::msg("Cannot read file " + path + ", " + data.error().message);
  return data;
}

std::optional<CmdError> generate_tls(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  auto cert = read_tls_file(f.get_string("cert"));
  if (!cert.ok()) return cert.error();
  auto key = read_tls_file(f.get_string("key"));
  if (!key.ok()) return key.error();
  // tls.X509KeyPair's first checks (the key is not matched against the certificate).
  if (cert->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return CmdError::msg("tls: failed to find any PEM data in certificate input");
  if (key->find("PRIVATE KEY-----") == std::string::npos)
    return CmdError::msg("tls: failed to find any PEM data in key input");
  out = new_secret(ctx, "kubernetes.io/tls");
  out["data"]["tls.crt"] = machinery::base64_encode(*cert);
  out["data"]["tls.key"] = machinery::base64_encode(*key);
  return std::nullopt;
}

// --- docker-registry

std::optional<CmdError> validate_docker(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  if (f.get_strings("from-file").empty() &&
      (f.get_string("docker-username").empty() || f.get_string("docker-password").empty() ||
       f.get_string("docker-server").empty()))
    return CmdError::msg(
        "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required");
  return std::nullopt;
}

std::optional<CmdError> generate_docker(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = new_secret(ctx, "kubernetes.io/dockerconfigjson");
  if (!f.get_strings("from-file").empty()) return add_file_sources(out, f.get_strings("from-file"));
  // json.Marshal(DockerConfigJSON): DockerConfigEntry fields in struct order, omitempty.
  std::string user = f.get_string("docker-username"), pass = f.get_string("docker-password"),
              email = f.get_string("docker-email");
  std::string entry;
  auto field = [&](const char* name, const std::string& v) {
    if (v.empty()) return;
    entry += (entry.empty() ? "" : ",") + std::string("\"") + name + "\":" + go_json_quote(v);
  };
  field("username", user);
  field("password", pass);
  field("email", email);
  field("auth", machinery::base64_encode(user + ":" + pass));
  std::string config = "{\"auths\":{" + go_json_quote(f.get_string("docker-server")) + ":{" + entry + "}}}";
  out["data"][".dockerconfigjson"] = machinery::base64_encode(config);
  return std::nullopt;
}

// --append-hash once the data is complete.
template <std::optional<CmdError> (*Generate)(GeneratorContext&, Json&)>
std::optional<CmdError> with_hash(GeneratorContext& ctx, Json& out) {
  if (auto err = Generate(ctx, out)) return err;
  if (ctx.env.flags.get_bool("append-hash")) append_name_hash(out);
  return std::nullopt;
}

const CreateGenerator kGeneric{"v1", "Secret", "secrets", true, "failed to create secret ", validate_generic,
                               with_hash<generate_generic>};
const CreateGenerator kTls{"v1", "Secret", "secrets", true, "failed to create secret ", validate_tls,
                           with_hash<generate_tls>};
const CreateGenerator kDocker{"v1", "Secret", "secrets", true, "failed to create secret ", validate_docker,
                              with_hash<generate_docker>};

}  // namespace

void add_create_secret_generic_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_bool("append-hash", 0, false);
  f.add_string_slice("from-env-file", 0);
  f.add_string_slice("from-file", 0);
  f.add_string_array("from-literal", 0);
  f.add_string("type", 0, "");
}
int run_create_secret_generic(CommandEnv& env) { return run_create_generator(env, kGeneric); }

void add_create_secret_tls_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_bool("append-hash", 0, false);
  f.add_string("cert", 0, "");
  f.add_string("key", 0, "");
}
int run_create_secret_tls(CommandEnv& env) { return run_create_generator(env, kTls); }

void add_create_secret_docker_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_bool("append-hash", 0, false);
  f.add_string("docker-email", 0, "");
  f.add_string("docker-password", 0, "");
  f.add_string("docker-server", 0, "https://index.docker.io/v1/");
  f.add_string("docker-username", 0, "");
  f.add_string_slice("from-file", 0);
}
int run_create_secret_docker(CommandEnv& env) { return run_create_generator(env, kDocker); }

}  // namespace kapi::client
