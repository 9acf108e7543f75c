// `create rolebinding` and `create clusterrolebinding` (kubectl pkg/cmd/create/
// create_rolebinding.go, create_clusterrolebinding.go): a role reference and the subjects from
// --user, --group and --serviceaccount NAMESPACE:NAME.
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

Result<Json> subjects(const FlagSet& f) {
  Json out = Json::array();
  for (const auto& u : f.get_strings("user")) out.push_back({{"kind", "User"}, {"apiGroup", kRbacGroup}, {"name", u}});
  for (const auto& g : f.get_strings("group")) out.push_back({{"kind", "Group"}, {"apiGroup", kRbacGroup}, {"name", g}});
  for (const auto& sa : f.get_strings("serviceaccount")) {
    size_t colon = sa.find(':');
    if (colon == std::string::npos || sa.find(':', colon + 1) != std::string::npos || colon == 0 ||
        colon + 1 == sa.size())
      return CmdError::msg("serviceaccount must be <namespace>:<name>");
    out.push_back({{"kind", "ServiceAccount"}, {"name", sa.substr(colon + 1)}, {"namespace", sa.substr(0, colon)}});
  }
  return out;
}

std::optional<CmdError> validate_rolebinding(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  if (f.get_string("clusterrole").empty() == f.get_string("role").empty())
    return CmdError::msg("exactly one of clusterrole or role must be specified");
  return std::nullopt;
}

std::optional<CmdError> generate_rolebinding(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = {{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "RoleBinding"}, {"metadata", {{"name", ctx.name}}}};
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  if (!f.get_string("role").empty())
    out["roleRef"] = {{"apiGroup", kRbacGroup}, {"kind", "Role"}, {"name", f.get_string("role")}};
  else
    out["roleRef"] = {{"apiGroup", kRbacGroup}, {"kind", "ClusterRole"}, {"name", f.get_string("clusterrole")}};
  auto s = subjects(f);
  if (!s.ok()) return s.error();
  if (!s->empty()) out["subjects"] = *s;
  return std::nullopt;
}

std::optional<CmdError> generate_clusterrolebinding(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = {{"apiVersion", "rbac.authorization.k8s.io/v1"},
         {"kind", "ClusterRoleBinding"},
         {"metadata", {{"name", ctx.name}}},
         {"roleRef", {{"apiGroup", kRbacGroup}, {"kind", "ClusterRole"}, {"name", f.get_string("clusterrole")}}}};
  auto s = subjects(f);
  if (!s.ok()) return s.error();
  if (!s->empty()) out["subjects"] = *s;
  return std::nullopt;
}

void add_binding_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string("clusterrole", 0, "");
  f.add_string_array("group", 0);
  f.add_string_array("serviceaccount", 0);
  f.add_string_array("user", 0);
}

const CreateGenerator kRoleBinding{"rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", true,
                                   "failed to create rolebinding: ", validate_rolebinding, generate_rolebinding};
const CreateGenerator kClusterRoleBinding{"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings",
                                          false, "failed to create clusterrolebinding: ", nullptr,
                                          generate_clusterrolebinding};

}  // namespace

void add_create_rolebinding_flags(FlagSet& f) {
  add_binding_flags(f);
  f.add_string("role", 0, "");
}
int run_create_rolebinding(CommandEnv& env) { return run_create_generator(env, kRoleBinding); }

void add_create_clusterrolebinding_flags(FlagSet& f) { add_binding_flags(f); }
int run_create_clusterrolebinding(CommandEnv& env) { return run_create_generator(env, kClusterRoleBinding); }

}  // namespace kapi::client
