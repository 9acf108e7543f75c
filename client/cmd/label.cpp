// `kapi label TYPE NAME KEY=VAL... KEY-...` (kubectl pkg/cmd/label/label.go): each object
// (fetched fresh) gets its labels changed locally, then a JSON merge patch of the change is sent
// (fieldManager kubectl-label). "labeled", "unlabeled" or "not labeled" says what changed;
// --list prints the labels instead; -o prints the locally changed object, as kubectl does.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/key_value_args.h"
#include "client/cmd/name_validation.h"
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

struct LabelOptions : MetadataMapOptions {
  std::vector<std::pair<std::string, std::string>> add;
  std::vector<std::string> remove;
};

// validation.IsValidLabelValue, its messages joined with ";".
std::string invalid_label_value(const std::string& v) {
  std::string out;
  for (const auto& e : label_value_errors(v)) out += (out.empty() ? "" : ";") + e;
  return out;
}

// parseLabels.
std::optional<CmdError> parse_labels(const std::vector<std::string>& specs, LabelOptions& o) {
  for (const auto& spec : specs) {
    if (spec.find('=') != std::string::npos) {
      size_t eq = spec.find('=');
      if (spec.find('=', eq + 1) != std::string::npos) return CmdError::msg("invalid label spec: " + spec);
      std::string key = spec.substr(0, eq), value = spec.substr(eq + 1);
      if (auto bad = invalid_label_value(value); !bad.empty())
        return CmdError::msg("invalid label value: " + go_json_quote(spec) + ": " + bad);
      bool replaced = false;
      for (auto& kv : o.add)
        if (kv.first == key) kv.second = value, replaced = true;
      if (!replaced) o.add.emplace_back(key, value);
    } else if (!spec.empty() && spec.back() == '-') {
      o.remove.push_back(spec.substr(0, spec.size() - 1));
    } else {
      return CmdError::msg("unknown label spec: " + spec);
    }
  }
  for (const auto& r : o.remove)
    for (const auto& kv : o.add)
      if (kv.first == r) return CmdError::msg("can not both modify and remove a label in the same command");
  return std::nullopt;
}

Json& metadata_of(Json& obj) {
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Json::object();
  return obj["metadata"];
}

// labelFunc.
std::optional<CmdError> label_object(const LabelOptions& o, Json& obj) {
  Json& meta = metadata_of(obj);
  Json labels = meta.contains("labels") && meta["labels"].is_object() ? meta["labels"] : Json::object();
  if (!o.overwrite) {
    for (const auto& [k, v] : o.add)
      if (labels.contains(k) && labels[k] != v)
        return CmdError::msg("'" + k + "' already has a value (" + labels[k].get<std::string>() +
                             "), and --overwrite is false");
  }
  for (const auto& [k, v] : o.add) labels[k] = v;
  for (const auto& r : o.remove) labels.erase(r);
  meta["labels"] = labels;
  if (!o.resource_version.empty()) meta["resourceVersion"] = o.resource_version;
  return std::nullopt;
}

// updateDataChangeMsg.
std::string change_message(const std::string& old_data, const std::string& new_data, bool overwrite) {
  if (old_data == new_data) return "not labeled";
  if (!overwrite && new_data.size() < old_data.size()) return "unlabeled";
  return "labeled";
}

std::optional<CmdError> label_one(Session& s, const LabelOptions& o, bool single, ObjectInfo& info) {
  const FlagSet& f = s.env.flags;
  Json& obj = *info.object;
  if (!o.resource_version.empty()) metadata_of(obj).erase("resourceVersion");
  std::string old_data = to_go_json(obj);
  std::string message;
  if (o.dry_run == DryRun::kClient || o.local || o.list) {
    if (auto err = label_object(o, obj)) return err;
    message = change_message(old_data, to_go_json(obj), o.overwrite);
  } else {
    Json labels = obj.contains("metadata") && obj["metadata"].contains("labels") ? obj["metadata"]["labels"]
                                                                                 : Json::object();
    for (const auto& r : o.remove)
      if (!labels.contains(r)) s.env.out += "label " + go_json_quote(r) + " not found.\n";
    Json old_obj = obj;
    if (auto err = label_object(o, obj)) return err;
    std::string new_data = to_go_json(obj);
    message = change_message(old_data, new_data, o.overwrite);
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
  }
  if (o.list) {
    std::string indent;
    if (!single) {
      indent = " ";
      s.env.out += "Listing labels for " + info.mapping.resource.kind + "." + info.mapping.resource.group + "/" +
                   info.name + ":\n";
    }
    for (const auto& [k, v] : obj["metadata"]["labels"].items())
      s.env.out += indent + k + "=" + v.get<std::string>() + "\n";
    flush_stdout(s.env.out);
    return std::nullopt;
  }
  if (auto err = print_with_flags(f, message + dry_run_suffix(o.dry_run), obj, s.env.out,
                                  /*printer_per_object=*/true))
    return err;
  flush_stdout(s.env.out);
  return std::nullopt;
}

// Complete + Validate, in kubectl's order.
Result<LabelOptions> complete(CommandEnv& env) {
  const FlagSet& f = env.flags;
  LabelOptions o;
  auto raw_pairs = complete_metadata_map(env, "label", o);
  if (!raw_pairs.ok()) return raw_pairs.error();
  if (auto err = parse_labels(*raw_pairs, o)) return *err;
  if (o.list && !f.get_string("output").empty())
    return CmdError::msg("--list and --output may not be specified together");
  if (auto err = validate_metadata_map_targets(f, o, "label")) return *err;
  if (o.add.empty() && o.remove.empty() && !o.list) return CmdError::msg("at least one label update is required");
  return o;
}

}  // namespace

void add_label_flags(FlagSet& f) { add_metadata_map_flags(f, "kubectl-label"); }

int run_label(CommandEnv& env) {
  auto o = complete(env);
  if (!o.ok()) return report_error(env.out, o.error());
  return run_metadata_map_command(env, *o,
                                  [&](Session& s, bool single, ObjectInfo& info) { return label_one(s, *o, single, info); });
}

}  // namespace kapi::client
