// `kapi set serviceaccount (-f FILE | TYPE NAME) SERVICE_ACCOUNT` (kubectl pkg/cmd/set/
// set_serviceaccount.go): spec.serviceAccountName of a pod template. Unlike the other set
// commands, an unchanged object is patched (with "{}") and reported all the same.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/set_common.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

void add_set_serviceaccount_flags(FlagSet& f) {
  add_set_flags(f, false);
  f.add_bool("record", 0, false);
}

int run_set_serviceaccount(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return report_error(env.out, dry.error());
  bool local = f.get_bool("local");
  if (local && *dry == DryRun::kServer)
    return report_error(env.out, CmdError::msg("cannot specify --local and --dry-run=server - did you mean --dry-run=client?"));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  if (env.args.empty()) return report_error(env.out, CmdError::msg("serviceaccount is required"));
  std::string name = env.args.back();
  // The builder ignores resource arguments with --local.
  SetTargets t{local ? std::vector<std::string>{} : std::vector<std::string>(env.args.begin(), env.args.end() - 1), "",
               f.get_bool("all"), local};
  std::vector<ObjectInfo> infos;
  if (auto errs = resolve_set_objects(s, t, infos); !errs.empty()) return report_errors(env.out, errs);
  auto patches = calculate_patches(infos, [&](Json& obj, ObjectInfo& info) -> Result<bool> {
    auto spec = pod_spec_of(obj, info.mapping);
    if (!spec.ok()) return spec.error();
    (**spec)["serviceAccountName"] = name;
    return true;
  });
  std::vector<CmdError> errs;
  SetPatchOptions o;
  o.operation = "serviceaccount updated";
  o.error_prefix = "failed to patch ServiceAccountName ";
  o.local = local;
  o.dry_run = *dry;
  o.field_manager = f.get_string("field-manager");
  o.skip_unchanged = false;
  if (auto err = run_set_patches(s, patches, o, errs)) return report_error(env.out, *err);
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
