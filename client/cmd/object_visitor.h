#pragma once
// The objects a mutating command acts on, visited in order (cli-runtime's resource.Builder with
// ContinueOnError + Flatten, as patch/label/annotate/scale/wait use it): the objects of -f
// files, or TYPE NAME... / TYPE/NAME... arguments fetched one by one (RetrieveLazily), or
// every object of a type matching -l/--field-selector/--all.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/cmd/cmd_util.h"
#include "client/cmd/object_reader.h"

namespace kapi::client {

struct VisitOptions {
  std::vector<std::string> args;  // resource arguments
  std::string label_selector, field_selector;
  bool all = false;               // --all: a type alone selects everything
  bool type_alone_lists = false;  // ResourceTypeOrNameArgs(true, ...) without --all: a type lists
  bool all_namespaces = false;
  std::string subresource;        // named objects are fetched at .../<subresource>
  bool latest = false;            // objects read from files are fetched from the server (Latest)
  bool require_object = true;     // false: named objects are visited without a GET (delete)
  bool local = false;             // --local: file objects keep their own namespace (Builder.Local)
  // Called once the arguments are resolved, before any object is fetched, with whether they
  // name a single item; an error stops the visit.
  std::function<std::optional<CmdError>(bool single_item_implied)> on_planned;
};

// Calls `fn` for each object (its `object` filled in) in order. Errors of fetching and of `fn`
// are appended to `errs` in the order they happen; an error that stops the whole visit
// (argument and mapping errors, a missing file) is returned. `single_item_implied` is set when
// the arguments name exactly one object; `count` gets the number of objects visited.
std::optional<CmdError> visit_objects(Session& s, const VisitOptions& o,
                                      const std::function<std::optional<CmdError>(ObjectInfo&)>& fn,
                                      std::vector<CmdError>& errs, bool* single_item_implied = nullptr,
                                      int* count = nullptr);

// label and annotate (one shape, kubectl's LabelOptions / AnnotateOptions): the options they
// share, the shared parts of Complete and Validate, their flags, and their run over the
// selected objects.
struct MetadataMapOptions {
  std::vector<std::string> resources;
  bool overwrite = false, list = false;
  bool local = false;  // --local: -f objects changed and printed, nothing sent
  std::string resource_version;
  DryRun dry_run = DryRun::kNone;
};
// Complete's head: --dry-run, --overwrite, --list, --resource-version and the resource
// arguments; returns the KEY=VALUE / KEY- arguments (`what`: "label", "annotation").
Result<std::vector<std::string>> complete_metadata_map(CommandEnv& env, const char* what, MetadataMapOptions& o);
// Validate's target checks: --all against selectors, --local, some resource named.
std::optional<CmdError> validate_metadata_map_targets(const FlagSet& f, const MetadataMapOptions& o,
                                                      const char* command);
// `fn` gets whether the arguments name a single object.
void add_metadata_map_flags(FlagSet& flags, const char* field_manager);
int run_metadata_map_command(CommandEnv& env, const MetadataMapOptions& o,
                             const std::function<std::optional<CmdError>(Session&, bool single, ObjectInfo&)>& fn);

}  // namespace kapi::client
