// `create priorityclass NAME [--value] [--global-default] [--description]
// [--preemption-policy]` (kubectl pkg/cmd/create/create_priorityclass.go).
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"

namespace kapi::client {
namespace {

std::optional<CmdError> generate(GeneratorContext& ctx, nlohmann::ordered_json& out) {
  const FlagSet& f = ctx.env.flags;
  out = {{"apiVersion", "scheduling.k8s.io/v1"},
         {"kind", "PriorityClass"},
         {"metadata", {{"name", ctx.name}}},
         {"value", f.get_int("value")},
         {"globalDefault", f.get_bool("global-default")},
         {"description", f.get_string("description")},
         {"preemptionPolicy", f.get_string("preemption-policy")}};
  return std::nullopt;
}

const CreateGenerator kPriorityClass{"scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", false,
                                     "failed to create priorityclass: ", nullptr, generate};

}  // namespace

void add_create_priorityclass_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string("description", 0, "");
  f.add_bool("global-default", 0, false);
  f.add_string("preemption-policy", 0, "PreemptLowerPriority");
  f.add_int("value", 0, 0);
}
int run_create_priorityclass(CommandEnv& env) { return run_create_generator(env, kPriorityClass); }

}  // namespace kapi::client
