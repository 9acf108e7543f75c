#include "client/cmd/object_writer.h"

#include <nlohmann/json.hpp>

#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/patch_schema.h"
#include "pkg/runtime/schema.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

std::string write_query(const FlagSet& f, DryRun dry_run, const std::string& field_manager) {
  auto validation = validation_directive(f);  // checked by the command before any request
  std::vector<std::pair<std::string, std::string>> params;
  if (dry_run == DryRun::kServer) params.emplace_back("dryRun", "All");
  params.emplace_back("fieldManager", field_manager.empty() ? f.get_string("field-manager") : field_manager);
  params.emplace_back("fieldValidation", validation.ok() ? *validation : std::string("Strict"));
  return ResourceBuilder::encode_query(params);
}

const machinery::PatchSchema* patch_schema_for(const RestMapping& m) {
  std::string g = m.resource.group.empty() ? "core" : m.resource.group.substr(0, m.resource.group.find('.'));
  const auto* type = runtime::Schema::get().find("io.k8s.api." + g + "." + m.resource.version, m.resource.kind);
  return type ? runtime::patch_schema_for(*type) : nullptr;
}

Json annotations_of(const Json& obj) {
  if (obj.contains("metadata") && obj["metadata"].is_object() && obj["metadata"].contains("annotations") &&
      obj["metadata"]["annotations"].is_object())
    return obj["metadata"]["annotations"];
  return Json::object();
}

std::string modified_configuration(Json& obj, bool annotate) {
  Json annots = annotations_of(obj);
  annots.erase(kLastApplied);
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Json::object();
  obj["metadata"]["annotations"] = annots;
  std::string modified = to_go_json(obj) + "\n";
  if (annotate) {
    obj["metadata"]["annotations"][kLastApplied] = modified;
    modified = to_go_json(obj) + "\n";
  }
  return modified;
}

Result<Json> parse_object(const HttpResponse& r) {
  auto j = Json::parse(r.body, nullptr, false);
  if (!j.is_object()) return CmdError::msg("invalid object in server response");
  return j;
}

std::optional<HttpResponse> create_object(Session& s, const std::string& query, const ObjectInfo& info,
                                          std::vector<CmdError>& errs) {
  std::string create_path = ResourceBuilder::path_for(info.mapping, info.namespace_, "");
  auto r = s.client->send("POST", create_path + query, "application/json", to_go_json(*info.object));
  if (!r.ok()) {
    errs.push_back(r.error());
    return std::nullopt;
  }
  if (r->status >= 400) {
    errs.push_back(add_source("creating", info.source,
                              status_error_from_response(r->status, r->body, "post", info.mapping.resource.name, "")));
    return std::nullopt;
  }
  return std::move(r.value());
}

std::string name_line(const ObjectInfo& i, const std::string& op) {
  return i.mapping.group_kind_lower() + "/" + i.name + " " + op + "\n";
}

int report_visit_errors(std::string& out, std::vector<CmdError> errs, const std::vector<CmdError>& read_errs,
                        bool flatten) {
  if (flatten) {
    errs.insert(errs.end(), read_errs.begin(), read_errs.end());
    if (errs.empty()) return 0;
    std::string text;
    for (const auto& e : errs) text += message_for_error(e) + "\n";
    return report_error(out, CmdError::verbatim(text));
  }
  if (errs.empty()) return report_errors(out, read_errs);  // the aggregate alone: one line each
  if (read_errs.size() == 1) {
    errs.push_back(read_errs[0]);
  } else if (read_errs.size() > 1) {
    std::string joined = "[";
    for (size_t i = 0; i < read_errs.size(); ++i) joined += (i ? ", " : "") + read_errs[i].message;
    errs.push_back(CmdError::msg(joined + "]"));
  }
  return report_errors(out, errs);
}

}  // namespace kapi::client
