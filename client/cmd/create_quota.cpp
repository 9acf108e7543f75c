// `create quota NAME [--hard=key=value,...] [--scopes=Scope,...]` (kubectl
// pkg/cmd/create/create_quota.go).
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

std::optional<CmdError> generate(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = {{"apiVersion", "v1"}, {"kind", "ResourceQuota"}, {"metadata", {{"name", ctx.name}}}, {"spec", Json::object()}};
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  // populateResourceListV1
  if (std::string hard = f.get_string("hard"); !hard.empty()) {
    Json list = Json::object();
    for (const auto& statement : split(hard, ',')) {
      auto parts = split(statement, '=');
      if (parts.size() != 2)
        return CmdError::msg("Invalid argument syntax " + statement + ", expected <resource>=<value>");
      auto q = machinery::Quantity::parse(parts[1]);
      if (!q.ok()) return CmdError::msg(q.error());
      list[parts[0]] = q->to_string();
    }
    out["spec"]["hard"] = list;
  }
  // parseScopes
  if (std::string scopes = f.get_string("scopes"); !scopes.empty()) {
    Json list = Json::array();
    for (const auto& s : split(scopes, ',')) {
      if (s.empty()) return CmdError::msg("invalid resource quota scope \"\"");
      list.push_back(s);
    }
    out["spec"]["scopes"] = list;
  }
  return std::nullopt;
}

const CreateGenerator kQuota{"v1", "ResourceQuota", "resourcequotas", true, "failed to create quota: ", nullptr,
                             generate};

}  // namespace

void add_create_quota_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string("hard", 0, "");
  f.add_string("scopes", 0, "");
}
int run_create_quota(CommandEnv& env) { return run_create_generator(env, kQuota); }

}  // namespace kapi::client
