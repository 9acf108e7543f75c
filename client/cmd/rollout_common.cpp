#include "client/cmd/rollout_common.h"

#include <nlohmann/json.hpp>

#include "client/cmd/object_visitor.h"
#include "client/describe/containers.h"
#include "client/describe/prefix_writer.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

namespace {

// describe.NewPrefixWriter: indentation, no tab alignment.
class PlainPrefixWriter : public describe::PrefixWriter {
 public:
  void write(int level, std::string_view text) override {
    out_ += describe::escape_terminal(std::string(static_cast<size_t>(level) * 2, ' ') + std::string(text));
  }
  void write_line(std::string_view text) override { out_ += std::string(text) + "\n"; }
  std::string str() const { return out_; }

 private:
  std::string out_;
};

// metav1.IsControlledBy.
bool controlled_by(const Json& obj, const std::string& uid) {
  const Json& meta = obj.contains("metadata") ? obj["metadata"] : Json::object();
  if (!meta.contains("ownerReferences") || !meta["ownerReferences"].is_array()) return false;
  for (const auto& ref : meta["ownerReferences"])
    if (ref.is_object() && ref.value("controller", false)) return ref.value("uid", "") == uid;
  return false;
}

// Lists `resource` (apps/v1) in the owner's namespace with the owner's selector; keeps the
// items it controls.
Result<std::vector<Json>> controlled_list(Session& s, const Json& owner, const std::string& resource) {
  const Json& meta = owner["metadata"];
  Json selector = owner.contains("spec") && owner["spec"].contains("selector") ? owner["spec"]["selector"] : Json();
  auto sel = machinery::label_selector_from_json(selector);
  if (!sel.ok()) return CmdError::msg(sel.error());
  std::string path = "/apis/apps/v1/namespaces/" + meta.value("namespace", "") + "/" + resource;
  std::string query = ResourceBuilder::encode_query({{"labelSelector", sel->to_string()}});
  auto r = s.client->get(path + query, kJsonAccept);
  if (!r.ok()) return r.error();
  if (r->status >= 400) return status_error_from_response(r->status, r->body, "list", resource);
  auto list = Json::parse(r->body, nullptr, false);
  std::vector<Json> out;
  if (!list.is_object() || !list.contains("items") || !list["items"].is_array()) return out;
  std::string uid = meta.value("uid", "");
  for (auto& item : list["items"])
    if (controlled_by(item, uid)) out.push_back(std::move(item));
  return out;
}

}  // namespace

void add_rollout_target_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_string("selector", 'l', "");
}

std::optional<CmdError> require_rollout_targets(const CommandEnv& env) {
  if (env.args.empty() && env.flags.get_strings("filename").empty() && env.flags.get_string("kustomize").empty())
    return CmdError::msg("required resource not specified");
  return std::nullopt;
}

std::optional<CmdError> resolve_rollout_objects(Session& s, std::vector<ObjectInfo>& out, std::vector<CmdError>& errs) {
  VisitOptions vo;
  vo.args = s.env.args;
  vo.label_selector = s.env.flags.get_string("selector");
  vo.type_alone_lists = true;
  vo.latest = true;
  return visit_objects(s, vo, [&](ObjectInfo& info) -> std::optional<CmdError> {
    out.push_back(std::move(info));
    return std::nullopt;
  }, errs);
}

std::string resource_string(const ObjectInfo& info) {
  const auto& r = info.mapping.resource;
  return r.name + (r.group.empty() ? "" : "." + r.group);
}

std::string group_kind_string(const ObjectInfo& info) {
  const auto& r = info.mapping.resource;
  return r.kind + (r.group.empty() ? "" : "." + r.group);
}

std::optional<std::string> visitor_error(const ObjectInfo& info) {
  const std::string& g = info.mapping.resource.group;
  const std::string& k = info.mapping.resource.kind;
  bool apps = g == "apps" || g == "extensions", core = g.empty() || g == "core", batch = g == "batch";
  if ((apps && (k == "DaemonSet" || k == "Deployment" || k == "ReplicaSet")) || (g == "apps" && k == "StatefulSet") ||
      (batch && (k == "Job" || k == "CronJob")) || (core && (k == "Pod" || k == "ReplicationController")))
    return std::nullopt;
  return "no visitor method exists for {" + g + " " + k + "}";
}

std::optional<long long> revision_of(const Json& obj, std::string* err) {
  const Json& meta = obj.contains("metadata") ? obj["metadata"] : Json::object();
  if (!meta.contains("annotations") || !meta["annotations"].is_object()) return 0;
  const Json& a = meta["annotations"];
  if (!a.contains("deployment.kubernetes.io/revision") || !a["deployment.kubernetes.io/revision"].is_string()) return 0;
  std::string v = a["deployment.kubernetes.io/revision"].get<std::string>();
  try {
    size_t used = 0;
    long long n = std::stoll(v, &used, 10);
    if (used == v.size() && !v.empty() && v[0] != ' ') return n;
  } catch (...) {
  }
  if (err) *err = "strconv.ParseInt: parsing \"" + v + "\": invalid syntax";
  return std::nullopt;
}

Result<std::vector<Json>> deployment_replica_sets(Session& s, const Json& deployment) {
  return controlled_list(s, deployment, "replicasets");
}

Result<std::vector<Json>> controller_revisions(Session& s, const Json& owner) {
  return controlled_list(s, owner, "controllerrevisions");
}

std::string print_template(const Json& tmpl) {
  PlainPrefixWriter w;
  describe::describe_pod_template(tmpl, w);
  return w.str();
}

}  // namespace kapi::client

#include "client/cmd/print_flags.h"
#include "client/cmd/set_common.h"

namespace kapi::client {

void add_rollout_patch_flags(FlagSet& f) {
  add_rollout_target_flags(f);
  add_print_flags(f);
  f.add_string("field-manager", 0, "kubectl-rollout");
}

int run_rollout_patch_command(CommandEnv& env, const std::function<Result<bool>(Json&, ObjectInfo&)>& mutate,
                              const std::string& operation,
                              const std::function<std::optional<CmdError>(CommandEnv&, ObjectInfo&)>& unchanged) {
  if (auto err = require_rollout_targets(env)) return report_error(env.out, *err);
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  std::vector<ObjectInfo> infos;
  std::vector<CmdError> errs;
  if (auto fatal = resolve_rollout_objects(s, infos, errs)) return report_error(env.out, *fatal);
  auto patches = calculate_patches(infos, mutate);
  if (patches.empty() && errs.empty()) {
    write_stderr("No resources found in " + s.namespace_ + " namespace.\n");
    return 0;
  }
  for (auto& p : patches) {
    ObjectInfo& info = *p.info;
    if (p.err) {
      errs.push_back(CmdError::msg("error: " + resource_string(info) + " \"" + info.name + "\" " +
                                   message_for_error(*p.err)));
      continue;
    }
    if (p.patch == "{}" || p.patch.empty()) {
      if (auto err = unchanged(env, info)) errs.push_back(*err);
      continue;
    }
    auto actual = send_strategic_patch(s, info, p.patch, DryRun::kNone, env.flags.get_string("field-manager"),
                                       "failed to patch: ");
    if (!actual.ok()) {
      errs.push_back(actual.error());
      continue;
    }
    if (auto err = print_set_result(env, operation, std::move(*actual))) errs.push_back(*err);
  }
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
