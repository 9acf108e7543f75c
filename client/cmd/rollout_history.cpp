// `kapi rollout history RESOURCE [--revision=N] [-o FORMAT]` (kubectl pkg/cmd/rollout/
// rollout_history.go, polymorphichelpers/history.go): the revisions of a Deployment (its
// ReplicaSets) or of a DaemonSet/StatefulSet (its ControllerRevisions) with their change
// causes, one revision's pod template, or the revision objects themselves with -o.
#include <map>
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/print_flags.h"
#include "client/cmd/rollout_common.h"
#include "client/cmd/set_common.h"
#include "client/cmd/object_writer.h"
#include "client/printers/go_json.h"
#include "client/printers/tabwriter.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/strategic_patch.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::string change_cause(const Json& obj) {
  const Json& meta = obj.contains("metadata") ? obj["metadata"] : Json::object();
  if (!meta.contains("annotations") || !meta["annotations"].is_object()) return "";
  return meta["annotations"].value("kubernetes.io/change-cause", "");
}

// The history of one object: revision -> (the object to print with -o, its pod template,
// its change cause).
struct Revision {
  Json object, pod_template;
  std::string change_cause;
};
using History = std::map<long long, Revision>;

Result<Json> get_owner(Session& s, const ObjectInfo& info, const std::string& what, const std::string& wrap_suffix) {
  auto r = s.client->get(ResourceBuilder::path_for(info.mapping, info.namespace_, info.name), kJsonAccept);
  CmdError e;
  if (!r.ok()) e = r.error();
  else if (r->status >= 400) e = status_error_from_response(r->status, r->body, "get", info.mapping.resource.name, info.name);
  else return Json::parse(r->body, nullptr, false);
  return CmdError::msg("failed to retrieve " + what + " " + info.name + ": " + message_for_error(e) + wrap_suffix);
}

RestMapping replica_set_mapping() {
  RestMapping m;
  m.resource.group = "apps";
  m.resource.version = "v1";
  m.resource.name = "replicasets";
  m.resource.kind = "ReplicaSet";
  m.resource.namespaced = true;
  return m;
}

Result<History> deployment_history(Session& s, const ObjectInfo& info) {
  auto d = get_owner(s, info, "deployment", "");
  if (!d.ok()) return d.error();
  auto rss = deployment_replica_sets(s, *d);
  if (!rss.ok())
    return CmdError::msg("failed to retrieve replica sets from deployment " + info.name + ": " + message_for_error(rss.error()));
  History h;
  for (auto& rs : *rss) {
    auto v = revision_of(rs);
    if (!v) continue;  // kubectl logs a klog warning and skips it
    // List items carry no TypeMeta; the printer sets it (TypeSetterPrinter).
    rs["apiVersion"] = "apps/v1";
    rs["kind"] = "ReplicaSet";
    Json typed = typed_object(rs, replica_set_mapping());
    Revision r;
    r.pod_template = typed["spec"]["template"];
    r.change_cause = change_cause(rs);
    if (!r.change_cause.empty()) {
      if (!r.pod_template["metadata"].contains("annotations") || !r.pod_template["metadata"]["annotations"].is_object())
        r.pod_template["metadata"]["annotations"] = Json::object();
      r.pod_template["metadata"]["annotations"]["kubernetes.io/change-cause"] = r.change_cause;
    }
    r.object = std::move(typed);
    h[*v] = std::move(r);
  }
  return h;
}

