// `kapi set subject (-f FILE | TYPE NAME) [--user=U] [--group=G] [--serviceaccount=NS:NAME]`
// (kubectl pkg/cmd/set/set_subject.go): adds the subjects a RoleBinding or ClusterRoleBinding
// lacks (users, groups, service accounts, each sorted and deduplicated).
#include <nlohmann/json.hpp>
#include <set>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/set_common.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::set<std::string> sorted(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

Json subject(const std::string& kind, const std::string& api_group, const std::string& name, const std::string& ns) {
  Json s = Json::object();
  s["kind"] = kind;
  if (!api_group.empty()) s["apiGroup"] = api_group;
  s["name"] = name;
  if (!ns.empty()) s["namespace"] = ns;
  return s;
}

bool same_subject(const Json& a, const Json& b) {
  for (const char* k : {"kind", "apiGroup", "name", "namespace"})
    if (a.value(k, "") != b.value(k, "")) return false;
  return true;
}

}  // namespace

void add_set_subject_flags(FlagSet& f) {
  add_set_flags(f, true);
  f.add_string_array("group", 0);
  f.add_string_array("serviceaccount", 0);
  f.add_string_array("user", 0);
}

int run_set_subject(CommandEnv& env) {
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
  auto users = f.get_strings("user"), groups = f.get_strings("group"), sas = f.get_strings("serviceaccount");
  if (users.empty() && groups.empty() && sas.empty())
    return report_error(env.out, CmdError::msg("you must specify at least one value of user, group or serviceaccount"));
  for (const auto& sa : sas) {
    size_t colon = sa.find(':');
    if (colon == std::string::npos || sa.find(':', colon + 1) != std::string::npos || colon + 1 == sa.size())
      return report_error(env.out, CmdError::msg("serviceaccount must be <namespace>:<name>"));
    for (const auto& info : infos)
      if (info.mapping.resource.group == "rbac.authorization.k8s.io" && info.mapping.resource.kind == "ClusterRoleBinding" &&
          colon == 0)
        return report_error(env.out, CmdError::msg("serviceaccount must be <namespace>:<name>, namespace must be specified"));
  }

  std::vector<Json> subjects;
  for (const auto& u : sorted(users)) subjects.push_back(subject("User", "rbac.authorization.k8s.io", u, ""));
  for (const auto& g : sorted(groups)) subjects.push_back(subject("Group", "rbac.authorization.k8s.io", g, ""));
  for (const auto& sa : sorted(sas)) {
    size_t colon = sa.find(':');
    std::string ns = sa.substr(0, colon);
    subjects.push_back(subject("ServiceAccount", "", sa.substr(colon + 1), ns.empty() ? s.namespace_ : ns));
  }
  auto patches = calculate_patches(infos, [&](Json& obj, ObjectInfo& info) -> Result<bool> {
    const auto& r = info.mapping.resource;
    if (r.group != "rbac.authorization.k8s.io" || (r.kind != "RoleBinding" && r.kind != "ClusterRoleBinding"))
      return CmdError::msg("setting subjects is only supported for RoleBinding/ClusterRoleBinding");
    Json existing = obj.contains("subjects") && obj["subjects"].is_array() ? obj["subjects"] : Json::array();
    Json updated = existing;
    bool transformed = false;
    for (const auto& want : subjects) {
      bool present = false;
      for (const auto& e : existing) present = present || same_subject(e, want);
      if (!present) {
        updated.push_back(want);
        transformed = true;
      }
    }
    obj["subjects"] = updated;
    return transformed;
  });
  std::vector<CmdError> errs;
  SetPatchOptions o;
  o.operation = "subjects updated";
  o.error_prefix = "failed to patch subjects to rolebinding: ";
  o.local = t.local;
  o.dry_run = *dry;
  o.field_manager = f.get_string("field-manager");
  if (auto err = run_set_patches(s, patches, o, errs)) return report_error(env.out, *err);
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
