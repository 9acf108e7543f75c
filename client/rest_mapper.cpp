#include "client/rest_mapper.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "client/warnings.h"

namespace kapi::client {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool same(const ApiResource& a, const ApiResource& b) {
  return a.group == b.group && a.version == b.version && a.name == b.name;
}

}  // namespace

std::string RestMapping::group_kind_lower() const {
  std::string k = lower(resource.kind);
  return resource.group.empty() ? k : k + "." + lower(resource.group);
}

std::string RestMapping::api_path() const {
  return resource.group.empty() ? "/api/" + resource.version
                                : "/apis/" + resource.group + "/" + resource.version;
}

std::string resource_for_error(const std::string& arg) {
  size_t dot = arg.find('.');
  return dot == std::string::npos ? arg : arg.substr(0, dot);
}

// client-go restmapper shortcutExpander.expandResourceShortcut: (group, resource).
std::pair<std::string, std::string> RestMapper::expand_shortcut(const std::string& group,
                                                                const std::string& resource) const {
  // An exact plural or singular name is never expanded.
  for (const auto& r : data_.resources) {
    if (!group.empty() && group != r.group) continue;
    if (resource == r.name || resource == r.singular) return {group, resource};
  }
  // The first match wins; a later one for another group/resource only draws a warning.
  const ApiResource* found = nullptr;
  for (const auto& r : data_.resources) {
    if (!group.empty() && group != r.group) continue;
    for (const auto& sn : r.short_names) {
      if (sn != resource) continue;
      if (!found) {
        found = &r;
      } else if (r.group != found->group || r.name != found->name) {
        print_warning("short name \"" + resource + "\" could also match lower priority resource " + r.name +
                      (r.group.empty() ? "" : "." + r.group));
      }
    }
  }
  if (found) return {found->group, found->name};
  if (group.empty()) return {group, resource};
  // Group prefix match ("autoscal" for "autoscaling").
  for (const auto& r : data_.resources) {
    if (r.group.rfind(group, 0) != 0) continue;
    for (const auto& sn : r.short_names)
      if (sn == resource) return {r.group, r.name};
  }
  return {group, resource};
}

std::optional<ApiResource> RestMapper::pick_by_priority(
    const std::vector<const ApiResource*>& matches) const {
  if (matches.empty()) return std::nullopt;
  // Unique by group/version/resource.
  std::vector<const ApiResource*> remaining;
  for (const auto* m : matches) {
    bool dup = false;
    for (const auto* r : remaining) dup |= same(*r, *m);
    if (!dup) remaining.push_back(m);
  }
  if (remaining.size() == 1) return *remaining[0];
  // Patterns: core/v1; each group's preferred version, then its other versions; then each group.
  std::vector<std::pair<std::string, std::string>> patterns{{"", "v1"}};
  for (const auto& g : data_.groups)
    for (const auto& v : g.versions) patterns.emplace_back(g.name, v);
  for (const auto& g : data_.groups) patterns.emplace_back(g.name, "*");
  for (const auto& [group, version] : patterns) {
    std::vector<const ApiResource*> hit;
    for (const auto* r : remaining)
      if (r->group == group && (version == "*" || r->version == version)) hit.push_back(r);
    if (hit.size() == 1) return *hit[0];
    if (hit.size() > 1) remaining = hit;
  }
  return *remaining[0];
}

std::optional<ApiResource> RestMapper::resource_for(std::string group, std::string version,
                                                    std::string resource) const {
  resource = lower(resource);
  std::vector<const ApiResource*> matches;
  auto name_matches = [&](const ApiResource& r) { return r.name == resource || r.singular == resource; };
  if (!group.empty() && !version.empty()) {
    for (const auto& r : data_.resources)
      if (r.group == group && r.version == version && name_matches(r)) matches.push_back(&r);
  } else if (!group.empty()) {
    for (const auto& r : data_.resources)
      if (r.group == group && name_matches(r)) matches.push_back(&r);
    if (matches.empty()) {
      // "storageclass.storage" matches "storageclasses.storage.k8s.io".
      for (const auto& r : data_.resources)
        if (r.group.rfind(group, 0) == 0 && name_matches(r)) matches.push_back(&r);
    }
  } else if (!version.empty()) {
    for (const auto& r : data_.resources)
      if (r.version == version && name_matches(r)) matches.push_back(&r);
  } else {
    for (const auto& r : data_.resources)
      if (name_matches(r)) matches.push_back(&r);
  }
  return pick_by_priority(matches);
}

