// `kapi rollout pause|resume RESOURCE` (kubectl pkg/cmd/rollout/rollout_pause.go,
// rollout_resume.go; polymorphichelpers objectpauser.go, objectresumer.go): spec.paused of a
// Deployment, as a strategic merge patch.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/print_flags.h"
#include "client/cmd/rollout_common.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

bool is_deployment(const ObjectInfo& info) {
  const auto& r = info.mapping.resource;
  return r.kind == "Deployment" && (r.group == "apps" || r.group == "extensions");
}

int run_pauser(CommandEnv& env, bool pause) {
  const std::string verb = pause ? "paused" : "resumed";
  return run_rollout_patch_command(
      env,
      [&](Json& obj, ObjectInfo& info) -> Result<bool> {
        if (!is_deployment(info)) return CmdError::msg(pause ? "pausing is not supported" : "resuming is not supported");
        bool paused = obj["spec"].value("paused", false);
        if (pause && paused) return CmdError::msg("is already paused");
        if (!pause && !paused) return CmdError::msg("is not paused");
        obj["spec"]["paused"] = pause;
        return true;
      },
      verb,
      [&](CommandEnv& e, ObjectInfo& info) -> std::optional<CmdError> {
        return print_with_flags(e.flags, "already " + verb, *info.object, e.out, /*printer_per_object=*/true,
                                /*typed=*/true);
      });
}

}  // namespace

int run_rollout_pause(CommandEnv& env) { return run_pauser(env, true); }
int run_rollout_resume(CommandEnv& env) { return run_pauser(env, false); }

}  // namespace kapi::client
