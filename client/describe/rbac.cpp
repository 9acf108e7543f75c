// Role/ClusterRole and RoleBinding/ClusterRoleBinding describers (describe.go), with kubectl's
// rule breakdown and compaction (util/rbac).
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "client/describe/common.h"
#include "client/describe/describer.h"

namespace kapi::client::describe {
namespace {

struct Rule {
  std::vector<std::string> verbs, groups, resources, names, urls;
  // PolicyRule.String() (generated), the sort key.
  std::string go_string() const {
    auto l = [](const std::vector<std::string>& v) { return "[" + join(v, " ") + "]"; };
    return "&PolicyRule{Verbs:" + l(verbs) + ",APIGroups:" + l(groups) +
           ",Resources:" + l(resources) + ",ResourceNames:" + l(names) +
           ",NonResourceURLs:" + l(urls) + ",}";
  }
};

// BreakdownRule: one verb, resource and resource name per rule.
std::vector<Rule> breakdown(const Json& rule) {
  std::vector<Rule> out;
  auto verbs = strings_of(at(rule, "verbs"));
  auto names = strings_of(at(rule, "resourceNames"));
  for (const auto& g : strings_of(at(rule, "apiGroups")))
    for (const auto& r : strings_of(at(rule, "resources")))
      for (const auto& v : verbs) {
        if (names.empty())
          out.push_back({{v}, {g}, {r}, {}, {}});
        else
          for (const auto& n : names) out.push_back({{v}, {g}, {r}, {n}, {}});
      }
  for (const auto& u : strings_of(at(rule, "nonResourceURLs")))
    for (const auto& v : verbs) out.push_back({{v}, {}, {}, {}, {u}});
  return out;
}

// CompactRules: simple rules (one group, one resource, at most one name) merge their verbs.
std::vector<Rule> compact(const std::vector<Rule>& rules) {
  std::vector<Rule> out;
  std::map<std::tuple<std::string, std::string, bool, std::string>, size_t> simple;
  std::vector<Rule> simple_rules;
  for (const auto& r : rules) {
    bool is_simple =
        r.names.size() <= 1 && r.urls.empty() && r.groups.size() == 1 && r.resources.size() == 1;
    if (!is_simple) {
      out.push_back(r);
      continue;
    }
    auto key = std::make_tuple(r.groups[0], r.resources[0], !r.names.empty(),
                               r.names.empty() ? "" : r.names[0]);
    auto it = simple.find(key);
    if (it == simple.end()) {
      simple[key] = simple_rules.size();
      simple_rules.push_back(r);
      continue;
    }
    Rule& existing = simple_rules[it->second];
    for (const auto& v : r.verbs)
      if (std::find(existing.verbs.begin(), existing.verbs.end(), v) == existing.verbs.end())
        existing.verbs.push_back(v);
  }
  for (auto& r : simple_rules) out.push_back(std::move(r));
  return out;
}

std::string combine_resource_group(const std::vector<std::string>& resources,
                                   const std::vector<std::string>& groups) {
  if (resources.empty()) return "";
  std::string res = resources[0];
  size_t slash = res.find('/');
  std::string combine = res.substr(0, slash);
  if (!groups.empty() && !groups[0].empty()) combine += "." + groups[0];
  if (slash != std::string::npos) combine += "/" + res.substr(slash + 1);
  return combine;
}

}  // namespace

Result<std::string> describe_role(Describe& d, const Json& role) {
  (void)d;
  std::vector<Rule> broken;
  for (const auto& r : items(at(role, "rules")))
    for (auto& b : breakdown(r)) broken.push_back(std::move(b));
  auto rules = compact(broken);
  std::stable_sort(rules.begin(), rules.end(),
                   [](const Rule& a, const Rule& b) { return a.go_string() < b.go_string(); });
  TabbedWriter w;
  const Json& meta = at(role, "metadata");
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "PolicyRule:\n");
  w.write(kLevel1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
  w.write(kLevel1, "---------\t-----------------\t--------------\t-----\n");
  auto l = [](const std::vector<std::string>& v) { return "[" + join(v, " ") + "]"; };
  for (const auto& r : rules)
    w.write(kLevel1, combine_resource_group(r.resources, r.groups) + "\t" + l(r.urls) + "\t" +
                         l(r.names) + "\t" + l(r.verbs) + "\n");
  return w.str();
}

Result<std::string> describe_role_binding(Describe& d, const Json& binding) {
  (void)d;
  TabbedWriter w;
  const Json& meta = at(binding, "metadata");
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "Role:\n");
  w.write(kLevel1, "Kind:\t" + str(at(binding, "roleRef"), "kind") + "\n");
  w.write(kLevel1, "Name:\t" + str(at(binding, "roleRef"), "name") + "\n");
  w.write(kLevel0, "Subjects:\n");
  w.write(kLevel1, "Kind\tName\tNamespace\n");
  w.write(kLevel1, "----\t----\t---------\n");
  for (const auto& s : items(at(binding, "subjects")))
    w.write(kLevel1, str(s, "kind") + "\t" + str(s, "name") + "\t" + str(s, "namespace") + "\n");
  return w.str();
}

}  // namespace kapi::client::describe
