// `kapi set image (-f FILE | TYPE NAME) CONTAINER=IMAGE...` (kubectl pkg/cmd/set/set_image.go):
// every object is resolved first, then each container (init containers included) named by a
// pair, or every one for `*`, gets the image; the change goes out as a strategic merge patch.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/key_value_args.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/set_common.h"
#include "client/printers/go_json.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// setImage: true if some container of `list` was named.
bool set_image(Json& spec, const char* list, const std::string& name, const std::string& image) {
  bool found = false;
  if (!spec.contains(list) || !spec[list].is_array()) return false;
  for (auto& c : spec[list]) {
    if (!c.is_object() || (c.value("name", "") != name && name != "*")) continue;
    found = true;
    c["image"] = image;
  }
  return found;
}

}  // namespace

void add_set_image_flags(FlagSet& f) {
  add_set_flags(f, true);
  f.add_bool("record", 0, false);
}

int run_set_image(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return report_error(env.out, dry.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  auto split = get_resources_and_pairs(env.args, "image");
  if (!split.ok()) return report_error(env.out, split.error());
  // ParsePairs without removal: "nginx-" is malformed here.
  std::vector<std::pair<std::string, std::string>> images;
  std::string invalid;
  for (const auto& p : split->pairs) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      invalid += (invalid.empty() ? "" : ", ") + p;
      continue;
    }
    std::string name = p.substr(0, eq), image = p.substr(eq + 1);
    bool replaced = false;
    for (auto& kv : images)
      if (kv.first == name) kv.second = image, replaced = true;
    if (!replaced) images.emplace_back(name, image);
  }
  if (!invalid.empty()) return report_error(env.out, CmdError::msg("invalid image format: " + invalid));

  SetTargets t{split->resources, f.get_string("selector"), f.get_bool("all"), f.get_bool("local")};
  std::vector<ObjectInfo> infos;
  if (auto errs = resolve_set_objects(s, t, infos); !errs.empty()) return report_errors(env.out, errs);

  std::vector<CmdError> errs;
  if (t.all && !t.selector.empty()) errs.push_back(CmdError::msg("cannot set --all and --selector at the same time"));
  if (t.resources.empty() && f.get_strings("filename").empty())
    errs.push_back(CmdError::msg("one or more resources must be specified as <resource> <name> or <resource>/<name>"));
  bool wildcard = false;
  for (const auto& kv : images) wildcard = wildcard || kv.first == "*";
  if (images.empty()) errs.push_back(CmdError::msg("at least one image update is required"));
  else if (images.size() > 1 && wildcard)
    errs.push_back(CmdError::msg(
        "all containers are already specified by *, but saw more than one container_name=container_image pairs"));
  if (t.local && *dry == DryRun::kServer)
    errs.push_back(CmdError::msg("cannot specify --local and --dry-run=server - did you mean --dry-run=client?"));
  if (!errs.empty()) return report_errors(env.out, errs);

  auto patches = calculate_patches(infos, [&](Json& obj, ObjectInfo& info) -> Result<bool> {
    auto spec = pod_spec_of(obj, info.mapping);
    if (!spec.ok()) return spec.error();
    for (const auto& [name, image] : images) {
      bool init_found = set_image(**spec, "initContainers", name, image);
      bool found = set_image(**spec, "containers", name, image);
      if (!found && !init_found) errs.push_back(CmdError::msg("error: unable to find container named " + go_json_quote(name)));
    }
    return true;
  });
  SetPatchOptions o;
  o.operation = "image updated";
  o.error_prefix = "failed to patch image update to pod template: ";
  o.local = t.local;
  o.dry_run = *dry;
  o.field_manager = f.get_string("field-manager");
  if (auto err = run_set_patches(s, patches, o, errs)) return report_error(env.out, *err);
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
