// `create role` and `create clusterrole` (kubectl pkg/cmd/create/create_role.go,
// create_clusterrole.go): one rule per API group from --verb/--resource/--resource-name, with
// resources resolved through the REST mapper; a cluster role may instead carry non-resource
// URLs or an aggregation rule.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "client/rest_mapper.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct ResourceOption {
  std::string group, resource, subresource;
};

const std::vector<std::string> kResourceVerbs = {"*",     "get",   "delete", "list",  "create",
                                                 "update", "patch", "watch",  "proxy", "deletecollection",
                                                 "use",   "bind",  "escalate", "impersonate"};
const std::vector<std::string> kNonResourceVerbs = {"*", "get", "post", "put", "delete", "patch", "head", "options"};

// specialVerbs: the only group/resources these verbs apply to.
const std::map<std::string, std::vector<std::pair<std::string, std::string>>>& special_verbs() {
  static const std::map<std::string, std::vector<std::pair<std::string, std::string>>> kVerbs = {
      {"use", {{"policy", "podsecuritypolicies"}, {"extensions", "podsecuritypolicies"}}},
      {"bind", {{"rbac.authorization.k8s.io", "roles"}, {"rbac.authorization.k8s.io", "clusterroles"}}},
      {"escalate", {{"rbac.authorization.k8s.io", "roles"}, {"rbac.authorization.k8s.io", "clusterroles"}}},
      {"impersonate",
       {{"", "users"}, {"", "serviceaccounts"}, {"", "groups"}, {"authentication.k8s.io", "userextras"}}},
  };
  return kVerbs;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> unique(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in)
    if (!contains(out, s)) out.push_back(s);
  return out;
}

std::vector<std::string> verbs_of(const FlagSet& f) {
  std::vector<std::string> verbs;
  for (const auto& v : f.get_strings("verb")) {
    if (v == "*") return {"*"};
    if (!contains(verbs, v)) verbs.push_back(v);
  }
  return verbs;
}

std::vector<ResourceOption> resources_of(const FlagSet& f) {
  std::vector<ResourceOption> out;
  for (const auto& r : f.get_strings("resource")) {
    ResourceOption o;
    std::string main = r;
    if (auto slash = r.find('/'); slash != std::string::npos) {
      o.subresource = r.substr(slash + 1);
      main = r.substr(0, slash);
    }
    bool has_group = main.find('.') != std::string::npos;
    if (has_group) o.group = main.substr(main.find('.') + 1);
    o.resource = main.substr(0, main.find('.'));
    if (o.resource == "*" && !has_group && r.find('/') == std::string::npos) return {o};
    out.push_back(o);
  }
  return out;
}

// mapper.ResourceFor; the error text is the REST mapper's NoResourceMatchError.
Result<std::pair<std::string, std::string>> resource_for(GeneratorContext& ctx, const ResourceOption& r) {
  auto d = ctx.discovery();
  if (!d.ok()) return d.error();
  auto data = (*d)->get();
  if (!data.ok()) return data.error();
  RestMapper mapper(**data);
  auto found = mapper.resource_for_group(r.group, r.resource);
  if (!found && !(*d)->fresh()) {
    auto fresh = (*d)->refresh();
    if (!fresh.ok()) return fresh.error();
    found = RestMapper(**fresh).resource_for_group(r.group, r.resource);
  }
  // checkErr prints a NoResourceMatchError bare (no "error: ").
  if (!found)
    return CmdError::verbatim("the server doesn't have a resource type \"" + r.resource + "\"" +
                              (r.group.empty() ? "" : " in group \"" + r.group + "\"") + "\n");
  return std::make_pair(found->group, found->name);
}

std::optional<CmdError> validate_resources(GeneratorContext& ctx, const std::vector<std::string>& verbs,
                                           const std::vector<ResourceOption>& resources) {
  for (const auto& r : resources) {
    if (r.resource.empty()) return CmdError::msg("resource must be specified if apiGroup/subresource specified");
    if (r.resource == "*") return std::nullopt;
    std::pair<std::string, std::string> gr{r.group, r.resource};
    auto found = resource_for(ctx, r);
    std::optional<CmdError> err;
    if (found.ok()) gr = *found;
    else err = found.error();
    for (const auto& v : verbs) {
      auto it = special_verbs().find(v);
      if (it == special_verbs().end()) continue;
      bool match = false;
      for (const auto& [g, res] : it->second)
        if (gr.second == res && gr.first == g) match = true;
      if (!match)
        return CmdError::msg("can not perform '" + v + "' on '" + gr.second + "' in group '" + gr.first + "'");
      err.reset();
    }
    if (err) return err;
  }
  return std::nullopt;
}

void warn_verbs(GeneratorContext& ctx, const std::vector<std::string>& verbs) {
  for (const auto& v : verbs)
    if (!contains(kResourceVerbs, v)) {
      flush_stdout(ctx.env.out);
      write_stderr("Warning: '" + v + "' is not a standard resource verb\n");
    }
}

