#include "client/cmd/set_common.h"

#include <nlohmann/json.hpp>

#include "client/cmd/object_visitor.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

namespace {

const runtime::StructType* struct_type_for(const RestMapping& m) {
  std::string g = m.resource.group.empty() ? "core" : m.resource.group.substr(0, m.resource.group.find('.'));
  return runtime::Schema::get().find("io.k8s.api." + g + "." + m.resource.version, m.resource.kind);
}

Json* child(Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_object()) return nullptr;
  return &*it;
}

}  // namespace

std::vector<CmdError> resolve_set_objects(Session& s, const SetTargets& t, std::vector<ObjectInfo>& infos) {
  if (t.local && !t.resources.empty())
    return {CmdError::msg("you must specify resources by --filename when --local is set.\n"
                         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'")};
  VisitOptions vo;
  if (!t.local) {
    vo.args = t.resources;
    vo.label_selector = t.selector;
    vo.all = t.all;
    vo.latest = true;
  }
  vo.local = t.local;
  std::vector<CmdError> errs;
  auto fatal = visit_objects(s, vo, [&](ObjectInfo& info) -> std::optional<CmdError> {
    infos.push_back(std::move(info));
    return std::nullopt;
  }, errs);
  if (fatal) return {*fatal};
  return errs;
}

Json typed_object(const Json& obj, const RestMapping& m) {
  const runtime::StructType* type = struct_type_for(m);
  if (!type) return obj;
  runtime::DecodeResult dr;
  return runtime::normalize(obj, *type, dr);
}

std::string go_type_name(const RestMapping& m) {
  if (!struct_type_for(m)) return "*unstructured.Unstructured";
  return "*" + m.resource.version + "." + m.resource.kind;
}

Result<Json*> pod_spec_of(Json& typed, const RestMapping& m) {
  const std::string& g = m.resource.group;
  const std::string& k = m.resource.kind;
  Json* spec = child(typed, "spec");
  auto fail = [&]() -> Result<Json*> {
    return CmdError::msg("the object is not a pod or does not have a pod template: " + go_type_name(m));
  };
  if (!struct_type_for(m) || !spec) return fail();
  if (g.empty() && k == "Pod") return spec;
  auto template_spec = [&](Json& parent) -> Result<Json*> {
    if (!parent.contains("template") || !parent["template"].is_object()) parent["template"] = Json::object();
    Json& tmpl = parent["template"];
    if (!tmpl.contains("spec") || !tmpl["spec"].is_object()) tmpl["spec"] = Json::object();
    return &tmpl["spec"];
  };
  if (g.empty() && k == "ReplicationController") return template_spec(*spec);
  bool apps = g == "apps" || g == "extensions";
  if (apps && (k == "Deployment" || k == "DaemonSet" || k == "ReplicaSet" || k == "StatefulSet"))
    return template_spec(*spec);
  if (g == "batch" && k == "Job") return template_spec(*spec);
  if (g == "batch" && k == "CronJob") {
    Json* job = child(*spec, "jobTemplate");
    Json* job_spec = job ? child(*job, "spec") : nullptr;
    if (!job_spec) return fail();
    return template_spec(*job_spec);
  }
  return fail();
}

bool select_string(const std::string& s, const std::string& spec) {
  if (spec == "*") return true;
  if (spec.find('*') == std::string::npos) return s == spec;
  // A transcription of upstream's loop, including its quirks (positions are relative).
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t star = spec.find('*', start);
    parts.push_back(spec.substr(start, star == std::string::npos ? std::string::npos : star - start));
    if (star == std::string::npos) break;
    start = star + 1;
  }
  long pos = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.empty()) continue;
    size_t found = s.find(part, static_cast<size_t>(pos));
    long next = found == std::string::npos ? -1 : static_cast<long>(found) - pos;
    if (next < pos) return false;
    if (i == 0 && pos != 0) return false;
    if (i == parts.size() - 1 && static_cast<long>(s.size()) != static_cast<long>(part.size()) + next) return false;
    pos = next;
  }
  return true;
}

