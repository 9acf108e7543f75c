// `create serviceaccount NAME` (kubectl pkg/cmd/create/create_serviceaccount.go).
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"

namespace kapi::client {
namespace {

std::optional<CmdError> generate(GeneratorContext& ctx, nlohmann::ordered_json& out) {
  out = {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", ctx.name}}}};
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  return std::nullopt;
}

const CreateGenerator kServiceAccount{"v1", "ServiceAccount", "serviceaccounts", true, "failed to create serviceaccount: ",
                                      nullptr, generate};

}  // namespace

void add_create_serviceaccount_flags(FlagSet& f) { add_create_common_flags(f); }
int run_create_serviceaccount(CommandEnv& env) { return run_create_generator(env, kServiceAccount); }

}  // namespace kapi::client
