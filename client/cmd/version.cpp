// `kapi version` (kubectl pkg/cmd/version): the client version, then the server's from
// GET /version. kapi has no kustomize, so there is no "Kustomize Version" line.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "pkg/machinery/go_yaml.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kClientGitVersion = "v1.33.0+kapi";

// apimachinery version.Info in its field order (the emulation/compatibility fields are
// omitempty).
Json version_info(const Json& in) {
  Json out = Json::object();
  auto str = [&](const char* k) { return in.contains(k) && in[k].is_string() ? in[k].get<std::string>() : ""; };
  out["major"] = str("major");
  out["minor"] = str("minor");
  for (const char* k : {"emulationMajor", "emulationMinor", "minCompatibilityMajor", "minCompatibilityMinor"})
    if (!str(k).empty()) out[k] = str(k);
  for (const char* k : {"gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"})
    out[k] = str(k);
  return out;
}

Json client_info() {
  return version_info(Json{{"major", "1"},
                           {"minor", "33"},
                           {"gitVersion", kClientGitVersion},
                           {"gitCommit", ""},
                           {"gitTreeState", ""},
                           {"buildDate", ""},
                           {"goVersion", ""},
                           {"compiler", "gcc"},
                           {"platform", "linux/amd64"}});
}

// JSON with MarshalIndent(v, "", "  ") keeping struct field order.
void dump_ordered(const Json& v, std::string& out, int depth) {
  if (v.is_object()) {
    if (v.empty()) { out += "{}"; return; }
    out += "{";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      out += first ? "\n" : ",\n";
      first = false;
      out += std::string((depth + 1) * 2, ' ') + go_json_quote(it.key()) + ": ";
      dump_ordered(it.value(), out, depth + 1);
    }
    out += "\n" + std::string(depth * 2, ' ') + "}";
  } else {
    out += to_go_json(v);
  }
}

int minor_of(const Json& info) {
  std::string m = info.value("minor", "");
  int v = 0;
  for (char c : m) {
    if (c < '0' || c > '9') break;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

void add_version_flags(FlagSet& flags) {
  flags.add_bool("client", 0, false);
  flags.add_string("output", 'o', "");
}

int run_version(CommandEnv& env) {
  bool client_only = env.flags.get_bool("client");
  std::string output = env.flags.get_string("output");
  RestClient* client = nullptr;
  if (!client_only) {
    auto c = env.factory.rest_client();
    if (!c.ok()) return report_error(env.out, c.error());
    client = *c;
    if (!env.args.empty()) {
      std::string list = "[";
      for (size_t i = 0; i < env.args.size(); ++i) list += (i ? " " : "") + env.args[i];
      return report_error(env.out, CmdError::msg("extra arguments: " + list + "]"));
    }
  }
  if (!output.empty() && output != "yaml" && output != "json")
    return report_error(env.out, CmdError::msg("--output must be 'yaml' or 'json'"));

  Json versions = Json::object();
  versions["clientVersion"] = client_info();
  std::optional<CmdError> server_err;
  if (client) {
    std::string path = "/version";
    std::string timeout = client->config().timeout_param.empty() ? "32s" : client->config().timeout_param;
    auto r = client->get(path + "?timeout=" + timeout, "application/json, */*");
    if (!r.ok()) {
      server_err = r.error();
    } else if (r->status != 200) {
      server_err = status_error_from_response(r->status, r->body);
    } else {
      auto j = Json::parse(r->body, nullptr, false);
      if (j.is_object()) versions["serverVersion"] = version_info(j);
      else server_err = CmdError::msg("couldn't get version/kind; json parse error");
    }
  }

  if (output.empty()) {
    env.out += "Client Version: " + versions["clientVersion"]["gitVersion"].get<std::string>() + "\n";
    if (versions.contains("serverVersion"))
      env.out += "Server Version: " + versions["serverVersion"]["gitVersion"].get<std::string>() + "\n";
  } else if (output == "yaml") {
    env.out += machinery::goyaml::marshal(versions) + "\n";
  } else {
    std::string text;
    dump_ordered(versions, text, 0);
    env.out += text + "\n";
  }
  if (versions.contains("serverVersion")) {
    int client_minor = 33, server_minor = minor_of(versions["serverVersion"]);
    if (server_minor > 0 && std::abs(client_minor - server_minor) > 1) {
      flush_stdout(env.out);
      write_stderr("WARNING: version difference between client (1." + std::to_string(client_minor) +
                   ") and server (1." + std::to_string(server_minor) +
                   ") exceeds the supported minor version skew of +/-1\n");
    }
  }
  if (server_err) return report_error(env.out, *server_err);
  return 0;
}

}  // namespace kapi::client
