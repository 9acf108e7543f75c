// `kapi rollout undo RESOURCE [--to-revision=N] [--dry-run=...]` (kubectl pkg/cmd/rollout/
// rollout_undo.go, polymorphichelpers/rollback.go): a Deployment goes back to the pod template
// of a ReplicaSet revision (the previous one by default) with a JSON patch of spec.template and
// metadata.annotations. DaemonSets and StatefulSets are not supported by kapi yet.
#include <map>
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/print_flags.h"
#include "client/cmd/rollout_common.h"
#include "client/cmd/set_common.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

const char* const kHashLabel = "pod-template-hash";

CmdError revision_not_found(long long r) {
  return CmdError::msg("unable to find specified revision " + std::to_string(r) + " in history");
}

// A typed pod template without the pod-template-hash label (equalIgnoreHash's view).
Json without_hash(Json tmpl) {
  if (tmpl.contains("metadata") && tmpl["metadata"].contains("labels") && tmpl["metadata"]["labels"].is_object()) {
    tmpl["metadata"]["labels"].erase(kHashLabel);
    if (tmpl["metadata"]["labels"].empty()) tmpl["metadata"].erase("labels");  // nil and empty maps are equal
  }
  return tmpl;
}

bool same(const Json& a, const Json& b) { return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump()); }

RestMapping replica_set_mapping() {
  RestMapping m;
  m.resource.group = "apps";
  m.resource.version = "v1";
  m.resource.name = "replicasets";
  m.resource.kind = "ReplicaSet";
  return m;
}

// deploymentRevision: the ReplicaSet of `to` (0: the one before the latest).
Result<Json> deployment_revision(Session& s, const Json& deployment, long long to) {
  auto rss = deployment_replica_sets(s, deployment);
  std::string name = deployment["metadata"].value("name", "");
  if (!rss.ok())
    return CmdError::msg("failed to retrieve replica sets from deployment " + name + ": " + message_for_error(rss.error()));
  const Json* latest = nullptr;
  const Json* previous = nullptr;
  long long latest_rev = -1, previous_rev = -1;
  for (const auto& rs : *rss) {
    auto v = revision_of(rs);
    if (!v) continue;
    if (to == 0) {
      if (latest_rev < *v) {
        previous_rev = latest_rev;
        previous = latest;
        latest_rev = *v;
        latest = &rs;
      } else if (previous_rev < *v) {
        previous_rev = *v;
        previous = &rs;
      }
    } else if (to == *v) {
      return rs;
    }
  }
  if (to > 0) return revision_not_found(to);
  if (!previous) return CmdError::msg("no rollout history found for deployment " + go_json_quote(name));
  return *previous;
}

