// `kapi explain` (kubectl pkg/cmd/explain/explain.go with the OpenAPI v3 renderer): the
// argument is "resource[.group][.field...]" parsed as a JSONPath of field names, the resource is
// resolved through discovery, and the group-version's /openapi/v3 document is rendered by
// client/printers/explain_printer. `--output=plaintext-openapiv2` reads /openapi/v2.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/factory.h"
#include "client/printers/explain_printer.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct Resolved {
  ApiResource resource;
  std::vector<std::string> field_path;
};

// jsonPathParse("{." + in + "}") reduced to what explain accepts: field names between dots.
// nullopt when some part is not a plain field (an index, a filter, "..").
std::optional<std::vector<std::string>> split_fields(std::string in) {
  if (!in.empty() && in.back() == '.') in.pop_back();
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = in.find('.', start);
    std::string part = in.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty() || part.find_first_of(" ,[]$@{}()*'\"") != std::string::npos) return std::nullopt;
    parts.push_back(part);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

// explain.SplitAndParseResourceRequest(WithMatchingPrefix).
Result<Resolved> resolve(Discovery& discovery, const std::string& arg, bool matching_prefix) {
  auto parts = split_fields(arg);
  if (!parts) {
    bool first_ok = split_fields(arg.substr(0, arg.find('.'))).has_value();
    if (!first_ok || matching_prefix) return CmdError::msg("invalid jsonpath syntax, first node must be field node");
    return CmdError::msg("invalid jsonpath syntax, all nodes must be field nodes");
  }
  auto data = discovery.get();
  if (!data.ok()) return data.error();
  auto found = RestMapper(**data).resource_for_group("", (*parts)[0]);
  if (!found && !discovery.fresh()) {
    auto fresh = discovery.refresh();
    if (!fresh.ok()) return fresh.error();
    found = RestMapper(**fresh).resource_for_group("", (*parts)[0]);
  }
  // checkErr prints a NoResourceMatchError bare (no "error: ").
  if (!found) return CmdError::verbatim("the server doesn't have a resource type \"" + (*parts)[0] + "\"\n");
  Resolved r{*found, {}};
  std::string in = arg;
  if (!in.empty() && in.back() == '.') in.pop_back();
  std::string group_resource = found->group.empty() ? found->name : found->name + "." + found->group;
  if (matching_prefix && in.rfind(group_resource, 0) == 0) {
    // The fields follow the "resource.group" the user typed.
    if (auto rest = split_fields(in.substr(group_resource.size()).empty() ? "x" : "x" + in.substr(group_resource.size())))
      r.field_path.assign(rest->begin() + 1, rest->end());
    return r;
  }
  r.field_path.assign(parts->begin() + 1, parts->end());
  return r;
}

// schema.ParseGroupVersion.
Result<std::pair<std::string, std::string>> parse_group_version(const std::string& gv) {
  if (gv.empty()) return std::make_pair(std::string(), std::string());
  size_t slash = gv.find('/');
  if (slash == std::string::npos) return std::make_pair(std::string(), gv);
  if (gv.find('/', slash + 1) != std::string::npos) return CmdError::msg("unexpected GroupVersion string: " + gv);
  return std::make_pair(gv.substr(0, slash), gv.substr(slash + 1));
}

std::string gv_string(const std::string& group, const std::string& version) {
  return group.empty() ? "/" + version : group + "/" + version;
}

// The v2 renderer: kapi publishes an empty /openapi/v2, so the kind is never found there.
int render_v2(CommandEnv& env, RestClient& client, const Resolved& r, const std::string& api_version) {
  std::string group = r.resource.group, version = r.resource.version;
  if (!api_version.empty()) {
    auto gv = parse_group_version(api_version);
    if (!gv.ok()) return report_error(env.out, gv.error());
    std::tie(group, version) = *gv;
  }
  auto resp = client.get("/openapi/v2?timeout=32s", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
  if (!resp.ok()) return report_error(env.out, resp.error());
  if (resp->status >= 400) return report_error(env.out, status_error_from_response(resp->status, resp->body));
  if (!resp->body.empty())
    return report_error(env.out, CmdError::msg("kapi does not support --output=plaintext-openapiv2 yet"));
  return report_error(env.out, CmdError::msg("couldn't find resource for \"" + gv_string(group, version) +
                                             ", Kind=" + r.resource.kind + "\""));
}

}  // namespace

