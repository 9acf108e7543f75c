// Shared by the commands that build their objects (create <generator>, run, expose,
// autoscale): typed encoding, --save-config, the POST, printing and --overrides.
#include "client/cmd/generated_object.h"

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "client/factory.h"
#include "client/printers/object_printer.h"
#include "client/resource_builder.h"
#include "pkg/machinery/json_patch.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/patch_schema.h"
#include "pkg/runtime/schema.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

const runtime::StructType* type_of(const std::string& gv, const std::string& kind) {
  std::string pkg;
  if (auto slash = gv.find('/'); slash == std::string::npos) {
    pkg = "io.k8s.api.core." + gv;
  } else {
    std::string group = gv.substr(0, slash);
    pkg = "io.k8s.api." + group.substr(0, group.find('.')) + "." + gv.substr(slash + 1);
  }
  return runtime::Schema::get().find(pkg, kind);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The Go type name encoding/json names when a JSON value does not fit a struct.
std::string json_type_name(const Json& v) {
  if (v.is_array()) return "array";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_number()) return "number";
  return "object";
}

}  // namespace

Result<PrintChoice> print_choice(const FlagSet& f) {
  PrintChoice c;
  c.format = f.get_string("output");
  c.template_arg = f.get_string("template");
  if (auto eq = c.format.find('='); eq != std::string::npos) {
    c.template_arg = c.format.substr(eq + 1);
    c.format = c.format.substr(0, eq);
  }
  if (c.format.empty() && !c.template_arg.empty()) c.format = "go-template";
  static const std::set<std::string> kTemplates = {"go-template", "go-template-file", "jsonpath", "jsonpath-as-json",
                                                   "jsonpath-file", "template", "templatefile"};
  static const std::set<std::string> kOthers = {"", "json", "yaml", "name"};
  if (!kTemplates.count(c.format) && !kOthers.count(c.format))
    return CmdError::msg("unable to match a printer suitable for the output format " + machinery::gofmt::quote(f.get_string("output")) +
                         ", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
                         "jsonpath-file,name,template,templatefile,yaml");
  if (kTemplates.count(c.format) && c.template_arg.empty())
    return CmdError::msg("template format specified but no template given");
  return c;
}

Json to_typed(const Json& obj, const std::string& group_version, const std::string& kind) {
  const runtime::StructType* type = type_of(group_version, kind);
  if (!type) return obj;
  runtime::DecodeResult dr;
  return runtime::normalize(obj, *type, dr);
}

void add_last_applied_annotation(Json& obj, const GeneratedKind& k) {
  constexpr const char* kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";
  Json bare = obj;
  if (bare["metadata"].contains("annotations")) {
    bare["metadata"]["annotations"].erase(kLastApplied);
    if (bare["metadata"]["annotations"].empty()) bare["metadata"].erase("annotations");
  }
  Json meta = obj["metadata"];
  meta["annotations"][kLastApplied] = runtime::encode_json(bare) + "\n";
  obj["metadata"] = std::move(meta);
  obj = to_typed(obj, k.group_version, k.kind);
}

Result<Json> create_generated(CommandEnv& env, const GeneratedKind& k, const std::string& ns, const Json& obj,
                              DryRun dry_run, const std::vector<std::pair<std::string, std::string>>& query) {
  auto client = env.factory.rest_client();
  if (!client.ok()) return client.error();
  RestMapping m;
  if (auto slash = k.group_version.find('/'); slash != std::string::npos) {
    m.resource.group = k.group_version.substr(0, slash);
    m.resource.version = k.group_version.substr(slash + 1);
  } else {
    m.resource.version = k.group_version;
  }
  m.resource.name = k.resource;
  m.resource.kind = k.kind;
  m.resource.namespaced = k.namespaced;
  std::vector<std::pair<std::string, std::string>> params;
  if (dry_run == DryRun::kServer) params.emplace_back("dryRun", "All");
  params.insert(params.end(), query.begin(), query.end());
  std::string path = ResourceBuilder::path_for(m, k.namespaced ? ns : "", "") + ResourceBuilder::encode_query(params);
  auto r = (*client)->send("POST", path, "application/json", runtime::encode_json(obj));
  if (!r.ok()) return r.error();
  if (r->status >= 400) {
    std::string qualified = k.resource + (m.resource.group.empty() ? "" : "." + m.resource.group);
    // A create request names no object: a non-Status answer reads "(post <resource>)".
    return status_error_from_response(r->status, r->body, "post", qualified, "");
  }
  auto created = Json::parse(r->body, nullptr, false);
  if (!created.is_object()) return CmdError::msg("invalid object in server response");
  return to_typed(created, k.group_version, k.kind);
}

