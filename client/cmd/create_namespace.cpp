// `create namespace NAME` (kubectl pkg/cmd/create/create_namespace.go).
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"

namespace kapi::client {
namespace {

std::optional<CmdError> generate(GeneratorContext& ctx, nlohmann::ordered_json& out) {
  out = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ctx.name}}}};
  return std::nullopt;
}

const CreateGenerator kNamespace{"v1", "Namespace", "namespaces", false, nullptr, nullptr, generate};

}  // namespace

void add_create_namespace_flags(FlagSet& f) { add_create_common_flags(f); }
int run_create_namespace(CommandEnv& env) { return run_create_generator(env, kNamespace); }

}  // namespace kapi::client