void add_explain_flags(FlagSet& f) {
  f.add_string("api-version", 0, "");
  f.add_string("output", 0, "plaintext");  // no -o, whatever the usage line says
  f.add_bool("recursive", 0, false);
}

int run_explain(CommandEnv& env) {
  const std::string& p = env.factory.program();
  if (env.args.empty())
    return report_error(env.out, CmdError::msg("You must specify the type of resource to explain. Use \"" + p +
                                               " api-resources\" for a complete list of supported resources.\n"));
  if (env.args.size() > 1)
    return report_error(env.out, CmdError::msg("We accept only this format: explain RESOURCE\n"));
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto discovery = env.factory.discovery();
  if (!discovery.ok()) return report_error(env.out, discovery.error());

  std::string api_version = env.flags.get_string("api-version");
  auto r = resolve(**discovery, env.args[0], api_version.empty());
  if (!r.ok()) return report_error(env.out, r.error());

  std::string format = env.flags.get_string("output");
  if (format == "plaintext-openapiv2") return render_v2(env, **client, *r, api_version);

  auto root = (*client)->get("/openapi/v3?timeout=32s", "application/json, */*");
  if (!root.ok()) return report_error(env.out, root.error());
  if (format == "plaintext" && root->status >= 400) return render_v2(env, **client, *r, api_version);
  if (root->status >= 400)
    return report_error(env.out, CmdError::msg("failed to fetch list of groupVersions: " +
                                               message_for_error(status_error_from_response(root->status, root->body))));

  ExplainRequest req{r->resource.group, r->resource.version, r->resource.name, r->field_path,
                     env.flags.get_bool("recursive")};
  if (!api_version.empty()) {
    auto gv = parse_group_version(api_version);
    if (!gv.ok()) return report_error(env.out, gv.error());
    std::tie(req.group, req.version) = *gv;
  }
  std::string path = req.group.empty() ? "api/" + req.version : "apis/" + req.group + "/" + req.version;
  Json paths = Json::parse(root->body, nullptr, false);
  const Json* entry = nullptr;
  if (paths.is_object() && paths.contains("paths") && paths["paths"].is_object() && paths["paths"].contains(path))
    entry = &paths["paths"][path];
  if (!entry)
    return report_error(env.out, CmdError::msg("couldn't find resource for \"" + gv_string(req.group, req.version) +
                                               ", Resource=" + req.resource + "\""));
  std::string url = entry->is_object() ? entry->value("serverRelativeURL", "") : "";
  auto doc_resp = (*client)->get(url + (url.find('?') == std::string::npos ? "?" : "&") + "timeout=32s",
                                 "application/json");
  if (!doc_resp.ok()) return report_error(env.out, doc_resp.error());
  if (doc_resp->status >= 400)
    return report_error(env.out, CmdError::msg("failed to fetch openapi schema for " + path + ": " +
                                               message_for_error(status_error_from_response(doc_resp->status,
                                                                                            doc_resp->body))));
  Json doc = Json::parse(doc_resp->body, nullptr, false);
  if (doc.is_discarded())
    return report_error(env.out, CmdError::msg("failed to parse openapi schema for " + path));
  if (format != "plaintext") return report_error(env.out, CmdError::msg("unrecognized format: " + format));
  if (auto err = render_explain(doc, req, env.out)) {
    // explainError texts already start with "error: " and checkErr keeps them as they are.
    return report_error(env.out, CmdError::verbatim(*err + "\n"));
  }
  return 0;
}

}  // namespace kapi::client
