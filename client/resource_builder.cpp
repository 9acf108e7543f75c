#include "client/resource_builder.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "client/cmd/command.h"
#include "client/discovery.h"
#include "client/exec_plugin.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) break;
    start = p + 1;
  }
  return out;
}

// resource.SplitResourceArgument: comma-separated, empty parts dropped, duplicates kept once.
std::vector<std::string> split_resource_argument(const std::string& arg) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto& s : split(arg, ',')) {
    if (s.empty() || !seen.insert(s).second) continue;
    out.push_back(s);
  }
  return out;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Go's url.URL.EscapedPath for one path segment.
std::string escape_segment(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool keep = std::isalnum(c) || std::strchr("-_.~$&+,:;=@", c) != nullptr;
    if (keep && c != 0) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string path_for_impl(const RestMapping& m, const std::string& ns, const std::string& name) {
  std::string p = m.api_path();
  if (m.resource.namespaced && !ns.empty()) p += "/namespaces/" + escape_segment(ns);
  p += "/" + m.resource.name;
  if (!name.empty()) p += "/" + escape_segment(name);
  return p;
}

std::string encode_query_impl(std::vector<std::pair<std::string, std::string>> params) {
  std::sort(params.begin(), params.end());
  std::string q;
  for (const auto& [k, v] : params) {
    q += q.empty() ? "?" : "&";
    q += query_escape(k) + "=" + query_escape(v);
  }
  return q;
}

// GroupVersionResource.String(): "/v1, Resource=pods", "apps/v1, Resource=deployments".
std::string gvr_string(const RestMapping& m) {
  return m.resource.group + "/" + m.resource.version + ", Resource=" + m.resource.name;
}

}  // namespace

ResourceBuilder::ResourceBuilder(RestClient& client, Discovery& discovery, BuilderOptions options)
    : client_(client), discovery_(discovery), o_(std::move(options)) {}

ResourceBuilder::~ResourceBuilder() = default;

std::string ResourceBuilder::path_for(const RestMapping& m, const std::string& ns, const std::string& name) {
  return path_for_impl(m, ns, name);
}

std::string ResourceBuilder::encode_query(std::vector<std::pair<std::string, std::string>> params) {
  return encode_query_impl(std::move(params));
}

bool multiple_gvks(const std::vector<Info>& infos) {
  for (const auto& i : infos)
    if (i.mapping->resource.group != infos[0].mapping->resource.group ||
        i.mapping->resource.version != infos[0].mapping->resource.version ||
        i.mapping->resource.kind != infos[0].mapping->resource.kind)
      return true;
  return false;
}

// kubectl's memcache discovery logs each failed attempt to fetch the group list (five in a
// `get`) before the error itself is printed.
std::string go_error_text(const CmdError& err) {
  if (err.kind == CmdError::Kind::kConnRefused || err.kind == CmdError::Kind::kConnError)
    return "Get \"" + err.url + "\": " + err.detail;
  if (err.kind == CmdError::Kind::kStatus) return err.message;
  return "";
}

CmdError discovery_failed(const CmdError& err, int attempts) {
  std::string text = go_error_text(err);
  if (!text.empty()) {
    std::string line = klog_error_line("memcache.go:265", "Unhandled Error",
                                       "couldn't get current server API group list: " + text);
    // Each attempt is a request: an exec credential plugin runs again for it (a failing one
    // shows its stderr in between; a rejected token is refreshed).
    bool exec_involved = err.detail.rfind("getting credentials: ", 0) == 0 ||
                         (err.kind == CmdError::Kind::kStatus && err.code == 401);
    for (int i = 0; i < attempts; ++i) {
      if (i > 0 && exec_involved) repeat_exec_attempt();
      write_stderr(line);
    }
  }
  return err;
}

Result<RestMapping> ResourceBuilder::mapping_for(const std::string& arg) {
  auto data = discovery_.get();
  if (!data.ok()) return discovery_failed(data.error());
  if (auto m = RestMapper(**data).mapping_for(arg)) return *m;
  if (!discovery_.fresh()) {
    // kubectl's DeferredDiscoveryRESTMapper: an unknown name invalidates the cache once.
    auto fresh = discovery_.refresh();
    if (!fresh.ok()) return fresh.error();
    if (auto m = RestMapper(**fresh).mapping_for(arg)) return *m;
  }
  return CmdError::msg("the server doesn't have a resource type \"" + resource_for_error(arg) + "\"");
}

