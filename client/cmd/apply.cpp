// `kapi apply -f`: kubectl's client-side apply (pkg/cmd/apply/apply.go, patcher.go): the
// three-way strategic merge patch against the last-applied annotation, create when missing,
// "unchanged" when the patch is empty, and up to five retries on conflict.
#include <functional>
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_writer.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/json_patch.h"
#include "pkg/machinery/strategic_patch.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// jsonmergepatch.CreateThreeWayJSONMergePatch, simplified: deletions from original->modified,
// additions and changes from current->modified.
Json three_way_json_merge_patch(const Json& original, const Json& modified, const Json& current) {
  std::function<void(Json&)> keep_nulls = [&](Json& p) {
    if (!p.is_object()) return;
    for (auto it = p.begin(); it != p.end();) {
      if (it->is_null()) { ++it; continue; }
      if (it->is_object()) {
        keep_nulls(*it);
        if (it->empty()) { it = p.erase(it); continue; }
        ++it;
        continue;
      }
      it = p.erase(it);
    }
  };
  std::function<void(Json&)> drop_nulls = [&](Json& p) {
    if (!p.is_object()) return;
    for (auto it = p.begin(); it != p.end();) {
      if (it->is_null()) { it = p.erase(it); continue; }
      if (it->is_object()) {
        drop_nulls(*it);
        if (it->empty()) { it = p.erase(it); continue; }
      }
      ++it;
    }
  };
  auto del = machinery::create_merge_patch(original, modified);
  auto add = machinery::create_merge_patch(current, modified);
  Json d = del.ok() ? *del : Json::object();
  Json a = add.ok() ? *add : Json::object();
  keep_nulls(d);
  drop_nulls(a);
  auto merged = machinery::apply_merge_patch(d, a);
  return merged.ok() ? *merged : a;
}

}  // namespace