std::optional<CmdError> print_generated(const FlagSet& f, const PrintChoice& p, const GeneratedKind& k, Json obj,
                                        const std::string& operation, DryRun dry_run, std::string& out) {
  std::string group = k.group_version.find('/') == std::string::npos
                          ? ""
                          : k.group_version.substr(0, k.group_version.find('/'));
  std::string name = obj.contains("metadata") ? obj["metadata"].value("name", "") : "";
  std::string kind_name = lower(k.kind) + (group.empty() ? "" : "." + group) + "/" + name;
  if (p.format.empty()) {
    out += kind_name + " " + operation + dry_run_suffix(dry_run) + "\n";
    return std::nullopt;
  }
  if (p.format == "name") {
    out += kind_name + "\n";
    return std::nullopt;
  }
  ObjectPrintOptions po;
  po.format = p.format;
  po.template_arg = p.template_arg;
  po.show_managed_fields = f.get_bool("show-managed-fields");
  po.typed = true;
  po.allow_missing_keys = f.get_bool("allow-missing-template-keys");
  obj["apiVersion"] = k.group_version;
  obj["kind"] = k.kind;
  return print_object_to(po, to_typed(obj, k.group_version, k.kind), out);
}

void add_override_flags(FlagSet& f) {
  f.add_string("override-type", 0, "merge");
  f.add_string("overrides", 0, "");
}

Result<Json> apply_overrides(const FlagSet& f, const GeneratedKind& k, const Json& obj) {
  std::string fragment = f.get_string("overrides");
  if (fragment.empty()) return obj;
  std::string type = f.get_string("override-type");
  if (type.empty()) type = "merge";
  // runtime.Encode of the typed object carries its apiVersion and kind.
  Json target = obj;
  target["apiVersion"] = k.group_version;
  target["kind"] = k.kind;
  target = to_typed(target, k.group_version, k.kind);
  Json patch = Json::parse(fragment, nullptr, false);
  Json patched;
  if (type == "merge") {
    if (patch.is_discarded()) return CmdError::msg("Invalid JSON Patch");
    auto r = machinery::apply_merge_patch(target, patch);
    if (!r.ok()) return CmdError::msg(r.error());
    patched = std::move(*r);
  } else if (type == "strategic") {
    if (patch.is_discarded() || !patch.is_object()) return CmdError::msg("Invalid JSON Patch");
    const runtime::StructType* st = type_of(k.group_version, k.kind);
    auto r = machinery::strategic_merge_patch(target, patch, st ? runtime::patch_schema_for(*st) : nullptr);
    if (!r.ok()) return CmdError::msg(r.error());
    patched = std::move(*r);
  } else if (type == "json") {
    if (patch.is_discarded()) return CmdError::msg("invalid character in JSON patch");
    if (!patch.is_array())
      return CmdError::msg("json: cannot unmarshal " + json_type_name(patch) +
                           " into Go value of type jsonpatch.Patch");
    auto r = machinery::apply_json_patch(target, patch);
    if (!r.ok()) return CmdError::msg(r.error());
    patched = std::move(*r);
  } else {
    return CmdError::msg("invalid override type: " + type);
  }
  if (!patched.is_object())
    return CmdError::msg("couldn't get version/kind; json parse error: json: cannot unmarshal " +
                         json_type_name(patched) +
                         " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
                         "Kind string \"json:\\\"kind,omitempty\\\"\" }");
  return to_typed(patched, k.group_version, k.kind);
}

CmdError usage_error(const CommandEnv& env, const std::string& msg) {
  return CmdError::msg(msg + "\nSee '" + env.factory.program() + " " + env.path + " -h' for help and examples");
}

// distribution/reference's ReferenceRegexp: name[:tag][@digest].
bool valid_image_reference(const std::string& image) {
  static const std::regex kReference([] {
    const std::string alnum = "[a-z0-9]+";
    const std::string separator = "(?:[._]|__|[-]+)";
    const std::string path_component = alnum + "(?:" + separator + alnum + ")*";
    const std::string domain_component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    const std::string domain_name = domain_component + "(?:\\." + domain_component + ")*";
    const std::string host = "(?:" + domain_name + "|\\[(?:[a-fA-F0-9:]+)\\])";
    const std::string domain = host + "(?::[0-9]+)?";
    const std::string name = "(?:" + domain + "/)?" + path_component + "(?:/" + path_component + ")*";
    const std::string tag = "[\\w][\\w.-]{0,127}";
    const std::string digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    return std::regex("^" + name + "(?::" + tag + ")?(?:@" + digest + ")?$");
  }());
  return std::regex_match(image, kReference);
}

}  // namespace kapi::client