// resource.Builder.ResourceTypeOrNameArgs + visitorResult.
Result<std::vector<Visit>> ResourceBuilder::plan(const std::vector<std::string>& in_args,
                                                 bool* single_item_implied) {
  bool selector_mode = false;
  std::vector<std::string> args = in_args;
  // normalizeMultipleResourcesArgs: "a,b x y" -> a/x a/y b/x b/y
  if (args.size() >= 2) {
    auto types = split_resource_argument(args[0]);
    if (types.size() > 1) {
      std::vector<std::string> expanded;
      for (const auto& t : types)
        for (size_t i = 1; i < args.size(); ++i) expanded.push_back(t + "/" + args[i]);
      args = expanded;
    }
  }
  size_t slashes = 0;
  for (const auto& a : args)
    if (a.find('/') != std::string::npos) ++slashes;
  std::vector<std::pair<std::string, std::string>> tuples;
  std::vector<std::string> types, names;
  if (slashes > 0 && slashes != args.size()) {
    const std::string& p = o_.program;
    return CmdError::msg("there is no need to specify a resource type as a separate argument when passing "
                         "arguments in resource/name form (e.g. '" + p + " get resource/<resource_name>' instead of '" +
                         p + " get resource resource/<resource_name>'");
  }
  if (slashes > 0) {
    for (const auto& a : args) {
      auto seg = split(a, '/');
      if (seg.size() != 2)
        return CmdError::msg("arguments in resource/name form may not have more than one slash");
      if (seg[0].empty() || seg[1].empty() || split_resource_argument(seg[0]).size() != 1)
        return CmdError::msg("arguments in resource/name form must have a single resource and name");
      tuples.emplace_back(seg[0], seg[1]);
    }
  } else {
    // Category aliases ("all") in the type argument.
    auto data = discovery_.get();
    if (!data.ok()) return discovery_failed(data.error());
    std::vector<std::string> replaced;
    for (const auto& part : split(args[0], ',')) {
      if (auto expanded = RestMapper(**data).expand_category(part)) {
        std::string joined;
        for (size_t i = 0; i < expanded->size(); ++i) joined += (i ? "," : "") + (*expanded)[i];
        replaced.push_back(joined);
      } else {
        replaced.push_back(part);
      }
    }
    std::string type_arg;
    for (size_t i = 0; i < replaced.size(); ++i) type_arg += (i ? "," : "") + replaced[i];
    types = split_resource_argument(type_arg);
    for (size_t i = 1; i < args.size(); ++i) names.push_back(args[i]);
  }

  std::string label = trim(o_.label_selector), field = trim(o_.field_selector);
  selector_mode = o_.select_all || !label.empty() || !field.empty() || (tuples.empty() && names.empty());
  if (selector_mode && label.empty() && field.empty() && !o_.allow_empty_selector) {
    for (const auto& t : types) {
      auto m = mapping_for(t);
      if (!m.ok()) return m.error();
    }
    return CmdError::msg("resource(s) were provided, but no name was specified");
  }
  std::vector<Visit> visits;
  std::string ns = o_.all_namespaces ? "" : o_.namespace_;
  auto check_name_namespace = [&](const RestMapping& m) -> std::optional<CmdError> {
    if (m.resource.namespaced && ns.empty()) {
      return CmdError::msg(o_.all_namespaces ? "a resource cannot be retrieved by name across all namespaces"
                                             : "namespace may not be empty when retrieving a resource by name");
    }
    return std::nullopt;
  };
  if (selector_mode) {
    if (!names.empty()) return CmdError::msg("name cannot be provided when a selector is specified");
    if (!tuples.empty())
      return CmdError::msg("selectors and the all flag cannot be used when passing resource/name arguments");
    if (types.empty()) return CmdError::msg("at least one resource must be specified to use a selector");
    if (o_.single_resource_type && types.size() > 1) return CmdError::msg("you may only specify a single resource type");
    std::set<std::string> seen;
    for (const auto& t : types) {
      auto m = mapping_for(t);
      if (!m.ok()) return m.error();
      std::string key = m->resource.group + "/" + m->resource.version + "/" + m->resource.kind;
      if (!seen.insert(key).second) continue;
      visits.push_back({*m, ""});
    }
    *single_item_implied = false;
    return visits;
  }
  if (!tuples.empty()) {
    std::map<std::string, RestMapping> by_type;
    for (const auto& [t, n] : tuples) {
      if (by_type.count(t)) continue;
      auto m = mapping_for(t);
      if (!m.ok()) return m.error();
      by_type.emplace(t, *m);
    }
    if (o_.single_resource_type) {
      std::set<std::string> canonical;
      for (const auto& [t, m] : by_type)
        canonical.insert(m.resource.group + "/" + m.resource.version + "/" + m.resource.name);
      if (canonical.size() > 1) return CmdError::msg("you may only specify a single resource type");
    }
    for (const auto& [t, n] : tuples) {
      const RestMapping& m = by_type.at(t);
      if (auto err = check_name_namespace(m)) return *err;
      visits.push_back({m, n});
    }
    *single_item_implied = tuples.size() == 1;
    return visits;
  }
  // Names of a single type.
  if (types.empty()) return CmdError::msg("you must provide a resource and a resource name together");
  if (types.size() > 1) return CmdError::msg("you must specify only one resource");
  auto m = mapping_for(types[0]);
  if (!m.ok()) return m.error();
  if (auto err = check_name_namespace(*m)) return *err;
  for (const auto& n : names) visits.push_back({*m, n});
  *single_item_implied = names.size() == 1;
  return visits;
}

