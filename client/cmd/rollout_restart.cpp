// `kapi rollout restart RESOURCE` (kubectl pkg/cmd/rollout/rollout_restart.go,
// polymorphichelpers/objectrestarter.go): the kubectl.kubernetes.io/restartedAt annotation of
// the pod template (now, RFC 3339 in local time), as a strategic merge patch.
#include <ctime>
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/rollout_common.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// time.Now().Format(time.RFC3339).
std::string now_rfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  long off = tm.tm_gmtoff;
  if (off == 0) return out + "Z";
  char zone[16];
  long a = off < 0 ? -off : off;
  std::snprintf(zone, sizeof zone, "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, (a % 3600) / 60);
  return out + zone;
}

}  // namespace

int run_rollout_restart(CommandEnv& env) {
  return run_rollout_patch_command(
      env,
      [&](Json& obj, ObjectInfo& info) -> Result<bool> {
        const auto& r = info.mapping.resource;
        bool apps = r.group == "apps" || r.group == "extensions";
        bool deployment = apps && r.kind == "Deployment";
        if (!deployment && !(apps && (r.kind == "DaemonSet" || r.kind == "StatefulSet")))
          return CmdError::msg("restarting is not supported");
        if (deployment && obj["spec"].value("paused", false))
          return CmdError::msg("can't restart paused deployment (run rollout resume first)");
        Json& meta = obj["spec"]["template"]["metadata"];
        if (!meta.contains("annotations") || !meta["annotations"].is_object()) meta["annotations"] = Json::object();
        meta["annotations"]["kubectl.kubernetes.io/restartedAt"] = now_rfc3339();
        return true;
      },
      "restarted",
      [](CommandEnv&, ObjectInfo& info) -> std::optional<CmdError> {
        return CmdError::msg("failed to create patch for " + info.name +
                             ": if restart has already been triggered within the past second, please wait before "
                             "attempting to trigger another");
      });
}

}  // namespace kapi::client
