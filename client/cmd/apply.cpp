// `kapi apply -f`, `kapi create -f` and `kapi delete (-f | TYPE NAME...)`: kubectl's
// client-side apply (pkg/cmd/apply/apply.go, patcher.go), create.go and delete.go over the
// file visitor of cli-runtime's resource.Builder (files, directories, stdin; multi-document
// YAML), with upstream's output lines and error wrapping (cmdutil.AddSourceToErr).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/cmd/cmd_util.h"
#include "client/cmd/command.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "client/manifest_reader.h"
#include "client/printers/go_json.h"
#include "client/printers/object_printer.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/json_patch.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/patch_schema.h"
#include "pkg/runtime/schema.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

// One object read from a manifest (resource.Info).
struct ObjectInfo {
  std::string source;  // file path as kubectl names it, or "STDIN"
  Json object;
  RestMapping mapping;
  std::string name, namespace_;
};

// GroupVersionResource.String() / GroupVersionKind.String().
std::string gvr_text(const RestMapping& m) {
  return m.resource.group + "/" + m.resource.version + ", Resource=" + m.resource.name;
}
std::string gvk_text(const RestMapping& m) {
  return m.resource.group + "/" + m.resource.version + ", Kind=" + m.resource.kind;
}

// resource.Info.String().
std::string info_string(const ObjectInfo& i) {
  return "Resource: " + go_json_quote(gvr_text(i.mapping)) + ", GroupVersionKind: " + go_json_quote(gvk_text(i.mapping)) +
         "\nName: " + go_json_quote(i.name) + ", Namespace: " + go_json_quote(i.namespace_);
}

// cmdutil.AddSourceToErr.
CmdError add_source(const std::string& verb, const std::string& source, CmdError err) {
  if (source.empty()) return err;
  if (err.kind == CmdError::Kind::kStatus) {
    err.message = "error when " + verb + " " + go_json_quote(source) + ": " + err.message;
    return err;
  }
  if (err.kind == CmdError::Kind::kMessage) {
    err.message = "error when " + verb + " " + go_json_quote(source) + ": " + err.message;
  }
  return err;
}

struct Session {
  explicit Session(CommandEnv& e) : env(e) {}
  CommandEnv& env;
  RestClient* client = nullptr;
  Discovery* discovery = nullptr;
  std::string namespace_;
  bool explicit_namespace = false;
  DryRun dry_run = DryRun::kNone;
  std::string field_manager;  // empty: --field-manager as given

  // The namespace, the REST client and discovery, in kubectl's order of failure.
  std::optional<CmdError> open() {
    auto ns = env.factory.client_config().namespace_for_request(&explicit_namespace);
    if (!ns.ok()) return ns.error();
    namespace_ = *ns;
    auto c = env.factory.rest_client();
    if (!c.ok()) return c.error();
    auto d = env.factory.discovery();
    if (!d.ok()) return d.error();
    client = *c;
    discovery = *d;
    return std::nullopt;
  }
};

// The file visitor (client/manifest_reader.h) with this command's flags.
Result<std::vector<ObjectInfo>> read_objects(Session& s, std::vector<CmdError>& errs) {
  const FlagSet& f = s.env.flags;
  ManifestOptions o;
  o.filenames = f.get_strings("filename");
  o.recursive = f.get_bool("recursive");
  o.namespace_ = s.namespace_;
  o.explicit_namespace = s.explicit_namespace;
  if (const Flag* validate = f.find("validate")) o.validate = validate->value;
  auto read = read_manifests(o, *s.client, *s.discovery, s.env.out, errs);
  if (!read.ok()) return read.error();
  std::vector<ObjectInfo> out;
  for (auto& m : *read) out.push_back({m.source, std::move(*m.object), m.mapping, m.name, m.namespace_});
  return out;
}