int run_apply(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"server-side", "prune", "kustomize", "selector", "dry-run", "output", "all"})
    if (f.changed(unsupported))
      return report_error(env.out, CmdError::msg(std::string("kapi does not support --") + unsupported + " for apply yet"));
  if (auto err = unexpected_args(env, "apply", {"edit-last-applied", "set-last-applied", "view-last-applied"}))
    return report_error(env.out, *err);
  if (f.get_strings("filename").empty())
    return report_error(env.out, CmdError::msg("must specify one of -f and -k"));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);

  std::vector<CmdError> errs;
  auto infos = read_objects(s, errs);
  if (!infos.ok()) return report_error(env.out, infos.error());
  if (infos->empty() && errs.empty()) return report_error(env.out, CmdError::msg("no objects passed to apply"));

  for (auto& info : *infos) {
    if (info.name.empty()) {
      Json meta = (*info.object).contains("metadata") && (*info.object)["metadata"].is_object() ? (*info.object)["metadata"]
                                                                                          : Json::object();
      std::string generate = meta.contains("generateName") && meta["generateName"].is_string()
                                 ? meta["generateName"].get<std::string>()
                                 : "";
      if (!generate.empty())
        errs.push_back(CmdError::msg("from " + generate + ": cannot use generate name with apply"));
      else
        errs.push_back(CmdError::msg("error when retrieving current configuration of:\n" + info_string(info) +
                                     "\nfrom server for: " + go_json_quote(info.source) +
                                     ": resource name may not be empty"));
      continue;
    }
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    auto got = s.client->get(path, "application/json");
    if (!got.ok()) {
      errs.push_back(got.error());
      continue;
    }
    if (got->status == 404) {
      std::string modified = modified_configuration((*info.object), false);
      (*info.object)["metadata"]["annotations"][kLastApplied] = modified;
      if (!create_object(s, f, info, errs)) continue;
      env.out += name_line(info, "created");
      flush_stdout(env.out);
      continue;
    }
    if (got->status >= 400) {
      CmdError e = status_error_from_response(got->status, got->body, "get", info.mapping.resource.name, info.name);
      errs.push_back(CmdError::msg("error when retrieving current configuration of:\n" + info_string(info) +
                                   "\nfrom server for: " + go_json_quote(info.source) + ": " + e.message));
      continue;
    }
    auto current = parse_object(*got);
    if (!current.ok()) {
      errs.push_back(current.error());
      continue;
    }
    Json live_annots = annotations_of(*current);
    if (!live_annots.contains(kLastApplied)) {
      flush_stdout(env.out);
      write_stderr("Warning: resource " + info.mapping.resource.name + "/" + info.name + " is missing the " + kLastApplied +
                   " annotation which is required by kubectl apply. kubectl apply should only be used on resources "
                   "created declaratively by either kubectl create --save-config or kubectl apply. The missing "
                   "annotation will be patched automatically.\n");
    }
    std::string modified_text = modified_configuration((*info.object), true);
    Json modified = Json::parse(modified_text);
    const machinery::PatchSchema* schema = patch_schema_for(info.mapping);
    bool patched = false, failed = false;
    for (int attempt = 0; attempt <= 5 && !patched && !failed; ++attempt) {
      Json original = Json::object();
      Json annots = annotations_of(*current);
      if (annots.contains(kLastApplied) && annots[kLastApplied].is_string()) {
        auto o = Json::parse(annots[kLastApplied].get<std::string>(), nullptr, false);
        if (o.is_object()) original = std::move(o);
      }
      Json patch;
      std::string content_type;
      if (schema) {
        auto p = machinery::create_three_way_merge_patch(original, modified, *current, schema, true);
        if (!p.ok()) {
          errs.push_back(CmdError::msg("creating patch with:\noriginal:\n" + to_go_json(original) + "\nmodified:\n" +
                                       modified_text.substr(0, modified_text.size() - 1) + "\ncurrent:\n" +
                                       to_go_json(*current) + "\nfor: " + go_json_quote(info.source) + ": " + p.error()));
          failed = true;
          break;
        }
        patch = std::move(*p);
        content_type = "application/strategic-merge-patch+json";
      } else {
        patch = three_way_json_merge_patch(original, modified, *current);
        content_type = "application/merge-patch+json";
      }
      std::string patch_text = to_go_json(patch);
      if (patch_text == "{}") {
        env.out += name_line(info, "unchanged");
        flush_stdout(env.out);
        patched = true;
        break;
      }
      auto r = s.client->send("PATCH", path + write_query(f), content_type, patch_text);
      if (!r.ok()) {
        errs.push_back(r.error());
        failed = true;
        break;
      }
      if (r->status == 409 && attempt < 5) {
        auto again = s.client->get(path, "application/json");
        if (!again.ok() || again->status >= 400) {
          errs.push_back(again.ok() ? status_error_from_response(again->status, again->body) : again.error());
          failed = true;
          break;
        }
        auto c2 = parse_object(*again);
        if (!c2.ok()) {
          errs.push_back(c2.error());
          failed = true;
          break;
        }
        current = std::move(c2);
        continue;
      }
      if (r->status >= 400) {
        errs.push_back(add_source("applying patch:\n" + patch_text + "\nto:\n" + info_string(info) + "\nfor:", info.source,
                                  status_error_from_response(r->status, r->body, "patch", info.mapping.resource.name, info.name)));
        failed = true;
        break;
      }
      env.out += name_line(info, "configured");
      flush_stdout(env.out);
      patched = true;
    }
  }
  return report_errors(env.out, errs);
}


void add_apply_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("all", 0, false);
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string("cascade", 0, "background");
  f.add_string("dry-run", 0, "none");
  f.add_string("field-manager", 0, "kubectl-client-side-apply");
  f.add_bool("force", 0, false);
  f.add_bool("force-conflicts", 0, false);
  f.add_int("grace-period", 0, -1);
  f.add_bool("openapi-patch", 0, true);
  f.add_string("output", 'o', "");
  f.add_bool("overwrite", 0, true);
  f.add_bool("prune", 0, false);
  f.add_string_array("prune-allowlist", 0);
  f.add_bool("server-side", 0, false);
  f.add_string("selector", 'l', "");
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
  f.add_string("timeout", 0, "0s");
  f.add_string("validate", 0, "strict");
  f.add_bool("wait", 0, false);
}

}  // namespace kapi::client
