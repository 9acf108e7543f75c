// `kapi apply -f`: kubectl's apply (pkg/cmd/apply/apply.go, patcher.go). Client-side: the
// three-way strategic merge patch against the last-applied annotation, create when missing,
// "unchanged" when the patch is empty, and up to five retries on conflict. --server-side: the
// manifest as an apply patch. --prune (client/cmd/apply_prune.h), -l/--all.
// --dry-run=client|server, -o name|json|yaml|jsonpath.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "client/cmd/apply_patch.h"
#include "client/cmd/apply_prune.h"
#include "client/cmd/cmd_util.h"
#include "client/cmd/command.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_writer.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/printers/object_printer.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// The tree with every object's keys in sorted order (how Go encodes an unstructured map).
Json sorted_keys(const Json& j) {
  if (j.is_array()) {
    Json out = Json::array();
    for (const auto& e : j) out.push_back(sorted_keys(e));
    return out;
  }
  if (!j.is_object()) return j;
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  Json out = Json::object();
  for (const auto& k : keys) out[k] = sorted_keys(j[k]);
  return out;
}

// Server-side apply of one object (apply.go applyOneObject with --server-side): the whole
// manifest as an apply patch. Returns the server's answer, or nullopt with the error in errs.
// (kubectl's follow-up requests that migrate client-side-apply field owners are not sent.)
std::optional<Json> server_side_apply(Session& s, const std::string& query, const ObjectInfo& info,
                                      const std::string& path, std::vector<CmdError>& errs) {
  std::string q = query + "&force=" + (s.env.flags.get_bool("force-conflicts") ? "true" : "false");
  auto r = s.client->send("PATCH", path + q, "application/apply-patch+yaml", to_go_json(*info.object));
  if (!r.ok()) {
    errs.push_back(r.error());
    return std::nullopt;
  }
  if (r->status >= 400) {
    CmdError e = status_error_from_response(r->status, r->body, "patch", info.mapping.resource.name, info.name);
    if (r->status == 415)
      e = CmdError::msg("Server-side apply not available on the server: (" + e.message + ")");
    else if (e.kind == CmdError::Kind::kStatus && e.reason == "Conflict")
      e = CmdError::msg(e.message +
                        "\nPlease review the fields above--they currently have other managers. Here\n"
                        "are the ways you can resolve this warning:\n"
                        "* If you intend to manage all of these fields, please re-run the apply\n"
                        "  command with the `--force-conflicts` flag.\n"
                        "* If you do not intend to manage all of the fields, please edit your\n"
                        "  manifest to remove references to the fields that should keep their\n"
                        "  current managers.\n"
                        "* You may co-own fields by updating your manifest to match the existing\n"
                        "  value; in this case, you'll become the manager if the other manager(s)\n"
                        "  stop managing the field (remove it from their configuration).\n"
                        "See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts");
    errs.push_back(e);
    return std::nullopt;
  }
  return Json::parse(r->body, nullptr, false);
}

// The -o printer's options (a typed List when several objects print together).
ObjectPrintOptions print_options(const FlagSet& f, const std::string& output, bool list) {
  ObjectPrintOptions po{output, f.get_string("template"), false, f.get_bool("show-managed-fields"), list};
  if (auto eq = output.find('='); eq != std::string::npos) {
    po.format = output.substr(0, eq);
    po.template_arg = output.substr(eq + 1);
  }
  if (po.format.empty() && !po.template_arg.empty()) po.format = "go-template";
  po.allow_missing_keys = f.get_bool("allow-missing-template-keys");
  return po;
}

}  // namespace