std::vector<Json*> select_containers(Json& spec, const std::string& selector) {
  std::vector<Json*> out;
  for (const char* key : {"containers", "initContainers"}) {
    if (!spec.contains(key) || !spec[key].is_array()) continue;
    for (auto& c : spec[key])
      if (c.is_object() && select_string(c.value("name", ""), selector)) out.push_back(&c);
  }
  return out;
}

std::string object_name(const ObjectInfo& info) { return info.mapping.resource.name + "/" + info.name; }

Result<std::string> two_way_patch(const Json& before, const Json& after, const RestMapping& m) {
  auto p = machinery::create_two_way_merge_patch(before, after, patch_schema_for(m));
  if (!p.ok()) return CmdError::msg(p.error());
  return to_go_json(*p);
}

Result<Json> send_strategic_patch(Session& s, const ObjectInfo& info, const std::string& patch, DryRun dry_run,
                                  const std::string& field_manager, const std::string& error_prefix) {
  std::vector<std::pair<std::string, std::string>> q = {{"fieldManager", field_manager}};
  if (dry_run == DryRun::kServer) q.emplace_back("dryRun", "All");
  std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
  auto r = s.client->send("PATCH", path + ResourceBuilder::encode_query(q), "application/strategic-merge-patch+json",
                          patch);
  if (!r.ok()) return CmdError::msg(error_prefix + go_error_text(r.error()));
  if (r->status >= 400) {
    CmdError e = status_error_from_response(r->status, r->body, "patch", info.mapping.resource.name, info.name);
    if (error_prefix.empty()) return e;
    return CmdError::msg(error_prefix + e.message);
  }
  auto obj = parse_object(*r);
  if (!obj.ok()) return obj.error();
  return std::move(*obj);
}

std::optional<CmdError> print_set_result(CommandEnv& env, const std::string& operation, Json obj) {
  return print_with_flags(env.flags, operation, std::move(obj), env.out, /*printer_per_object=*/false, /*typed=*/true);
}

std::vector<SetPatch> calculate_patches(std::vector<ObjectInfo>& infos, const SetMutation& mutate) {
  std::vector<SetPatch> out;
  for (auto& info : infos) {
    SetPatch p;
    p.info = &info;
    Json before = typed_object(*info.object, info.mapping);
    p.after = before;
    auto changed = mutate(p.after, info);
    if (!changed.ok()) {
      p.err = changed.error();
    } else if (!*changed) {
      continue;
    } else {
      p.after = typed_object(p.after, info.mapping);
      auto patch = two_way_patch(before, p.after, info.mapping);
      if (patch.ok()) p.patch = *patch;
      else p.err = patch.error();
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<CmdError> run_set_patches(Session& s, std::vector<SetPatch>& patches, const SetPatchOptions& o,
                                        std::vector<CmdError>& errs) {
  std::string operation = o.operation + dry_run_suffix(o.dry_run);
  for (auto& p : patches) {
    if (p.err) {
      errs.push_back(CmdError::msg("error: " + object_name(*p.info) + " " + message_for_error(*p.err) + "\n"));
      continue;
    }
    if (o.skip_unchanged && (p.patch == "{}" || p.patch.empty())) continue;
    if (o.local || o.dry_run == DryRun::kClient) {
      if (auto err = print_set_result(s.env, operation, p.after)) errs.push_back(*err);
      continue;
    }
    auto actual = send_strategic_patch(s, *p.info, p.patch, o.dry_run, o.field_manager, o.error_prefix);
    if (!actual.ok()) {
      errs.push_back(actual.error());
      continue;
    }
    if (o.after_patch)
      if (auto err = o.after_patch()) return err;
    if (auto err = print_set_result(s.env, operation, std::move(*actual))) errs.push_back(*err);
  }
  return std::nullopt;
}

void add_set_flags(FlagSet& f, bool with_selector, bool with_all) {
  add_file_flags(f);
  add_print_flags(f);
  add_dry_run_flag(f);
  if (with_all) f.add_bool("all", 0, false);
  f.add_string("field-manager", 0, "kubectl-set");
  f.add_bool("local", 0, false);
  if (with_selector) f.add_string("selector", 'l', "");
}

}  // namespace kapi::client