// ?[dryRun=All&]fieldManager=...&fieldValidation=... from --dry-run, --field-manager and
// --validate.
std::string query(const Session& s) {
  const FlagSet& f = s.env.flags;
  std::string v = f.get_string("validate");
  std::string validation = v == "warn" ? "Warn" : (v == "ignore" || v == "false") ? "Ignore" : "Strict";
  std::vector<std::pair<std::string, std::string>> params;
  if (s.dry_run == DryRun::kServer) params.emplace_back("dryRun", "All");
  params.emplace_back("fieldManager", s.field_manager.empty() ? f.get_string("field-manager") : s.field_manager);
  params.emplace_back("fieldValidation", validation);
  return ResourceBuilder::encode_query(params);
}

const machinery::PatchSchema* schema_for(const RestMapping& m) {
  std::string g = m.resource.group.empty() ? "core" : m.resource.group.substr(0, m.resource.group.find('.'));
  const auto* type = runtime::Schema::get().find("io.k8s.api." + g + "." + m.resource.version, m.resource.kind);
  return type ? runtime::patch_schema_for(*type) : nullptr;
}

Json annotations_of(const Json& obj) {
  if (obj.contains("metadata") && obj["metadata"].is_object() && obj["metadata"].contains("annotations") &&
      obj["metadata"]["annotations"].is_object())
    return obj["metadata"]["annotations"];
  return Json::object();
}

// util.GetModifiedConfiguration(obj, annotate): the object without (annotate=false) or with
// (annotate=true) its new last-applied annotation, encoded as json.Encoder does (with "\n").
// With annotate the object keeps the annotation.
std::string modified_configuration(Json& obj, bool annotate) {
  Json annots = annotations_of(obj);
  annots.erase(kLastApplied);
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Json::object();
  obj["metadata"]["annotations"] = annots;
  std::string modified = to_go_json(obj) + "\n";
  if (annotate) {
    obj["metadata"]["annotations"][kLastApplied] = modified;
    modified = to_go_json(obj) + "\n";
  }
  return modified;
}

Result<Json> parse_object(const HttpResponse& r) {
  auto j = Json::parse(r.body, nullptr, false);
  if (!j.is_object()) return CmdError::msg("invalid object in server response");
  return j;
}

// POSTs an object; the answer, or nullopt with the error (kubectl's `error when creating
// "FILE": ...` form) added to errs.
std::optional<HttpResponse> create_object(Session& s, const FlagSet& f, const ObjectInfo& info,
                                          std::vector<CmdError>& errs) {
  std::string create_path = ResourceBuilder::path_for(info.mapping, info.namespace_, "");
  auto r = s.client->send("POST", create_path + query(s), "application/json", to_go_json(info.object));
  if (!r.ok()) {
    errs.push_back(r.error());
    return std::nullopt;
  }
  if (r->status >= 400) {
    errs.push_back(add_source("creating", info.source,
                              status_error_from_response(r->status, r->body, "create", info.mapping.resource.name, info.name)));
    return std::nullopt;
  }
  return std::move(r.value());
}

std::string name_line(const ObjectInfo& i, const std::string& op) {
  return i.mapping.group_kind_lower() + "/" + i.name + " " + op + "\n";
}

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

// The error of a streaming visit (create, delete): the per-object errors, then the decoding and
// mapping errors as one aggregate ("[a, b]" when there are several). With `flatten`
// (delete --ignore-not-found filters through utilerrors.FilterOut) every error gets its own
// line and none the "error: " prefix.
int report_visit_errors(std::string& out, std::vector<CmdError> errs, const std::vector<CmdError>& read_errs,
                        bool flatten) {
  if (flatten) {
    errs.insert(errs.end(), read_errs.begin(), read_errs.end());
    if (errs.empty()) return 0;
    std::string text;
    for (const auto& e : errs) text += message_for_error(e) + "\n";
    return report_error(out, CmdError::verbatim(text));
  }
  if (errs.empty()) return report_errors(out, read_errs);  // the aggregate alone: one line each
  if (read_errs.size() == 1) {
    errs.push_back(read_errs[0]);
  } else if (read_errs.size() > 1) {
    std::string joined = "[";
    for (size_t i = 0; i < read_errs.size(); ++i) joined += (i ? ", " : "") + read_errs[i].message;
    errs.push_back(CmdError::msg(joined + "]"));
  }
  return report_errors(out, errs);
}

