// `kapi set resources (-f FILE | TYPE NAME) --limits=cpu=200m,memory=512Mi --requests=...`
// (kubectl pkg/cmd/set/set_resources.go): the resource requirements of the selected containers
// (init containers included) of a pod template, as a strategic merge patch.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/set_common.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// parseResourceList: "cpu=100m,memory=1Gi" into canonical quantities.
Result<std::vector<std::pair<std::string, std::string>>> parse_resource_list(const std::string& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  if (spec.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t comma = spec.find(',', start);
    std::string stmt = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = stmt.find('=');
    if (eq == std::string::npos || stmt.find('=', eq + 1) != std::string::npos)
      return CmdError::msg("Invalid argument syntax " + stmt + ", expected <resource>=<value>");
    auto q = machinery::Quantity::parse(stmt.substr(eq + 1));
    if (!q.ok()) return CmdError::msg(q.error());
    out.emplace_back(stmt.substr(0, eq), q->to_string());
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void set_list(Json& resources, const char* key, const std::vector<std::pair<std::string, std::string>>& values,
              bool given) {
  if (given && (!resources.contains(key) || !resources[key].is_object())) resources[key] = Json::object();
  for (const auto& [name, value] : values) resources[key][name] = value;
}

}  // namespace

void add_set_resources_flags(FlagSet& f) {
  add_set_flags(f, true);
  f.add_string("containers", 'c', "*");
  f.add_string("limits", 0, "");
  f.add_bool("record", 0, false);
  f.add_string("requests", 0, "");
}

int run_set_resources(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return report_error(env.out, dry.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  SetTargets t{env.args, f.get_string("selector"), f.get_bool("all"), f.get_bool("local")};
  std::vector<ObjectInfo> infos;
  if (auto errs = resolve_set_objects(s, t, infos); !errs.empty()) return report_errors(env.out, errs);
  // Validate.
  if (t.local && *dry == DryRun::kServer)
    return report_error(env.out, CmdError::msg("cannot specify --local and --dry-run=server - did you mean --dry-run=client?"));
  if (t.all && !t.selector.empty())
    return report_error(env.out, CmdError::msg("cannot set --all and --selector at the same time"));
  std::string limits_flag = f.get_string("limits"), requests_flag = f.get_string("requests");
  if (limits_flag.empty() && requests_flag.empty())
    return report_error(env.out, CmdError::msg("you must specify an update to requests or limits (in the form of --requests/--limits)"));
  auto limits = parse_resource_list(limits_flag);
  if (!limits.ok()) return report_error(env.out, limits.error());
  auto requests = parse_resource_list(requests_flag);
  if (!requests.ok()) return report_error(env.out, requests.error());

  std::string selector = f.get_string("containers");
  std::vector<CmdError> errs;
  auto patches = calculate_patches(infos, [&](Json& obj, ObjectInfo& info) -> Result<bool> {
    auto spec = pod_spec_of(obj, info.mapping);
    if (!spec.ok()) return spec.error();
    auto containers = select_containers(**spec, selector);
    if (containers.empty()) {
      errs.push_back(CmdError::msg("error: unable to find container named " + selector));
      return false;
    }
    for (Json* c : containers) {
      if (!c->contains("resources") || !(*c)["resources"].is_object()) (*c)["resources"] = Json::object();
      Json& r = (*c)["resources"];
      set_list(r, "limits", *limits, !limits_flag.empty());
      set_list(r, "requests", *requests, !requests_flag.empty());
    }
    return true;
  });
  SetPatchOptions o;
  o.operation = "resource requirements updated";
  o.error_prefix = "failed to patch resources update to pod template ";
  o.local = t.local;
  o.dry_run = *dry;
  o.field_manager = f.get_string("field-manager");
  if (auto err = run_set_patches(s, patches, o, errs)) return report_error(env.out, *err);
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
