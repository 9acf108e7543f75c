// `kapi diff -f`: kubectl's diff (pkg/cmd/diff/diff.go). Each object's live version (GET; empty
// when missing) and its merged version (the server's dry run of client-side apply's patch, of a
// create when missing, or of a server-side apply) are written as YAML to LIVE-*/MERGED-* temp
// directories, then diffed by $KUBECTL_EXTERNAL_DIFF or `diff -u -N`. Exit status: 0 no
// differences, 1 differences, >1 an error (CheckDiffErr adds one to kubectl's usual code).
#include <nlohmann/json.hpp>

#include "client/cmd/apply_patch.h"
#include "client/cmd/command.h"
#include "client/cmd/diff_program.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_writer.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/printers/object_printer.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/go_yaml.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// diff.go's patcher Retries (maxPatchRetry) for a conflicting dry-run patch.
constexpr int kMaxPatchRetries = 5;
constexpr int kMaxDiffRetries = 4;

// cmdutil.CheckDiffErr: kubectl's message, exit code one higher.
int diff_error(std::string& out, CmdError err) {
  err.exit_code += 1;
  return report_error(out, err);
}

// InfoObject.Name(): "<group.>version.Kind.namespace.name".
std::string diff_file_name(const ObjectInfo& info) {
  const ApiResource& r = info.mapping.resource;
  return (r.group.empty() ? "" : r.group + ".") + r.version + "." + r.kind + "." + info.namespace_ + "." + info.name;
}

// Masker.run: a v1 Secret's data values become "***", or "*** (before)"/"*** (after)" where a
// key is on both sides with different values.
void mask_secret_data(Json* from, Json* to) {
  auto data_of = [](Json* o) -> Json* {
    if (!o || !o->is_object() || !o->contains("data") || !(*o)["data"].is_object()) return nullptr;
    return &(*o)["data"];
  };
  Json* f = data_of(from);
  Json* t = data_of(to);
  if (f)
    for (auto it = f->begin(); it != f->end(); ++it) {
      if (t && t->contains(it.key())) {
        Json& tv = (*t)[it.key()];
        if (*it != tv) {
          *it = "*** (before)";
          tv = "*** (after)";
          continue;
        }
        tv = "***";
      }
      *it = "***";
    }
  if (t)
    for (auto it = t->begin(); it != t->end(); ++it)
      if (!f || !f->contains(it.key())) *it = "***";
}

struct DiffRun {
  Session& s;
  std::string field_manager;
  bool server_side = false, force_conflicts = false;
  bool lock = true;  // send the live resourceVersion with a client-side patch

  std::string dry_run_query(bool apply) const {
    std::string q = "?dryRun=All&fieldManager=" + field_manager;
    if (apply) q += std::string("&force=") + (force_conflicts ? "true" : "false");
    return q;
  }

  // The live object: nullopt with no error when it does not exist.
  Result<std::optional<Json>> live(const ObjectInfo& info, const std::string& path) {
    auto got = s.client->get(path, "application/json");
    if (!got.ok()) return got.error();
    if (got->status == 404) return std::optional<Json>();
    if (got->status >= 400)
      return status_error_from_response(got->status, got->body, "get", info.mapping.resource.name, info.name);
    auto obj = parse_object(*got);
    if (!obj.ok()) return obj.error();
    return std::optional<Json>(std::move(*obj));
  }

  Result<Json> send(const std::string& method, const std::string& path, const std::string& content_type,
                    const std::string& body, const std::string& verb, const ObjectInfo& info) {
    auto r = s.client->send(method, path, content_type, body);
    if (!r.ok()) return r.error();
    if (r->status >= 400)
      return status_error_from_response(r->status, r->body, verb, info.mapping.resource.name, info.name);
    return parse_object(*r);
  }

  // InfoObject.Merged(); `live` may be refreshed when a patch conflicts.
  Result<Json> merged(ObjectInfo& info, const std::string& path, std::optional<Json>& live) {
    if (server_side)
      return send("PATCH", path + dry_run_query(true), "application/apply-patch+yaml", to_go_json(*info.object), "patch",
                  info);
    if (!live)
      return send("POST", ResourceBuilder::path_for(info.mapping, info.namespace_, "") + dry_run_query(false),
                  "application/json", to_go_json(*info.object), "create", info);
    // util.GetModifiedConfiguration(local, false): no new last-applied annotation.
    Json local = *info.object;
    std::string modified_text = modified_configuration(local, false);
    Json modified = Json::parse(modified_text);
    for (int attempt = 0;; ++attempt) {
      auto patch = client_apply_patch(*live, modified, modified_text, info);
      if (!patch.ok()) return patch.error();
      if (patch->text == "{}") return *live;
      // The patcher's ResourceVersion lock: the dry run conflicts if the object moved on.
      Json p = Json::parse(patch->text);
      const Json& meta = (*live)["metadata"];
      if (lock && meta.is_object() && meta.contains("resourceVersion")) p["metadata"]["resourceVersion"] = meta["resourceVersion"];
      auto r = send("PATCH", path + dry_run_query(false), patch->content_type, to_go_json(p), "patch", info);
      if (r.ok()) return r;
      if (r.error().reason != "Conflict" || attempt >= kMaxPatchRetries)
        return add_source("patching", info.source, r.error());
      auto again = this->live(info, path);
      if (!again.ok()) return again.error();
      if (!*again) return add_source("patching", info.source, r.error());
      live = std::move(*again);
    }
  }
};

}  // namespace