int run_apply(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"kustomize", "subresource"})
    if (f.changed(unsupported))
      return report_error(env.out, CmdError::msg(std::string("kapi does not support --") + unsupported + " for apply yet"));
  if (auto err = unexpected_args(env, "apply", {"edit-last-applied", "set-last-applied", "view-last-applied"}))
    return report_error(env.out, *err);
  bool server_side = f.get_bool("server-side");
  auto dry_run = dry_run_strategy(f);
  if (!dry_run.ok()) return report_error(env.out, dry_run.error());
  if (f.get_strings("filename").empty())
    return report_error(env.out, CmdError::msg("must specify one of -f and -k"));
  auto validation = validation_directive(f);
  if (!validation.ok()) return report_error(env.out, validation.error());
  Session s(env);
  bool opened = false;
  const bool prune = f.get_bool("prune");
  std::vector<PruneResource> prune_allowlist;
  if (prune && !f.get_strings("prune-allowlist").empty()) {  // ToOptions maps the allowlist before Validate
    if (auto err = s.open()) return report_error(env.out, *err);
    opened = true;
    auto parsed = parse_prune_allowlist(s, f.get_strings("prune-allowlist"));
    if (!parsed.ok()) return report_error(env.out, parsed.error());
    prune_allowlist = std::move(*parsed);
  }
  // Validate
  if (f.get_bool("force-conflicts") && !server_side)
    return report_error(env.out, CmdError::msg("--force-conflicts only works with --server-side"));
  if (*dry_run == DryRun::kClient && server_side)
    return report_error(env.out, CmdError::msg("--dry-run=client doesn't work with --server-side (did you mean "
                                               "--dry-run=server instead?)"));
  if (server_side && f.get_bool("force"))
    return report_error(env.out, CmdError::msg("--force cannot be used with --server-side"));
  if (*dry_run == DryRun::kServer && f.get_bool("force"))
    return report_error(env.out, CmdError::msg("--dry-run=server cannot be used with --force"));
  const std::string selector_text = f.get_string("selector");
  if (f.get_bool("all") && !selector_text.empty())
    return report_error(env.out, CmdError::msg("cannot set --all and --selector at the same time"));
  if (prune) {
    // Forcing recreates objects, which changes their UIDs under the pruner.
    if (f.get_bool("force")) return report_error(env.out, CmdError::msg("--force cannot be used with --prune"));
    if (!f.get_bool("all") && selector_text.empty())
      return report_error(env.out, CmdError::msg("all resources selected for prune without explicitly passing --all. To "
                                                 "prune all resources, pass the --all flag. If you did not mean to "
                                                 "prune all resources, specify a label selector"));
    if (server_side)
      return report_error(env.out, CmdError::msg("--prune is in alpha and doesn't currently work on objects created by "
                                                 "server-side apply"));
  }
  // GetApplyFieldManagerFlag: "kubectl" for server-side apply unless --field-manager is given.
  const std::string query = write_query(f, *dry_run, server_side && !f.changed("field-manager") ? "kubectl" : "");
  if (!opened)
    if (auto err = s.open()) return report_error(env.out, *err);
  // The builder's LabelSelectorParam: only the manifest objects the selector matches.
  auto selector = machinery::parse_label_selector(selector_text);
  if (!selector.ok())
    return report_error(env.out, CmdError::msg("the provided selector " + go_json_quote(selector_text) +
                                               " is not valid: " + selector.error()));
  Pruner pruner;
  const std::string suffix = dry_run_suffix(*dry_run);
  // -o other than name prints the objects once all are applied (printObjects).
  std::string output = f.get_string("output");
  bool print_at_end = !output.empty() && output != "name";
  std::vector<Json> applied;
  auto print_one = [&](const ObjectInfo& info, const std::string& op, Json obj) {
    if (prune) pruner.visit(info, obj);
    if (print_at_end) {
      applied.push_back(std::move(obj));
      return;
    }
    if (output == "name") env.out += info.mapping.group_kind_lower() + "/" + info.name + "\n";
    else env.out += name_line(info, op + suffix);
    flush_stdout(env.out);
  };

  std::vector<CmdError> errs;
  auto infos = read_objects(s, errs);
  if (!infos.ok()) return report_error(env.out, infos.error());
  if (!selector->empty())
    std::erase_if(*infos, [&](const ObjectInfo& i) {
      return !selector->matches_json(i.object->value("metadata", Json::object()).value("labels", Json::object()));
    });
  if (infos->empty() && errs.empty()) return report_error(env.out, CmdError::msg("no objects passed to apply"));

  for (auto& info : *infos) {
    if (info.name.empty()) {
      Json meta = info.object->contains("metadata") && (*info.object)["metadata"].is_object() ? (*info.object)["metadata"]
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
    if (server_side) {
      if (auto obj = server_side_apply(s, query, info, path, errs)) print_one(info, "serverside-applied", std::move(*obj));
      continue;
    }
    auto got = s.client->get(path, "application/json");
    if (!got.ok()) {
      errs.push_back(got.error());
      continue;
    }
    if (got->status == 404) {
      std::string modified = modified_configuration(*info.object, false);
      (*info.object)["metadata"]["annotations"][kLastApplied] = modified;
      Json result = *info.object;
      if (*dry_run != DryRun::kClient) {
        auto r = create_object(s, query, info, errs);
        if (!r) continue;
        result = Json::parse(r->body, nullptr, false);
      }
      print_one(info, "created", std::move(result));
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
    if (*dry_run == DryRun::kClient) {
      print_one(info, "configured", std::move(*current));
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
    std::string modified_text = modified_configuration(*info.object, true);
    Json modified = Json::parse(modified_text);
    bool patched = false, failed = false;
    for (int attempt = 0; attempt <= 5 && !patched && !failed; ++attempt) {
      auto patch = client_apply_patch(*current, modified, modified_text, info);
      if (!patch.ok()) {
        errs.push_back(patch.error());
        failed = true;
        break;
      }
      const std::string& content_type = patch->content_type;
      const std::string& patch_text = patch->text;
      if (patch_text == "{}") {
        print_one(info, "unchanged", *current);
        patched = true;
        break;
      }
      auto r = s.client->send("PATCH", path + query, content_type, patch_text);
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
      print_one(info, "configured", Json::parse(r->body, nullptr, false));
      patched = true;
    }
  }
  if (!errs.empty()) return report_errors(env.out, errs);
  if (print_at_end && !applied.empty()) {
    // A single object prints bare, several as a typed corev1.List (struct order outside, the
    // unstructured items' keys sorted inside).
    bool list = applied.size() > 1;
    Json obj;
    if (list) {
      Json items = Json::array();
      for (auto& a : applied) items.push_back(sorted_keys(a));
      obj = Json{{"kind", "List"}, {"apiVersion", "v1"}, {"metadata", Json::object()}, {"items", std::move(items)}};
    } else {
      obj = std::move(applied[0]);
    }
    ObjectPrintOptions po = print_options(f, output, list);
    if (po.format == "custom-columns" || po.format == "custom-columns-file" || po.format == "wide")
      return report_error(env.out, CmdError::msg("kapi does not support -o " + output + " for apply yet"));
    if (auto err = print_object_to(po, std::move(obj), env.out)) return report_error(env.out, *err);
  }
  if (prune) {
    // The pruned objects go through the same printer with operation "pruned", one at a time.
    auto print_pruned = [&](const ObjectInfo& info, const Json& obj) {
      if (print_at_end) {
        print_object_to(print_options(f, output, false), obj, env.out);
      } else if (output == "name") {
        env.out += info.mapping.group_kind_lower() + "/" + info.name + "\n";
      } else {
        env.out += name_line(info, "pruned" + suffix);
      }
      flush_stdout(env.out);
    };
    if (auto err = pruner.prune_all(s, prune_allowlist, selector_text, *dry_run, print_pruned))
      return report_error(env.out, *err);
  }
  return 0;
}

void add_apply_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("all", 0, false);
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string("cascade", 0, "background");
  add_dry_run_flag(f);
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
  f.add_duration("timeout", "0s");
  f.add_string("validate", 0, "strict");
  f.add_bool("wait", 0, false);
}

}  // namespace kapi::client
