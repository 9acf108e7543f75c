// `kapi autoscale (-f FILE | TYPE NAME | TYPE/NAME) [--min=N] --max=N [--cpu-percent=P]
// [--name=N]` (kubectl 1.33 pkg/cmd/autoscale/autoscale.go): an autoscaling/v2
// HorizontalPodAutoscaler per object with a scale subresource; when the v2 create fails, the
// autoscaling/v1 form is tried and its error reported.
#include <nlohmann/json.hpp>

#include "client/cmd/generated_object.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_visitor.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

const GeneratedKind kHpaV2{"autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true};
const GeneratedKind kHpaV1{"autoscaling/v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true};

// The built-in resources whose discovery lists a scale subresource (kapi's discovery data keeps
// no subresources).
bool has_scale(const RestMapping& m) {
  const auto& r = m.resource;
  if (r.group == "apps") return r.name == "deployments" || r.name == "replicasets" || r.name == "statefulsets";
  return r.group.empty() && r.name == "replicationcontrollers";
}

Json hpa(const GeneratedKind& k, const ObjectInfo& info, const FlagSet& f) {
  const auto& r = info.mapping.resource;
  std::string name = f.get_string("name").empty() ? info.name : f.get_string("name");
  Json spec = {{"scaleTargetRef",
                {{"kind", r.kind}, {"name", info.name}, {"apiVersion", r.group.empty() ? r.version : r.group + "/" + r.version}}},
               {"maxReplicas", f.get_int("max")}};
  if (f.get_int("min") > 0) spec["minReplicas"] = f.get_int("min");
  long long cpu = f.get_int("cpu-percent");
  if (cpu >= 0) {
    if (k.group_version == "autoscaling/v2")
      spec["metrics"] = Json::array({{{"type", "Resource"},
                                      {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", cpu}}}}}}});
    else
      spec["targetCPUUtilizationPercentage"] = cpu;
  }
  return to_typed({{"apiVersion", k.group_version}, {"kind", k.kind}, {"metadata", {{"name", name}}}, {"spec", spec}},
                  k.group_version, k.kind);
}

}  // namespace

void add_autoscale_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_int("cpu-percent", 0, -1);
  add_dry_run_flag(f);
  f.add_string("field-manager", 0, "kubectl-autoscale");
  f.add_int("max", 0, -1);
  f.add_int("min", 0, -1);
  f.add_string("name", 0, "");
  f.add_string("output", 'o', "");
  f.add_bool("record", 0, false);
  f.add_bool("save-config", 0, false);
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
}

int run_autoscale(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto dry_run = dry_run_strategy(f);
  if (!dry_run.ok()) return report_error(env.out, dry_run.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  long long max = f.get_int("max"), min = f.get_int("min");
  if (max < 1)
    return report_error(env.out, CmdError::msg("--max=MAXPODS is required and must be at least 1, max: " +
                                               std::to_string(max)));
  if (max < min)
    return report_error(env.out, CmdError::msg("--max=MAXPODS must be larger or equal to --min=MINPODS, max: " +
                                               std::to_string(max) + ", min: " + std::to_string(min)));
  VisitOptions vo;
  vo.args = env.args;
  std::vector<CmdError> errs;
  int count = 0;
  // handleHPA: the printer is made (and -o checked) only when there is something to print.
  auto handle = [&](const GeneratedKind& k, Json obj) -> std::optional<CmdError> {
    auto printer = print_choice(f);
    if (*dry_run == DryRun::kClient) {
      if (!printer.ok()) return printer.error();
      return print_generated(f, *printer, k, std::move(obj), "created", *dry_run, env.out);
    }
    if (f.get_bool("save-config")) add_last_applied_annotation(obj, k);
    auto created = create_generated(env, k, s.namespace_, obj, *dry_run, {{"fieldManager", f.get_string("field-manager")}});
    if (!created.ok()) return created.error();
    if (!printer.ok()) return printer.error();
    return print_generated(f, *printer, k, std::move(*created), "autoscaled", *dry_run, env.out);
  };
  auto fatal = visit_objects(s, vo, [&](ObjectInfo& info) -> std::optional<CmdError> {
    if (!has_scale(info.mapping)) {
      const auto& r = info.mapping.resource;
      return CmdError::msg("cannot autoscale a " + r.kind + ": could not find scale subresource for " + r.group + "/" +
                           r.version + ", Resource=" + r.name + " in discovery information");
    }
    if (handle(kHpaV2, hpa(kHpaV2, info, f)))
      if (auto err = handle(kHpaV1, hpa(kHpaV1, info, f))) return err;
    ++count;
    return std::nullopt;
  }, errs);
  if (fatal) return report_error(env.out, *fatal);
  if (!errs.empty()) return report_errors(env.out, errs);
  if (count == 0) return report_error(env.out, CmdError::msg("no objects passed to autoscale"));
  return 0;
}

}  // namespace kapi::client