// Positional arguments of a command that takes none: a subcommand kapi lacks, or cobra's
// "Unexpected args" (cmdutil.UsageErrorf).
std::optional<CmdError> unexpected_args(CommandEnv& env, const std::string& command,
                                        const std::vector<std::string>& subcommands) {
  if (env.args.empty()) return std::nullopt;
  for (const auto& sub : subcommands)
    if (env.args[0] == sub) return CmdError::msg("kapi does not implement \"" + command + " " + sub + "\" yet");
  std::string list;
  for (size_t i = 0; i < env.args.size(); ++i) list += (i ? " " : "") + env.args[i];
  return CmdError::msg("Unexpected args: [" + list + "]\nSee '" + env.factory.program() + " " + command +
                       " -h' for help and examples");
}

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
std::optional<Json> server_side_apply(Session& s, const ObjectInfo& info, const std::string& path,
                                      std::vector<CmdError>& errs) {
  std::string q = query(s) + "&force=" + (s.env.flags.get_bool("force-conflicts") ? "true" : "false");
  auto r = s.client->send("PATCH", path + q, "application/apply-patch+yaml", to_go_json(info.object));
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

int run_apply_impl(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"prune", "kustomize", "selector", "all", "subresource"})
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
  // Validate
  if (f.get_bool("force-conflicts") && !server_side)
    return report_error(env.out, CmdError::msg("--force-conflicts only works with --server-side"));
  if (*dry_run == DryRun::kClient && server_side)
    return report_error(env.out, CmdError::msg("--dry-run=client doesn't work with --server-side (did you mean "
                                               "--dry-run=server instead?)"));
  if (server_side && f.get_bool("force"))
    return report_error(env.out, CmdError::msg("--force cannot be used with --server-side"));
  Session s(env);
  s.dry_run = *dry_run;
  // GetApplyFieldManagerFlag: "kubectl" for server-side apply unless --field-manager is given.
  if (server_side && !f.changed("field-manager")) s.field_manager = "kubectl";
  if (auto err = s.open()) return report_error(env.out, *err);
  const std::string suffix = dry_run_suffix(*dry_run);
  // -o other than name prints the objects once all are applied (printObjects).
  std::string output = f.get_string("output");
  bool print_at_end = !output.empty() && output != "name";
  std::vector<Json> applied;
  auto print_one = [&](const ObjectInfo& info, const std::string& op, Json obj) {
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
  if (infos->empty() && errs.empty()) return report_error(env.out, CmdError::msg("no objects passed to apply"));

  for (auto& info : *infos) {
    if (info.name.empty()) {
      Json meta = info.object.contains("metadata") && info.object["metadata"].is_object() ? info.object["metadata"]
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
      if (auto obj = server_side_apply(s, info, path, errs)) print_one(info, "serverside-applied", std::move(*obj));
      continue;
    }
    auto got = s.client->get(path, "application/json");
    if (!got.ok()) {
      errs.push_back(got.error());
      continue;
    }
    if (got->status == 404) {
      std::string modified = modified_configuration(info.object, false);
      info.object["metadata"]["annotations"][kLastApplied] = modified;
      Json result = info.object;
      if (*dry_run != DryRun::kClient) {
        auto r = create_object(s, f, info, errs);
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
    std::string modified_text = modified_configuration(info.object, true);
    Json modified = Json::parse(modified_text);
    const machinery::PatchSchema* schema = schema_for(info.mapping);
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
        print_one(info, "unchanged", *current);
        patched = true;
        break;
      }
      auto r = s.client->send("PATCH", path + query(s), content_type, patch_text);
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
    ObjectPrintOptions po{output, f.get_string("template"), false, f.get_bool("show-managed-fields"), list};
    if (auto eq = output.find('='); eq != std::string::npos) {
      po.format = output.substr(0, eq);
      po.template_arg = output.substr(eq + 1);
    }
    if (po.format.empty() && !po.template_arg.empty()) po.format = "go-template";
    po.allow_missing_keys = f.get_bool("allow-missing-template-keys");
    if (po.format == "custom-columns" || po.format == "custom-columns-file" || po.format == "wide")
      return report_error(env.out, CmdError::msg("kapi does not support -o " + output + " for apply yet"));
    if (auto err = print_object_to(po, std::move(obj), env.out)) return report_error(env.out, *err);
  }
  return 0;
}

int run_create_impl(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"kustomize", "dry-run", "output", "raw", "edit", "selector"})
    if (f.changed(unsupported))
      return report_error(env.out, CmdError::msg(std::string("kapi does not support --") + unsupported + " for create yet"));
  if (auto err = unexpected_args(env, "create",
                                 {"clusterrole", "clusterrolebinding", "configmap", "cm", "cronjob", "cj", "deployment",
                                  "deploy", "ingress", "ing", "job", "namespace", "ns", "poddisruptionbudget", "pdb",
                                  "priorityclass", "pc", "quota", "resourcequota", "role", "rolebinding", "secret",
                                  "service", "svc", "serviceaccount", "sa", "token"}))
    return report_error(env.out, *err);
  if (f.get_strings("filename").empty())
    return report_error(env.out, CmdError::msg("must specify one of -f and -k"));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  std::vector<CmdError> read_errs, errs;
  auto infos = read_objects(s, read_errs);
  if (!infos.ok()) return report_error(env.out, infos.error());
  bool save_config = f.get_bool("save-config");
  for (auto& info : *infos) {
    if (save_config) {
      std::string modified = modified_configuration(info.object, false);
      info.object["metadata"]["annotations"][kLastApplied] = modified;
    }
    auto r = create_object(s, f, info, errs);
    if (!r) continue;
    // The server's name (generateName).
    auto created = Json::parse(r->body, nullptr, false);
    if (created.is_object() && created.contains("metadata") && created["metadata"].is_object() &&
        created["metadata"].contains("name") && created["metadata"]["name"].is_string())
      info.name = created["metadata"]["name"].get<std::string>();
    env.out += name_line(info, "created");
    flush_stdout(env.out);
  }
  if (infos->empty() && errs.empty() && read_errs.empty())
    return report_error(env.out, CmdError::msg("no objects passed to create"));
  return report_visit_errors(env.out, std::move(errs), read_errs, false);
}

