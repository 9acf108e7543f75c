// `kapi annotate TYPE NAME KEY=VAL... KEY-...` (kubectl pkg/cmd/annotate/annotate.go): like
// label, but every change is "annotated", -o prints the server's answer, and an existing key
// without --overwrite is reported for all keys at once.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/key_value_args.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/json_patch.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kChangeCause = "kubernetes.io/change-cause";

struct AnnotateOptions : MetadataMapOptions {
  ParsedPairs pairs;
};

Json& metadata_of(Json& obj) {
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Json::object();
  return obj["metadata"];
}

// updateAnnotations.
std::optional<CmdError> annotate_object(const AnnotateOptions& o, Json& obj) {
  Json& meta = metadata_of(obj);
  Json annots = meta.contains("annotations") && meta["annotations"].is_object() ? meta["annotations"] : Json::object();
  if (!o.overwrite) {
    std::string found;
    for (const auto& [k, v] : o.pairs.set) {
      if (k == kChangeCause || !annots.contains(k) || annots[k] == v) continue;
      found += (found.empty() ? "" : "; ") + ("'" + k + "' already has a value (" + annots[k].get<std::string>() + ")");
    }
    if (!found.empty())
      return CmdError::msg("--overwrite is false but found the following declared annotation(s): " + found);
  }
  for (const auto& [k, v] : o.pairs.set) annots[k] = v;
  for (const auto& r : o.pairs.remove) annots.erase(r);
  meta["annotations"] = annots;
  if (!o.resource_version.empty()) meta["resourceVersion"] = o.resource_version;
  return std::nullopt;
}

std::optional<CmdError> annotate_one(Session& s, const AnnotateOptions& o, bool single, ObjectInfo& info) {
  const FlagSet& f = s.env.flags;
  Json& obj = *info.object;
  Json output;
  if (o.dry_run == DryRun::kClient || o.local || o.list) {
    if (auto err = annotate_object(o, obj)) return err;
    output = obj;
  } else {
    if (!o.resource_version.empty()) metadata_of(obj).erase("resourceVersion");
    Json old_obj = obj;
    if (auto err = annotate_object(o, obj)) return err;
    auto patch = machinery::create_merge_patch(old_obj, obj);
    if (!patch.ok()) return CmdError::msg(patch.error());
    std::vector<std::pair<std::string, std::string>> q = {{"fieldManager", f.get_string("field-manager")}};
    if (o.dry_run == DryRun::kServer) q.emplace_back("dryRun", "All");
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    auto r = s.client->send("PATCH", path + ResourceBuilder::encode_query(q), "application/merge-patch+json",
                            to_go_json(*patch));
    if (!r.ok()) return r.error();
    if (r->status >= 400)
      return status_error_from_response(r->status, r->body, "patch", info.mapping.resource.name, info.name);
    auto answer = parse_object(*r);
    if (!answer.ok()) return answer.error();
    output = std::move(*answer);
  }
  if (o.list) {
    std::string indent;
    if (!single) {
      indent = " ";
      s.env.out += "Listing annotations for " + info.mapping.resource.kind + "." + info.mapping.resource.group + "/" +
                   info.name + ":\n";
    }
    const Json& meta = metadata_of(output);
    if (meta.contains("annotations") && meta["annotations"].is_object())
      for (const auto& [k, v] : meta["annotations"].items())
        s.env.out += indent + k + "=" + v.get<std::string>() + "\n";
    flush_stdout(s.env.out);
    return std::nullopt;
  }
  if (auto err = print_with_flags(f, "annotated" + dry_run_suffix(o.dry_run), std::move(output),
                                  s.env.out))
    return err;
  flush_stdout(s.env.out);
  return std::nullopt;
}

// Complete + Validate, in kubectl's order.
Result<AnnotateOptions> complete(CommandEnv& env) {
  const FlagSet& f = env.flags;
  AnnotateOptions o;
  auto raw_pairs = complete_metadata_map(env, "annotation", o);
  if (!raw_pairs.ok()) return raw_pairs.error();
  auto pairs = parse_pairs(*raw_pairs, "annotation");
  if (!pairs.ok()) return pairs.error();
  o.pairs = std::move(*pairs);
  if (auto err = validate_metadata_map_targets(f, o, "annotate")) return *err;
  if (o.pairs.set.empty() && o.pairs.remove.empty() && !o.list)
    return CmdError::msg("at least one annotation update is required");
  std::string both;
  for (const auto& r : o.pairs.remove)
    for (const auto& kv : o.pairs.set)
      if (kv.first == r) both += (both.empty() ? "" : ", ") + r;
  if (!both.empty())
    return CmdError::msg("can not both modify and remove the following annotation(s) in the same command: " + both);
  return o;
}

}  // namespace

void add_annotate_flags(FlagSet& f) { add_metadata_map_flags(f, "kubectl-annotate"); }

int run_annotate(CommandEnv& env) {
  auto o = complete(env);
  if (!o.ok()) return report_error(env.out, o.error());
  return run_metadata_map_command(env, *o,
                                  [&](Session& s, bool single, ObjectInfo& info) { return annotate_one(s, *o, single, info); });
}

}  // namespace kapi::client
