#include "client/cmd/object_visitor.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "client/cmd/cmd_util.h"
#include "client/cmd/key_value_args.h"
#include "client/cmd/print_flags.h"
#include "client/factory.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

namespace {

bool is_directory(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::optional<CmdError> visit_objects(Session& s, const VisitOptions& o,
                                      const std::function<std::optional<CmdError>(ObjectInfo&)>& fn,
                                      std::vector<CmdError>& errs, bool* single_item_implied, int* count) {
  const FlagSet& f = s.env.flags;
  const Flag* filename = f.find("filename");
  bool have_files = filename && !filename->values.empty();
  int visited = 0;
  bool single = false;
  auto call = [&](ObjectInfo& info) {
    ++visited;
    if (auto err = fn(info)) errs.push_back(*err);
  };
  if (have_files) {
    if (!o.args.empty())
      return CmdError::msg("when paths, URLs, or stdin is provided as input, you may not specify resource "
                           "arguments as well");
    auto infos = read_objects(s, errs, o.local);
    if (!infos.ok()) return infos.error();
    // One file path (not a directory, not stdin) implies a single item, as Builder.Path does.
    single = filename->values.size() == 1 && filename->values[0] != "-" && !is_directory(filename->values[0]);
    if (o.on_planned)
      if (auto err = o.on_planned(single)) return err;
    for (auto& info : *infos) {
      if (o.latest) {
        // Builder.Latest: the live object replaces the file's.
        std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
        auto r = s.client->get(path, kJsonAccept);
        if (!r.ok()) {
          errs.push_back(r.error());
          continue;
        }
        if (r->status >= 400) {
          errs.push_back(status_error_from_response(r->status, r->body, "get", info.mapping.resource.name, info.name));
          continue;
        }
        auto live = Json::parse(r->body, nullptr, false);
        if (!live.is_object()) {
          errs.push_back(CmdError::msg("invalid object in server response"));
          continue;
        }
        *info.object = std::move(live);
      }
      call(info);
    }
  } else {
    if (o.args.empty())
      return CmdError::msg("You must provide one or more resources by argument or filename.\n"
                           "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                           "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    BuilderOptions bo;
    bo.program = s.env.factory.program();
    bo.namespace_ = s.namespace_;
    bo.all_namespaces = o.all_namespaces;
    bo.label_selector = o.label_selector;
    bo.field_selector = o.field_selector;
    bo.chunk_size = 0;
    bo.accept = kJsonAccept;
    bo.flatten = true;
    bo.allow_empty_selector = o.all || o.type_alone_lists;
    bo.select_all = o.all;
    bo.subresource = o.subresource;
    ResourceBuilder builder(*s.client, *s.discovery, bo);
    auto visits = builder.plan(o.args, &single);
    if (!visits.ok()) return visits.error();
    if (o.on_planned)
      if (auto err = o.on_planned(single)) return err;
    for (const auto& v : *visits) {
      if (!o.require_object && !v.name.empty()) {
        ObjectInfo info;
        info.mapping = v.mapping;
        info.name = v.name;
        info.namespace_ = v.mapping.resource.namespaced ? s.namespace_ : "";
        call(info);
        continue;
      }
      size_t first_info = builder.infos().size(), first_err = builder.errors().size();
      builder.fetch(v);
      for (size_t i = first_err; i < builder.errors().size(); ++i) errs.push_back(builder.errors()[i]);
      for (size_t i = first_info; i < builder.infos().size(); ++i) {
        Info& fetched = builder.infos()[i];
        ObjectInfo info;
        info.mapping = *fetched.mapping;
        *info.object = std::move(*fetched.object);
        const Json& meta = info.object->contains("metadata") ? (*info.object)["metadata"] : Json::object();
        info.name = v.name.empty() ? meta.value("name", "") : v.name;
        info.namespace_ = info.mapping.resource.namespaced ? meta.value("namespace", s.namespace_) : "";
        call(info);
      }
    }
  }
  if (single_item_implied) *single_item_implied = single;
  if (count) *count = visited;
  return std::nullopt;
}

Result<std::vector<std::string>> complete_metadata_map(CommandEnv& env, const char* what, MetadataMapOptions& o) {
  const FlagSet& f = env.flags;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return dry.error();
  o.dry_run = *dry;
  o.overwrite = f.get_bool("overwrite");
  o.list = f.get_bool("list");
  o.local = f.get_bool("local");
  o.resource_version = f.get_string("resource-version");
  auto split = get_resources_and_pairs(env.args, what);
  if (!split.ok()) return split.error();
  o.resources = split->resources;
  return split->pairs;
}

std::optional<CmdError> validate_metadata_map_targets(const FlagSet& f, const MetadataMapOptions& o,
                                                      const char* command) {
  bool all = f.get_bool("all");
  if (all && !f.get_string("selector").empty()) return CmdError::msg("cannot set --all and --selector at the same time");
  if (all && !f.get_string("field-selector").empty())
    return CmdError::msg("cannot set --all and --field-selector at the same time");
  if (o.local && o.dry_run == DryRun::kServer)
    return CmdError::msg("cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
  if (o.resources.empty() && f.get_strings("filename").empty())
    return CmdError::msg("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  return std::nullopt;
}

void add_metadata_map_flags(FlagSet& f, const char* field_manager) {
  add_file_flags(f);
  add_print_flags(f);
  f.add_bool("all", 0, false);
  f.add_bool("all-namespaces", 'A', false);
  add_dry_run_flag(f);
  f.add_string("field-manager", 0, field_manager);
  f.add_string("field-selector", 0, "");
  f.add_bool("list", 0, false);
  f.add_bool("local", 0, false);
  f.add_bool("overwrite", 0, false);
  f.add_bool("record", 0, false);
  f.add_string("resource-version", 0, "");
  f.add_string("selector", 'l', "");
}

int run_metadata_map_command(CommandEnv& env, const MetadataMapOptions& o,
                             const std::function<std::optional<CmdError>(Session&, bool single, ObjectInfo&)>& fn) {
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  const FlagSet& f = env.flags;
  VisitOptions vo;
  // --local (Builder.LocalParam): only the -f objects, as they are in the files.
  vo.local = o.local;
  if (!o.local) {
    vo.args = o.resources;
    vo.label_selector = f.get_string("selector");
    vo.field_selector = f.get_string("field-selector");
    vo.all = f.get_bool("all");
    vo.all_namespaces = f.get_bool("all-namespaces");
    vo.latest = true;
  }
  bool single = false;
  vo.on_planned = [&](bool one) -> std::optional<CmdError> {
    single = one;
    if (!one && !o.resource_version.empty())
      return CmdError::msg("--resource-version may only be used with a single resource");
    return std::nullopt;
  };
  std::vector<CmdError> errs;
  auto fatal = visit_objects(s, vo, [&](ObjectInfo& info) { return fn(s, single, info); }, errs);
  if (fatal) return report_error(env.out, *fatal);
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
