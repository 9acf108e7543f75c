#pragma once
// What the `set` subcommands (and the rollout patchers) share, after kubectl's
// pkg/cmd/set/helper.go and polymorphichelpers/updatepodspec.go: the objects resolved up front
// (Builder.Do().Infos()), the typed view of an object that kubectl mutates, the pod spec inside
// it, and CalculatePatch: a two-way strategic merge patch between the typed object before and
// after the change, sent (or printed with --local / --dry-run=client).
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/cmd/cmd_util.h"
#include "client/cmd/object_reader.h"

namespace kapi::client {

// The flags every `set` subcommand reads (local, dry-run, field manager) and its Builder inputs.
struct SetTargets {
  std::vector<std::string> resources;  // TYPE NAME / TYPE/NAME arguments
  std::string selector;                // -l
  bool all = false;                    // --all
  bool local = false;                  // --local: -f objects only, nothing fetched
};

// Builder...ContinueOnError().Flatten().Latest().Do().Infos(): every object into `out`, or the
// errors (the per-object ones, in order). `--local` with resource arguments is LocalResourceError.
std::vector<CmdError> resolve_set_objects(Session& s, const SetTargets& t, std::vector<ObjectInfo>& out);

// `obj` as kubectl's typed struct encodes it (field order, zero values, canonical quantities);
// unchanged for kinds kapi has no schema for.
nlohmann::ordered_json typed_object(const nlohmann::ordered_json& obj, const RestMapping& m);
// The Go type kubectl names in errors: "*v1.Service" (typed) or "*unstructured.Unstructured".
std::string go_type_name(const RestMapping& m);
// UpdatePodSpecForObject: the PodSpec inside a typed object; the error text otherwise.
Result<nlohmann::ordered_json*> pod_spec_of(nlohmann::ordered_json& typed, const RestMapping& m);
// selectString: `spec` with non-greedy '*' wildcards.
bool select_string(const std::string& s, const std::string& spec);
// The containers of a pod spec then its init containers, filtered by a wildcard selector.
std::vector<nlohmann::ordered_json*> select_containers(nlohmann::ordered_json& spec, const std::string& selector);

// resource.Info.ObjectName(): "deployments/web".
std::string object_name(const ObjectInfo& info);

// CreateTwoWayMergePatch(before, after) as Go-encoded JSON ("{}" when nothing changed).
Result<std::string> two_way_patch(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after,
                                  const RestMapping& m);

// PATCH (strategic merge) the object with `patch`; dry_run server adds dryRun=All. The answer,
// or the error as kubectl wraps it ("<prefix><message>"; with no prefix, as it is).
Result<nlohmann::ordered_json> send_strategic_patch(Session& s, const ObjectInfo& info, const std::string& patch,
                                                    DryRun dry_run, const std::string& field_manager,
                                                    const std::string& error_prefix);

// The -o output (or the "kind/name <operation>" line) of a typed object, appended to out.
std::optional<CmdError> print_set_result(CommandEnv& env, const std::string& operation, nlohmann::ordered_json obj);

// One object's CalculatePatch: the mutated typed object and the patch, or the mutation's error.
struct SetPatch {
  ObjectInfo* info = nullptr;
  std::optional<CmdError> err;
  nlohmann::ordered_json after;
  std::string patch;
};
// The mutation of one typed object: true if it produced an object (Go's non-nil After), false
// to leave the object out, or an error (kept as the patch's error).
using SetMutation = std::function<Result<bool>(nlohmann::ordered_json& typed, ObjectInfo& info)>;
// CalculatePatches.
std::vector<SetPatch> calculate_patches(std::vector<ObjectInfo>& infos, const SetMutation& mutate);

struct SetPatchOptions {
  std::string operation;     // "image updated" (the dry-run suffix is added here)
  std::string error_prefix;  // "failed to patch image update to pod template: "
  bool local = false;
  DryRun dry_run = DryRun::kNone;
  std::string field_manager;
  bool skip_unchanged = true;  // a "{}" patch is neither sent nor printed
  // Called after a successful PATCH, before printing; an error ends the run with it alone.
  std::function<std::optional<CmdError>()> after_patch;
};
// The loop every set command runs over its patches: errors as "error: deployments/web <err>\n",
// then print locally or PATCH and print the answer. Errors are appended to `errs`; a returned
// error replaces them all.
std::optional<CmdError> run_set_patches(Session& s, std::vector<SetPatch>& patches, const SetPatchOptions& o,
                                        std::vector<CmdError>& errs);

// --dry-run, --local vs server dry run, printer flags: the parts of Complete/Validate every
// set subcommand shares. `local` is --local.
void add_set_flags(FlagSet& f, bool with_selector, bool with_all = true);

}  // namespace kapi::client
