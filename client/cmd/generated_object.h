#pragma once
// Objects a command builds itself (create <generator>, run, expose, autoscale): kubectl holds
// them as typed Go structs, so they encode in struct field order with Go's zero values, print
// through PrintFlags (name printer with an operation, or -o json|yaml|name|templates) and are
// POSTed through a resource helper.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "client/cmd/cmd_util.h"
#include "client/cmd/command.h"

namespace kapi::client {

// The kind of a generated object and where it is served.
struct GeneratedKind {
  std::string group_version;  // "v1", "apps/v1"
  std::string kind;           // "Pod"
  std::string resource;       // "pods"
  bool namespaced = true;
};

// PrintFlags.ToPrinter's choice: the format ("" = the name printer with an operation) and its
// template; the error for an unknown format or a template format without a template.
struct PrintChoice {
  std::string format;
  std::string template_arg;
};
Result<PrintChoice> print_choice(const FlagSet& f);

// The typed JSON of `obj` as Go encodes a `kind` of `group_version` (struct order, zero values,
// omitempty); `obj` unchanged if the schema does not know the kind.
nlohmann::ordered_json to_typed(const nlohmann::ordered_json& obj, const std::string& group_version,
                                const std::string& kind);

// util.CreateOrUpdateAnnotation with --save-config: the last-applied annotation holds the
// typed JSON of the object without it.
void add_last_applied_annotation(nlohmann::ordered_json& obj, const GeneratedKind& k);

// POST of the object into `ns` (resource.Helper.Create), with dryRun=All for --dry-run=server
// and the given extra query parameters (fieldManager, fieldValidation) in order. Returns the
// typed answer, or the server's error.
Result<nlohmann::ordered_json> create_generated(CommandEnv& env, const GeneratedKind& k, const std::string& ns,
                                                const nlohmann::ordered_json& obj, DryRun dry_run,
                                                const std::vector<std::pair<std::string, std::string>>& query);

// Prints a generated object with its GroupVersionKind set (TypeSetterPrinter): for the name
// printer "kind.group/name <operation><dry-run suffix>", else the -o format.
std::optional<CmdError> print_generated(const FlagSet& f, const PrintChoice& p, const GeneratedKind& k,
                                        nlohmann::ordered_json obj, const std::string& operation, DryRun dry_run,
                                        std::string& out);

// cmdutil.Merge / StrategicMerge / JSONPatch of --overrides onto the typed object
// (OverrideOptions.NewOverrider(...).Apply); unchanged when --overrides is empty.
Result<nlohmann::ordered_json> apply_overrides(const FlagSet& f, const GeneratedKind& k,
                                               const nlohmann::ordered_json& obj);
// --overrides and --override-type.
void add_override_flags(FlagSet& f);

// distribution/reference's ReferenceRegexp: name[:tag][@digest] (run --image, debug --image).
bool valid_image_reference(const std::string& image);

// cmdutil.UsageErrorf: the message and "See '<program> <path> -h' for help and examples".
CmdError usage_error(const CommandEnv& env, const std::string& msg);

}  // namespace kapi::client