void ResourceBuilder::fetch(const Visit& v) {
  mappings_.push_back(std::make_unique<RestMapping>(v.mapping));
  const RestMapping* mapping = mappings_.back().get();
  std::string ns = v.namespace_ ? *v.namespace_ : o_.all_namespaces ? "" : o_.namespace_;
  const std::string& accept = o_.accept;
  const std::string& timeout = client_.config().timeout_param;

  if (!v.name.empty()) {
    std::vector<std::pair<std::string, std::string>> q;
    if (o_.include_object) q.emplace_back("includeObject", "Object");
    if (!timeout.empty()) q.emplace_back("timeout", timeout);
    std::string path = path_for_impl(*mapping, ns, v.name);
    if (!o_.subresource.empty()) path += "/" + o_.subresource;
    auto r = client_.get(path + encode_query_impl(q), accept);
    if (!r.ok()) {
      errors_.push_back(r.error());
      return;
    }
    if (r->status >= 400) {
      CmdError e = status_error_from_response(r->status, r->body, "get", mapping->resource.name, v.name);
      if (!(o_.ignore_not_found && e.reason == "NotFound")) errors_.push_back(e);
      return;
    }
    auto obj = Json::parse(r->body, nullptr, false);
    if (obj.is_discarded()) {
      errors_.push_back(CmdError::msg("invalid character in response body"));
      return;
    }
    infos_.push_back({mapping, std::make_unique<Json>(std::move(obj))});
    return;
  }

  // A list, following "continue" (resource.FollowContinue).
  std::string cont;
  std::string label = trim(o_.label_selector), field = trim(o_.field_selector);
  while (true) {
    std::vector<std::pair<std::string, std::string>> q;
    if (!label.empty()) q.emplace_back("labelSelector", label);
    if (!field.empty()) q.emplace_back("fieldSelector", field);
    if (o_.chunk_size > 0) q.emplace_back("limit", std::to_string(o_.chunk_size));
    if (!cont.empty()) q.emplace_back("continue", cont);
    if (o_.include_object) q.emplace_back("includeObject", "Object");
    if (!timeout.empty()) q.emplace_back("timeout", timeout);
    auto r = client_.get(path_for_impl(*mapping, ns, "") + encode_query_impl(q), accept);
    if (!r.ok()) {
      errors_.push_back(r.error());
      return;
    }
    if (r->status >= 400) {
      CmdError e = status_error_from_response(r->status, r->body, "get", mapping->resource.name);
      // resource.EnhanceListError
      if (e.reason == "BadRequest" || e.reason == "NotFound") {
        if (label.empty() && field.empty())
          e.message = "Unable to list \"" + gvr_string(*mapping) + "\": " + e.message;
        else
          e.message = "Unable to find \"" + gvr_string(*mapping) + "\" that match label selector \"" + label +
                      "\", field selector \"" + field + "\": " + e.message;
      }
      errors_.push_back(e);
      return;
    }
    auto list = Json::parse(r->body, nullptr, false);
    if (!list.is_object()) {
      errors_.push_back(CmdError::msg("invalid character in response body"));
      return;
    }
    cont.clear();
    if (list.contains("metadata") && list["metadata"].is_object()) {
      cont = list["metadata"].value("continue", "");
      list_versions_.push_back(list["metadata"].value("resourceVersion", ""));
    } else {
      list_versions_.push_back("");
    }
    if (!o_.flatten) {
      infos_.push_back({mapping, std::make_unique<Json>(std::move(list))});
    } else if (list.contains("items") && list["items"].is_array()) {
      // Flatten: each item becomes an object with the mapping's apiVersion and kind.
      std::string api_version = mapping->resource.group.empty()
                                    ? mapping->resource.version
                                    : mapping->resource.group + "/" + mapping->resource.version;
      for (auto& item : list["items"]) {
        if (!item.is_object()) continue;
        item["apiVersion"] = api_version;
        item["kind"] = mapping->resource.kind;
        infos_.push_back({mapping, std::make_unique<Json>(std::move(item))});
      }
    }
    if (cont.empty()) break;
  }
}

}  // namespace kapi::client