// DeploymentRollbacker.Rollback: the result text ("rolled back", "skipped rollback (...)", or
// the template with --dry-run=client).
Result<std::string> rollback_deployment(Session& s, const ObjectInfo& info, long long to, DryRun dry_run) {
  if (to < 0) return revision_not_found(to);
  std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
  auto got = s.client->get(path, kJsonAccept);
  if (!got.ok()) return CmdError::msg("failed to retrieve Deployment " + info.name + ": " + go_error_text(got.error()));
  if (got->status >= 400) {
    CmdError e = status_error_from_response(got->status, got->body, "get", info.mapping.resource.name, info.name);
    return CmdError::msg("failed to retrieve Deployment " + info.name + ": " + e.message);
  }
  Json deployment = typed_object(Json::parse(got->body, nullptr, false), info.mapping);
  auto rs = deployment_revision(s, deployment, to);
  if (!rs.ok()) return rs.error();
  Json rs_typed = typed_object(*rs, replica_set_mapping());
  Json tmpl = rs_typed["spec"]["template"];
  if (dry_run == DryRun::kClient) return print_template(tmpl);
  if (deployment["spec"].value("paused", false))
    return CmdError::msg("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try "
                         "again");
  if (same(without_hash(tmpl), without_hash(deployment["spec"]["template"])))
    return "skipped rollback (current template already matches revision " + std::to_string(to) + ")";
  if (tmpl["metadata"].contains("labels") && tmpl["metadata"]["labels"].is_object()) tmpl["metadata"]["labels"].erase(kHashLabel);

  // The deployment keeps its own bookkeeping annotations; the rest come from the ReplicaSet.
  static const char* const kSkip[] = {"kubectl.kubernetes.io/last-applied-configuration",
                                      "deployment.kubernetes.io/revision",
                                      "deployment.kubernetes.io/revision-history",
                                      "deployment.kubernetes.io/desired-replicas",
                                      "deployment.kubernetes.io/max-replicas",
                                      "deprecated.deployment.rollback.to"};
  auto skipped = [](const std::string& k) {
    for (const char* s : kSkip)
      if (k == s) return true;
    return false;
  };
  std::map<std::string, Json> annotations;  // a Go map: keys encode sorted
  const Json& dmeta = deployment["metadata"];
  if (dmeta.contains("annotations") && dmeta["annotations"].is_object())
    for (auto it = dmeta["annotations"].begin(); it != dmeta["annotations"].end(); ++it)
      if (skipped(it.key())) annotations[it.key()] = it.value();
  const Json& rmeta = (*rs)["metadata"];
  if (rmeta.contains("annotations") && rmeta["annotations"].is_object())
    for (auto it = rmeta["annotations"].begin(); it != rmeta["annotations"].end(); ++it)
      if (!skipped(it.key())) annotations[it.key()] = it.value();
  Json ann = Json::object();
  for (auto& [k, v] : annotations) ann[k] = v;
  Json patch = Json::array({Json{{"op", "replace"}, {"path", "/spec/template"}, {"value", tmpl}},
                            Json{{"op", "replace"}, {"path", "/metadata/annotations"}, {"value", ann}}});
  std::string query = dry_run == DryRun::kServer ? "?dryRun=All" : "";
  auto r = s.client->send("PATCH", path + query, "application/json-patch+json", to_go_json_ordered(patch));
  std::string failed = "failed restoring revision " + std::to_string(to) + ": ";
  if (!r.ok()) return CmdError::msg(failed + go_error_text(r.error()));
  if (r->status >= 400)
    return CmdError::msg(failed +
                         status_error_from_response(r->status, r->body, "patch", info.mapping.resource.name, info.name)
                             .message);
  return std::string("rolled back");
}

}  // namespace

void add_rollout_undo_flags(FlagSet& f) {
  add_rollout_target_flags(f);
  add_print_flags(f);
  add_dry_run_flag(f);
  f.add_int("to-revision", 0, 0);
}

int run_rollout_undo(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return report_error(env.out, dry.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  if (auto err = require_rollout_targets(env)) return report_error(env.out, *err);
  std::vector<ObjectInfo> infos;
  std::vector<CmdError> errs;
  if (auto fatal = resolve_rollout_objects(s, infos, errs)) return report_error(env.out, *fatal);
  long long to = f.get_int("to-revision");
  for (auto& info : infos) {
    const auto& r = info.mapping.resource;
    if (auto err = visitor_error(info))
      return report_error(env.out, CmdError::msg("error retrieving rollbacker for " +
                                                 go_json_quote(group_kind_string(info)) + ", " + *err));
    bool apps = r.group == "apps" || r.group == "extensions";
    if (!(apps && r.kind == "Deployment")) {
      if ((apps && r.kind == "DaemonSet") || (r.group == "apps" && r.kind == "StatefulSet"))
        return report_error(env.out, CmdError::msg("kapi does not implement \"rollout undo\" for " + r.name + " yet"));
      return report_error(env.out, CmdError::msg("no rollbacker has been implemented for " +
                                                 go_json_quote(group_kind_string(info))));
    }
    auto result = rollback_deployment(s, info, to, *dry);
    if (!result.ok()) return report_error(env.out, result.error());
    if (auto err = print_set_result(env, *result + dry_run_suffix(*dry), *info.object)) return report_error(env.out, *err);
    flush_stdout(env.out);
  }
  if (!errs.empty()) return report_errors(env.out, errs);
  return 0;
}

}  // namespace kapi::client