std::optional<ApiResource> RestMapper::resource_for_group(const std::string& group,
                                                          const std::string& resource) const {
  auto [g, r] = expand_shortcut(group, resource);
  return resource_for(g, "", r);
}

std::optional<RestMapping> RestMapper::mapping_for_kind(const std::string& group, const std::string& version,
                                                       const std::string& kind) const {
  if (auto r = kind_for(group, version, kind)) return RestMapping{*r};
  return std::nullopt;
}

std::optional<ApiResource> RestMapper::kind_for(const std::string& group, const std::string& version,
                                                const std::string& kind) const {
  std::vector<const ApiResource*> matches;
  for (const auto& r : data_.resources) {
    if (r.group != group) continue;
    if (!version.empty() && r.version != version) continue;
    if (r.kind == kind || lower(r.kind) == kind) matches.push_back(&r);
  }
  if (matches.empty()) return std::nullopt;
  if (version.empty()) {
    // DefaultRESTMapper.RESTMapping: the group's versions in preference order.
    for (const auto& g : data_.groups) {
      if (g.name != group) continue;
      for (const auto& v : g.versions)
        for (const auto* m : matches)
          if (m->version == v) return *m;
    }
  }
  return *matches[0];
}

std::optional<RestMapping> RestMapper::mapping_for(const std::string& arg) const {
  // schema.ParseResourceArg: "resource.version.group" when there are two or more dots.
  std::optional<std::tuple<std::string, std::string, std::string>> gvr;  // group, version, resource
  if (std::count(arg.begin(), arg.end(), '.') >= 2) {
    size_t d1 = arg.find('.');
    size_t d2 = arg.find('.', d1 + 1);
    gvr.emplace(arg.substr(d2 + 1), arg.substr(d1 + 1, d2 - d1 - 1), arg.substr(0, d1));
  }
  size_t dot = arg.find('.');
  std::string gr_group = dot == std::string::npos ? "" : arg.substr(dot + 1);
  std::string gr_resource = dot == std::string::npos ? arg : arg.substr(0, dot);

  auto with_shortcut = [&](std::string group, std::string version,
                           std::string resource) -> std::optional<ApiResource> {
    auto [g, r] = expand_shortcut(group, resource);
    return resource_for(g, version, r);
  };

  std::optional<ApiResource> found;
  if (gvr) found = with_shortcut(std::get<0>(*gvr), std::get<1>(*gvr), std::get<2>(*gvr));
  if (!found) found = with_shortcut(gr_group, "", gr_resource);
  if (found) return RestMapping{*found};

  // Kind: "Kind.version.group" or "Kind.group".
  if (gvr) {
    if (auto k = kind_for(std::get<0>(*gvr), std::get<1>(*gvr), std::get<2>(*gvr)))
      return RestMapping{*k};
  }
  if (auto k = kind_for(gr_group, "", gr_resource)) return RestMapping{*k};
  return std::nullopt;
}

std::optional<std::vector<std::string>> RestMapper::expand_category(const std::string& name) const {
  std::vector<std::string> out;
  bool any = false;
  for (const auto& r : data_.resources) {
    for (const auto& c : r.categories) {
      if (c != name) continue;
      any = true;
      out.push_back(r.group.empty() ? r.name : r.name + "." + r.group);
    }
  }
  if (!any) return std::nullopt;
  return out;
}

}  // namespace kapi::client