// DaemonSet and StatefulSet: ControllerRevisions, each one's data patched onto the owner.
Result<History> controller_history(Session& s, const ObjectInfo& info) {
  bool ds = info.mapping.resource.kind == "DaemonSet";
  auto owner = get_owner(s, info, ds ? "DaemonSet" : "StatefulSet", "");
  if (!owner.ok()) return owner.error();
  auto revs = controller_revisions(s, *owner);
  if (!revs.ok())
    return CmdError::msg("unable to find history controlled by " + std::string(ds ? "DaemonSet " : "StatefulSet ") +
                         info.name + ": " + message_for_error(revs.error()));
  History h;
  const auto* schema = patch_schema_for(info.mapping);
  Json typed_owner = typed_object(*owner, info.mapping);
  for (auto& cr : *revs) {
    long long rev = cr.value("revision", 0LL);
    Revision r;
    r.change_cause = change_cause(cr);
    if (cr.contains("data") && cr["data"].is_object()) {
      auto applied = machinery::strategic_merge_patch(typed_owner, cr["data"], schema);
      if (applied.ok()) r.pod_template = typed_object(*applied, info.mapping)["spec"]["template"];
      r.object = applied.ok() ? typed_object(*applied, info.mapping) : typed_owner;
    }
    h[rev] = std::move(r);
  }
  return h;
}

// tabbedString: the overview table.
std::string overview(const History& h) {
  std::string out;
  TabWriter tw(out, 0, 2, false);
  tw.write("REVISION\tCHANGE-CAUSE\n");
  for (const auto& [rev, r] : h) tw.write(std::to_string(rev) + "\t" + (r.change_cause.empty() ? "<none>" : r.change_cause) + "\n");
  tw.flush();
  return out;
}

}  // namespace

void add_rollout_history_flags(FlagSet& f) {
  add_rollout_target_flags(f);
  add_print_flags(f);
  f.add_int("revision", 0, 0);
}

int run_rollout_history(CommandEnv& env) {
  const FlagSet& f = env.flags;
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  if (auto err = require_rollout_targets(env)) return report_error(env.out, *err);
  long long revision = f.get_int("revision");
  if (revision < 0)
    return report_error(env.out, CmdError::msg("revision must be a positive integer: " + std::to_string(revision)));
  std::vector<ObjectInfo> infos;
  std::vector<CmdError> errs;
  if (auto fatal = resolve_rollout_objects(s, infos, errs)) return report_error(env.out, *fatal);
  bool output = f.changed("output") && !f.get_string("output").empty();
  for (auto& info : infos) {
    const auto& r = info.mapping.resource;
    if (auto err = visitor_error(info))
      return report_error(env.out, CmdError::msg("error retrieving history for " + go_json_quote(group_kind_string(info)) +
                                                 ", " + *err));
    bool apps = r.group == "apps" || r.group == "extensions";
    Result<History> h = History{};
    if (apps && r.kind == "Deployment") h = deployment_history(s, info);
    else if ((apps && r.kind == "DaemonSet") || (r.group == "apps" && r.kind == "StatefulSet")) h = controller_history(s, info);
    else
      return report_error(env.out, CmdError::msg("no history viewer has been implemented for " +
                                                 go_json_quote(group_kind_string(info))));
    if (!h.ok()) return report_error(env.out, h.error());
    if (output) {
      if (revision > 0) {
        auto it = h->find(revision);
        if (it == h->end()) return report_error(env.out, CmdError::msg("unable to find the specified revision"));
        if (auto err = print_set_result(env, "", it->second.object)) return report_error(env.out, *err);
      } else {
        for (auto& [rev, rv] : *h)
          if (auto err = print_set_result(env, "", rv.object)) return report_error(env.out, *err);
      }
      continue;
    }
    std::string text;
    if (h->empty()) {
      text = "No rollout history found.";
    } else if (revision > 0) {
      auto it = h->find(revision);
      if (it == h->end()) return report_error(env.out, CmdError::msg("unable to find the specified revision"));
      text = print_template(it->second.pod_template);
    } else {
      text = overview(*h);
    }
    std::string with = revision > 0 ? "with revision #" + std::to_string(revision) : "";
    if (auto err = print_set_result(env, with + "\n" + text, *info.object)) return report_error(env.out, *err);
    flush_stdout(env.out);
  }
  if (!errs.empty()) return report_errors(env.out, errs);
  return 0;
}

}  // namespace kapi::client