int run_delete_impl(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"kustomize", "dry-run", "output", "raw", "selector", "field-selector", "all",
                                  "all-namespaces", "interactive", "grace-period", "now", "force", "cascade"})
    if (f.changed(unsupported))
      return report_error(env.out, CmdError::msg(std::string("kapi does not support --") + unsupported + " for delete yet"));
  bool have_files = !f.get_strings("filename").empty();
  if (!have_files && env.args.empty()) {
    return report_error(env.out,
                        CmdError::msg("You must provide one or more resources by argument or filename.\n"
                                      "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                                      "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
  }
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  bool ignore_not_found = f.get_bool("ignore-not-found");

  std::vector<CmdError> read_errs, errs;
  std::vector<ObjectInfo> infos;
  if (have_files) {
    if (!env.args.empty())
      return report_error(env.out, CmdError::msg("when paths, URLs, or stdin is provided as input, you may not "
                                                 "specify resource arguments as well"));
    auto r = read_objects(s, read_errs);
    if (!r.ok()) return report_error(env.out, r.error());
    infos = std::move(*r);
  } else {
    if (env.args.size() == 1 && env.args[0].find('/') == std::string::npos)
      return report_error(env.out, CmdError::msg("resource(s) were provided, but no name was specified"));
    BuilderOptions bo;
    bo.program = env.factory.program();
    bo.namespace_ = s.namespace_;
    ResourceBuilder builder(*s.client, *s.discovery, bo);
    bool single = false;
    auto visits = builder.plan(env.args, &single);
    if (!visits.ok()) return report_error(env.out, visits.error());
    for (const auto& v : *visits) {
      ObjectInfo i;
      i.mapping = v.mapping;
      i.name = v.name;
      i.namespace_ = v.mapping.resource.namespaced ? s.namespace_ : "";
      infos.push_back(std::move(i));
    }
  }

  // (path, uid) of each deleted object, for the wait.
  std::vector<std::pair<std::string, std::string>> deleted;
  bool warn_cluster_scope = s.explicit_namespace;
  for (auto& info : infos) {
    if (warn_cluster_scope && !info.mapping.resource.namespaced) {
      flush_stdout(env.out);
      write_stderr("Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n");
      warn_cluster_scope = false;
    }
    if (info.name.empty()) {
      errs.push_back(add_source("deleting", info.source, CmdError::msg("resource name may not be empty")));
      continue;
    }
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    auto r = s.client->send("DELETE", path, "application/json", "{\"propagationPolicy\":\"Background\"}");
    if (!r.ok()) {
      errs.push_back(r.error());
      continue;
    }
    if (r->status >= 400) {
      CmdError e = status_error_from_response(r->status, r->body, "delete", info.mapping.resource.name, info.name);
      if (ignore_not_found && e.reason == "NotFound") continue;
      errs.push_back(add_source("deleting", info.source, e));
      continue;
    }
    std::string uid;
    auto body = Json::parse(r->body, nullptr, false);
    if (body.is_object() && body.contains("metadata") && body["metadata"].is_object() &&
        body["metadata"].contains("uid") && body["metadata"]["uid"].is_string())
      uid = body["metadata"]["uid"].get<std::string>();
    deleted.emplace_back(path, uid);
    env.out += info.mapping.group_kind_lower() + " \"" + info.name + "\" deleted\n";
    flush_stdout(env.out);
  }

  // --wait (default true): until every deleted object is gone (or replaced by a new uid).
  // (kubectl returns before waiting when a deletion failed.)
  if (f.get_bool("wait") && errs.empty() && read_errs.empty()) {
    for (const auto& [path, uid] : deleted) {
      while (true) {
        auto r = s.client->get(path, "application/json");
        if (!r.ok() || r->status == 404) break;
        if (r->status >= 400) break;
        auto obj = Json::parse(r->body, nullptr, false);
        std::string live_uid;
        if (obj.is_object() && obj.contains("metadata") && obj["metadata"].is_object() &&
            obj["metadata"].contains("uid") && obj["metadata"]["uid"].is_string())
          live_uid = obj["metadata"]["uid"].get<std::string>();
        if (!uid.empty() && live_uid != uid) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
  return report_visit_errors(env.out, std::move(errs), read_errs, ignore_not_found);
}

void add_file_flags(FlagSet& f) {
  f.add_string_slice("filename", 'f');
  f.add_string("kustomize", 'k', "");
  f.add_bool("recursive", 'R', false);
}

}  // namespace

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

void add_create_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string("dry-run", 0, "none");
  f.add_bool("edit", 0, false);
  f.add_string("field-manager", 0, "kubectl-create");
  f.add_string("output", 'o', "");
  f.add_string("raw", 0, "");
  f.add_bool("save-config", 0, false);
  f.add_string("selector", 'l', "");
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
  f.add_string("validate", 0, "strict");
  f.add_bool("windows-line-endings", 0, false);
}

void add_delete_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("all", 0, false);
  f.add_bool("all-namespaces", 'A', false);
  f.add_string("cascade", 0, "background");
  f.add_string("dry-run", 0, "none");
  f.add_string("field-selector", 0, "");
  f.add_bool("force", 0, false);
  f.add_int("grace-period", 0, -1);
  f.add_bool("ignore-not-found", 0, false);
  f.add_bool("interactive", 'i', false);
  f.add_bool("now", 0, false);
  f.add_string("output", 'o', "");
  f.add_string("raw", 0, "");
  f.add_string("selector", 'l', "");
  f.add_string("timeout", 0, "0s");
  f.add_bool("wait", 0, true);
}

int run_apply(CommandEnv& env) { return run_apply_impl(env); }
int run_create(CommandEnv& env) { return run_create_impl(env); }
int run_delete(CommandEnv& env) { return run_delete_impl(env); }

}  // namespace kapi::client