int run_diff(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"prune", "kustomize"})
    if (f.changed(unsupported))
      return diff_error(env.out, CmdError::msg(std::string("kapi does not support --") + unsupported + " for diff yet"));
  if (!env.args.empty()) {
    std::string list;
    for (size_t i = 0; i < env.args.size(); ++i) list += (i ? " " : "") + env.args[i];
    return diff_error(env.out, CmdError::msg("Unexpected args: [" + list + "]\nSee '" + env.factory.program() +
                                             " diff -h' for help and examples"));
  }
  if (f.get_strings("filename").empty())
    return diff_error(env.out, CmdError::msg("must specify one of -f and -k"));
  bool server_side = f.get_bool("server-side");
  bool force_conflicts = f.get_bool("force-conflicts");
  if (force_conflicts && !server_side)
    return diff_error(env.out, CmdError::msg("--force-conflicts only works with --server-side"));
  Session s(env);
  if (auto err = s.open()) return diff_error(env.out, *err);
  auto selector = machinery::parse_label_selector(f.get_string("selector"));
  if (!selector.ok())
    return diff_error(env.out, CmdError::msg("the provided selector " + go_json_quote(f.get_string("selector")) +
                                             " is not valid: " + selector.error()));
  // GetApplyFieldManagerFlag: "kubectl" for server-side apply unless --field-manager is given.
  std::string manager = server_side && !f.changed("field-manager") ? "kubectl" : f.get_string("field-manager");
  DiffRun run{s, manager, server_side, force_conflicts};

  auto live_dir = TempDir::create("LIVE");
  if (!live_dir.ok()) return diff_error(env.out, live_dir.error());
  auto merged_dir = TempDir::create("MERGED");
  if (!merged_dir.ok()) return diff_error(env.out, merged_dir.error());

  // The builder stops at the first object it cannot read or map (no ContinueOnError).
  std::vector<CmdError> read_errs;
  auto infos = read_objects(s, read_errs);
  if (!infos.ok()) return diff_error(env.out, infos.error());
  if (!read_errs.empty()) return diff_error(env.out, read_errs.front());
  const bool show_managed = f.get_bool("show-managed-fields");
  for (auto& info : *infos) {
    const Json& meta = info.object->value("metadata", Json::object());
    if (!selector->empty() && !selector->matches_json(meta.value("labels", Json::object()))) continue;
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    // diff.go's maxRetries: a conflicting dry run starts over from a fresh GET; the last try
    // goes without the resourceVersion lock.
    Result<std::optional<Json>> live = std::optional<Json>();
    Result<Json> merged = Json();
    for (int attempt = 1; attempt <= kMaxDiffRetries; ++attempt) {
      live = run.live(info, path);
      if (!live.ok()) return diff_error(env.out, live.error());
      run.lock = attempt < kMaxDiffRetries;
      if (!run.lock) {
        const ApiResource& r = info.mapping.resource;
        flush_stdout(env.out);
        write_stderr(klog_warning_line("diff.go:723", "Object (" + r.group + "/" + r.version + ", Kind=" + r.kind + ": " +
                                                          info.name + ") keeps changing, diffing without lock"));
      }
      merged = run.merged(info, path, *live);
      if (merged.ok() || merged.error().reason != "Conflict") break;
    }
    if (!merged.ok()) return diff_error(env.out, merged.error());
    std::optional<Json>& from = *live;
    Json& to = *merged;
    if (!show_managed) {
      if (from) strip_managed_fields(*from);
      strip_managed_fields(to);
    }
    // A missing live object prints as nothing, except through the Secret masker, which turns it
    // into a typed nil pointer that yaml.Marshal writes as "null".
    std::string live_text;
    if (to.value("apiVersion", "") == "v1" && to.value("kind", "") == "Secret") {
      mask_secret_data(from ? &*from : nullptr, &to);
      if (!from) live_text = "null\n";
    }
    if (from) live_text = machinery::goyaml::marshal(*from);
    std::string name = diff_file_name(info);
    if (auto err = live_dir->write_file(name, live_text))
      return diff_error(env.out, *err);
    if (auto err = merged_dir->write_file(name, machinery::goyaml::marshal(to))) return diff_error(env.out, *err);
    // apply.WarnIfDeleting
    if (from && (*from)["metadata"].is_object() && (*from)["metadata"].contains("deletionTimestamp") &&
        !(*from)["metadata"]["deletionTimestamp"].is_null()) {
      flush_stdout(env.out);
      write_stderr("Warning: Detected changes to resource " + info.name + " which is currently being deleted.\n");
    }
  }
  flush_stdout(env.out);
  auto rc = run_diff_program(live_dir->path(), merged_dir->path());
  if (!rc.ok()) return diff_error(env.out, rc.error());
  // Differences found: cmdutil.CheckErr(cmdutil.ErrExit), silent exit 1.
  return *rc == 0 ? 0 : 1;
}

void add_diff_flags(FlagSet& f) {
  f.add_string("selector", 'l', "");
  add_file_flags(f);
  f.add_bool("server-side", 0, false);
  f.add_bool("force-conflicts", 0, false);
  f.add_string("field-manager", 0, "kubectl-client-side-apply");
  f.add_bool("prune", 0, false);
  f.add_string_array("prune-allowlist", 0);
  f.add_bool("show-managed-fields", 0, false);
  f.add_int("concurrency", 0, 1);
}

}  // namespace kapi::client