// generateResourcePolicyRules: one rule per group (sorted), then the non-resource URLs.
Result<Json> policy_rules(GeneratorContext& ctx, const std::vector<std::string>& verbs,
                          const std::vector<ResourceOption>& resources, const std::vector<std::string>& names,
                          const std::vector<std::string>& urls) {
  std::map<std::string, std::vector<std::string>> by_group;
  for (const auto& r : resources) {
    std::pair<std::string, std::string> gr{r.group, r.resource};
    if (r.resource != "*") {
      auto found = resource_for(ctx, r);
      if (found.ok()) gr = *found;
    }
    std::string res = r.subresource.empty() ? gr.second : gr.second + "/" + r.subresource;
    auto& list = by_group[gr.first];
    if (!contains(list, res)) list.push_back(res);
  }
  Json rules = Json::array();
  for (const auto& [group, list] : by_group) {
    Json rule = {{"verbs", verbs}, {"apiGroups", Json::array({group})}, {"resources", list}};
    if (!names.empty()) rule["resourceNames"] = names;
    rules.push_back(std::move(rule));
  }
  if (!urls.empty()) rules.push_back({{"verbs", verbs}, {"nonResourceURLs", urls}});
  return rules;
}

// --- role

std::optional<CmdError> validate_role(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  auto verbs = verbs_of(f);
  if (verbs.empty()) return CmdError::msg("at least one verb must be specified");
  warn_verbs(ctx, verbs);
  auto resources = resources_of(f);
  if (resources.empty()) return CmdError::msg("at least one resource must be specified");
  return validate_resources(ctx, verbs, resources);
}

std::optional<CmdError> generate_role(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  auto rules = policy_rules(ctx, verbs_of(f), resources_of(f), unique(f.get_strings("resource-name")), {});
  if (!rules.ok()) return rules.error();
  out = {{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "Role"}, {"metadata", {{"name", ctx.name}}},
         {"rules", *rules}};
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  return std::nullopt;
}

// --- clusterrole

// cliflag.MapStringString: "k=v,k2=v2".
Result<Json> aggregation_labels(const FlagSet& f) {
  Json labels = Json::object();
  for (const auto& v : f.get_strings("aggregation-rule")) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string pair = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      size_t eq = pair.find('=');
      if (eq == std::string::npos)
        return CmdError::msg("invalid argument \"" + v + "\" for \"--aggregation-rule\" flag: malformed pair, expect string=string");
      std::string k = pair.substr(0, eq), val = pair.substr(eq + 1);
      auto trim = [](std::string s) {
        size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
      };
      labels[trim(k)] = trim(val);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return labels;
}

std::optional<CmdError> validate_clusterrole(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  auto agg = aggregation_labels(f);
  if (!agg.ok()) return agg.error();
  auto verbs = verbs_of(f);
  auto resources = resources_of(f);
  auto urls = unique(f.get_strings("non-resource-url"));
  if (!agg->empty()) {
    if (!urls.empty() || !verbs.empty() || !resources.empty() || !f.get_strings("resource-name").empty())
      return CmdError::msg(
          "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames");
    return std::nullopt;
  }
  if (verbs.empty()) return CmdError::msg("at least one verb must be specified");
  if (resources.empty() && urls.empty()) return CmdError::msg("one of resource or nonResourceURL must be specified");
  if (!resources.empty()) {
    warn_verbs(ctx, verbs);
    if (auto err = validate_resources(ctx, verbs, resources)) return err;
  }
  if (!urls.empty()) {
    for (const auto& v : verbs)
      if (!contains(kNonResourceVerbs, v)) return CmdError::msg("invalid verb: '" + v + "' for nonResourceURL");
    for (const auto& u : urls) {
      if (u == "*") continue;
      if (u.empty() || u[0] != '/') return CmdError::msg("nonResourceURL should start with /");
      if (u.substr(0, u.size() - 1).find('*') != std::string::npos)
        return CmdError::msg("nonResourceURL only supports wildcard matches when '*' is at the end");
    }
  }
  return std::nullopt;
}

std::optional<CmdError> generate_clusterrole(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = {{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "ClusterRole"}, {"metadata", {{"name", ctx.name}}}};
  auto agg = aggregation_labels(f);
  if (!agg.ok()) return agg.error();
  if (!agg->empty()) {
    out["aggregationRule"] = {{"clusterRoleSelectors", Json::array({{{"matchLabels", *agg}}})}};
    return std::nullopt;
  }
  auto rules = policy_rules(ctx, verbs_of(f), resources_of(f), unique(f.get_strings("resource-name")),
                            unique(f.get_strings("non-resource-url")));
  if (!rules.ok()) return rules.error();
  out["rules"] = *rules;
  return std::nullopt;
}

void add_rule_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string_slice("resource", 0);
  f.add_string_array("resource-name", 0);
  f.add_string_slice("verb", 0);
}

const CreateGenerator kRole{"rbac.authorization.k8s.io/v1", "Role", "roles", true, nullptr, validate_role,
                            generate_role};
const CreateGenerator kClusterRole{"rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", false, nullptr,
                                   validate_clusterrole, generate_clusterrole};

}  // namespace

void add_create_role_flags(FlagSet& f) { add_rule_flags(f); }
int run_create_role(CommandEnv& env) { return run_create_generator(env, kRole); }

void add_create_clusterrole_flags(FlagSet& f) {
  add_rule_flags(f);
  f.add_string_array("aggregation-rule", 0);
  f.add_string_slice("non-resource-url", 0);
}
int run_create_clusterrole(CommandEnv& env) { return run_create_generator(env, kClusterRole); }

}  // namespace kapi::client
