// `kapi patch (-f FILE | TYPE NAME | TYPE/NAME) -p PATCH` (kubectl pkg/cmd/patch/patch.go):
// each object is fetched, then PATCHed (strategic, merge or JSON patch; optionally a
// subresource) or, with --dry-run=client / --local, patched locally; "patched" or
// "patched (no change)" depends on whether the object changed.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/json_patch.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/yaml.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct PatchOptions {
  DryRun dry_run = DryRun::kNone;
  bool local = false;
  std::string type;          // "json", "merge", "strategic"
  Json patch;
  std::string patch_text;    // the JSON sent
};

const char* content_type_for(const std::string& type) {
  if (type == "json") return "application/json-patch+json";
  if (type == "merge") return "application/merge-patch+json";
  return "application/strategic-merge-patch+json";
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// getPatchedJSON: the patch applied on the client (--dry-run=client, --local).
Result<Json> patch_locally(const PatchOptions& o, const ObjectInfo& info) {
  machinery::Result<Json> r = Json();
  if (o.type == "json") {
    r = machinery::apply_json_patch(*info.object, o.patch);
  } else if (o.type == "merge") {
    r = machinery::apply_merge_patch(*info.object, o.patch);
  } else {
    const machinery::PatchSchema* schema = patch_schema_for(info.mapping);
    if (!schema) {
      const auto& m = info.mapping.resource;
      return CmdError::msg("strategic merge patch is not supported for " + m.group + "/" + m.version +
                           ", Kind=" + m.kind + " locally, try --type merge");
    }
    r = machinery::strategic_merge_patch(*info.object, o.patch, schema);
  }
  if (!r.ok()) return CmdError::msg(r.error());
  return std::move(*r);
}

// reflect.DeepEqual of two decoded objects: key order does not matter.
bool same_object(const Json& a, const Json& b) {
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

std::optional<CmdError> patch_one(Session& s, const PatchOptions& o, ObjectInfo& info) {
  const FlagSet& f = s.env.flags;
  Json result;
  if (!o.local && o.dry_run != DryRun::kClient) {
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    std::string sub = f.get_string("subresource");
    if (!sub.empty()) path += "/" + sub;
    std::vector<std::pair<std::string, std::string>> q = {{"fieldManager", f.get_string("field-manager")}};
    if (o.dry_run == DryRun::kServer) q.emplace_back("dryRun", "All");
    auto r = s.client->send("PATCH", path + ResourceBuilder::encode_query(q), content_type_for(o.type), o.patch_text);
    if (!r.ok()) return r.error();
    if (r->status >= 400)
      return status_error_from_response(r->status, r->body, "patch", info.mapping.resource.name, info.name);
    auto obj = parse_object(*r);
    if (!obj.ok()) return obj.error();
    result = std::move(*obj);
  } else {
    auto patched = patch_locally(o, info);
    if (!patched.ok()) return patched.error();
    result = std::move(*patched);
  }
  bool did_patch = !same_object(*info.object, result);
  if (auto err = print_with_flags(f, did_patch ? "patched" : "patched (no change)",
                                  std::move(result), s.env.out, /*printer_per_object=*/true))
    return err;
  flush_stdout(s.env.out);
  return std::nullopt;
}

// Complete + Validate, in kubectl's order.
Result<PatchOptions> complete(CommandEnv& env) {
  const FlagSet& f = env.flags;
  PatchOptions o;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return dry.error();
  o.dry_run = *dry;
  o.local = f.get_bool("local");
  std::string patch = f.get_string("patch"), patch_file = f.get_string("patch-file");
  if (!patch.empty() && !patch_file.empty()) return CmdError::msg("cannot specify --patch and --patch-file together");
  if (patch.empty() && patch_file.empty())
    return CmdError::msg("must specify --patch or --patch-file containing the contents of the patch");
  if (o.local && !env.args.empty()) return CmdError::msg("cannot specify --local and server resources");
  if (o.local && o.dry_run == DryRun::kServer)
    return CmdError::msg("cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
  o.type = lower(f.get_string("type"));
  if (o.type != "json" && o.type != "merge" && o.type != "strategic")
    return CmdError::msg("--type must be one of [json merge strategic], not " + go_json_quote(f.get_string("type")));
  if (!patch_file.empty()) {
    std::ifstream in(patch_file, std::ios::binary);
    if (!in) return CmdError::msg("unable to read patch file: open " + patch_file + ": no such file or directory");
    std::stringstream ss;
    ss << in.rdbuf();
    patch = ss.str();
  }
  // util/yaml.ToJSON: text starting with "{" is JSON and goes to the server as typed, even when
  // it does not parse (the server's decoding error is the one reported); the rest is YAML.
  size_t first = patch.find_first_not_of(" \t\r\n\f\v");
  if (first != std::string::npos && patch[first] == '{') {
    o.patch = Json::parse(patch, nullptr, false);
    o.patch_text = patch;
    return o;
  }
  std::vector<Json> docs;
  std::string yerr;
  if (!runtime::yaml_to_json(patch, docs, &yerr) || docs.empty())
    return CmdError::msg("unable to parse " + go_json_quote(f.get_string("patch")) + ": " + yerr);
  o.patch = std::move(docs[0]);
  o.patch_text = o.patch.dump();
  return o;
}

}  // namespace

void add_patch_flags(FlagSet& f) {
  add_file_flags(f);
  add_print_flags(f);
  add_dry_run_flag(f);
  f.add_string("field-manager", 0, "kubectl-patch");
  f.add_bool("local", 0, false);
  f.add_string("patch", 'p', "");
  f.add_string("patch-file", 0, "");
  f.add_bool("record", 0, false);
  f.add_string("subresource", 0, "");
  f.add_string("type", 0, "strategic");
}

int run_patch(CommandEnv& env) {
  auto o = complete(env);
  if (!o.ok()) return report_error(env.out, o.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  VisitOptions vo;
  // --local (Builder.LocalParam): only the -f objects, patched as they are in the files.
  vo.local = o->local;
  if (!o->local) {
    vo.args = env.args;
    vo.subresource = env.flags.get_string("subresource");
  }
  std::vector<CmdError> errs;
  int count = 0;
  auto fatal = visit_objects(s, vo, [&](ObjectInfo& info) { return patch_one(s, *o, info); }, errs, nullptr, &count);
  if (fatal) return report_error(env.out, *fatal);
  if (!errs.empty()) return report_errors(env.out, errs);
  if (count == 0) return report_error(env.out, CmdError::msg("no objects passed to patch"));
  return 0;
}

}  // namespace kapi::client
