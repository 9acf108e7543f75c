// `kapi auth can-i` and `kapi auth whoami` (kubectl pkg/cmd/auth/cani.go, whoami.go): a
// SelfSubjectAccessReview (yes/no, exit 1 for no), a SelfSubjectRulesReview (--list, broken
// down and compacted like kubectl's rbac util), and a SelfSubjectReview.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "client/cmd/command.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/printers/object_printer.h"
#include "client/printers/tabwriter.h"
#include "client/resource_builder.h"
#include "client/rest_mapper.h"
#include "pkg/machinery/go_yaml.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

const std::set<std::string> kResourceVerbs = {"get",  "list", "watch", "create",      "update", "patch",    "delete",
                                              "deletecollection", "use", "bind", "impersonate", "*",
                                              "approve", "sign", "escalate", "attest"};
const std::set<std::string> kNonResourceVerbs = {"get", "put", "post", "head", "options", "delete", "patch", "*"};

void warn(std::string& out, const std::string& message) {
  flush_stdout(out);
  write_stderr("Warning: " + message + "\n");
}

// fmt's %v of a []string.
std::string go_list(const Strings& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + v[i];
  return s + "]";
}

Strings strings_at(const Json& j, const char* key) {
  Strings out;
  if (j.contains(key) && j[key].is_array())
    for (const auto& s : j[key]) out.push_back(s.is_string() ? s.get<std::string>() : "");
  return out;
}

Result<Json> post(CommandEnv& env, const std::string& path, const Json& body) {
  auto client = env.factory.rest_client();
  if (!client.ok()) return client.error();
  auto r = (*client)->send("POST", path, "application/json", body.dump());
  if (!r.ok()) return r.error();
  if (r->status < 200 || r->status > 299) return status_error_from_response(r->status, r->body, "post");
  auto j = Json::parse(r->body, nullptr, false);
  if (!j.is_object()) return CmdError::msg("couldn't decode the server's answer");
  return j;
}

struct Rule {
  Strings verbs, groups, resources, names, urls;
  // The generated PolicyRule.String() kubectl sorts by.
  std::string key() const {
    return "&PolicyRule{Verbs:" + go_list(verbs) + ",APIGroups:" + go_list(groups) + ",Resources:" +
           go_list(resources) + ",ResourceNames:" + go_list(names) + ",NonResourceURLs:" + go_list(urls) + ",}";
  }
};

// rbac util BreakdownRule: one rule per group x resource x verb (x name), and per URL x verb.
std::vector<Rule> breakdown(const Rule& r) {
  std::vector<Rule> out;
  for (const auto& g : r.groups)
    for (const auto& res : r.resources)
      for (const auto& v : r.verbs) {
        if (r.names.empty()) out.push_back({{v}, {g}, {res}, {}, {}});
        for (const auto& n : r.names) out.push_back({{v}, {g}, {res}, {n}, {}});
      }
  for (const auto& u : r.urls)
    for (const auto& v : r.verbs) out.push_back({{v}, {}, {}, {}, {u}});
  return out;
}

// rbac util CompactRules: simple rules (one group, one resource, at most one name) of the same
// resource merge their verbs.
std::vector<Rule> compact(const std::vector<Rule>& rules) {
  std::vector<Rule> out;
  std::map<std::tuple<std::string, std::string, std::string>, Rule> simple;
  std::vector<std::tuple<std::string, std::string, std::string>> order;
  for (const auto& r : rules) {
    bool is_simple = r.urls.empty() && r.groups.size() == 1 && r.resources.size() == 1 && r.names.size() <= 1;
    if (!is_simple) {
      out.push_back(r);
      continue;
    }
    auto key = std::make_tuple(r.groups[0], r.resources[0], r.names.empty() ? "" : r.names[0]);
    auto it = simple.find(key);
    if (it == simple.end()) {
      simple.emplace(key, r);
      order.push_back(key);
    } else {
      it->second.verbs.insert(it->second.verbs.end(), r.verbs.begin(), r.verbs.end());
    }
  }
  for (const auto& k : order) out.push_back(simple[k]);
  return out;
}

// describe.CombineResourceGroup
std::string combine_resource_group(const Strings& resources, const Strings& groups) {
  if (resources.empty()) return "";
  const std::string& r = resources[0];
  size_t slash = r.find('/');
  std::string out = r.substr(0, slash);
  if (!groups.empty() && !groups[0].empty()) out += "." + groups[0];
  if (slash != std::string::npos) out += r.substr(slash);
  return out;
}

int run_can_i_list(CommandEnv& env, const std::string& ns) {
  Json review = {{"kind", "SelfSubjectRulesReview"},
                 {"apiVersion", "authorization.k8s.io/v1"},
                 {"metadata", {{"creationTimestamp", nullptr}}},
                 {"spec", {{"namespace", ns}}},
                 {"status", {{"resourceRules", nullptr}, {"nonResourceRules", nullptr}, {"incomplete", false}}}};
  auto res = post(env, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", review);
  if (!res.ok()) return report_error(env.out, res.error());
  Json status = res->value("status", Json::object());
  if (status.value("incomplete", false))
    warn(env.out, "the list may be incomplete: " + status.value("evaluationError", ""));
  std::vector<Rule> broken;
  for (const auto& r : status.value("resourceRules", Json::array()))
    for (auto& b : breakdown({strings_at(r, "verbs"), strings_at(r, "apiGroups"), strings_at(r, "resources"),
                              strings_at(r, "resourceNames"), {}}))
      broken.push_back(std::move(b));
  for (const auto& r : status.value("nonResourceRules", Json::array()))
    for (auto& b : breakdown({strings_at(r, "verbs"), {}, {}, {}, strings_at(r, "nonResourceURLs")}))
      broken.push_back(std::move(b));
  std::vector<Rule> rules = compact(broken);
  std::stable_sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) { return a.key() < b.key(); });
  std::string buffer;
  TabWriter w(buffer);
  if (!env.flags.get_bool("no-headers")) w.write("Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
  for (const auto& r : rules)
    w.write(combine_resource_group(r.resources, r.groups) + "\t" + go_list(r.urls) + "\t" + go_list(r.names) + "\t" +
            go_list(r.verbs) + "\n");
  w.flush();
  env.out += buffer;
  return 0;
}

// can-i's resourceFor through kubectl's DeferredDiscoveryRESTMapper: a name that does not resolve
// refetches the cached discovery once. A failed discovery is no error here (the name is then
// unknown), but memcache logs each failed fetch: twice per ResourceFor call from scratch (two
// calls for a "resource.version.group" argument), once for the refetch after a cache miss.
std::optional<RestMapping> resource_for(Discovery& discovery, const std::string& arg) {
  const int calls = std::count(arg.begin(), arg.end(), '.') >= 2 ? 2 : 1;
  auto data = discovery.get();
  if (!data.ok()) {
    discovery_failed(data.error(), 2 * calls);
    return std::nullopt;
  }
  if (auto m = RestMapper(**data).mapping_for(arg)) return m;
  if (discovery.fresh()) return std::nullopt;
  auto fresh = discovery.refresh();
  if (!fresh.ok()) {
    discovery_failed(fresh.error(), 1 + 2 * (calls - 1));
    return std::nullopt;
  }
  return RestMapper(**fresh).mapping_for(arg);
}

// cani.go isNamespaced: asks the server (not the discovery cache) for the resource's
// group-version; any failure means "namespaced", so no warning.
bool live_namespaced(CommandEnv& env, const ApiResource& r) {
  auto client = env.factory.rest_client();
  if (!client.ok()) return true;
  std::string gv = r.group.empty() ? r.version : r.group + "/" + r.version;
  auto resp = (*client)->get((r.group.empty() ? "/api/" : "/apis/") + gv, "application/json, */*");
  if (!resp.ok() || resp->status != 200) return true;
  auto list = Json::parse(resp->body, nullptr, false);
  if (!list.is_object() || !list["resources"].is_array()) return true;
  for (const auto& res : list["resources"])
    if (res.is_object() && res.value("name", "") == r.name) return res.value("namespaced", false);
  return true;  // kubectl: a "the server doesn't have a resource type" error, which is ignored
}

}  // namespace

void add_auth_can_i_flags(FlagSet& flags) {
  flags.remove("all-namespaces");
  flags.add_bool("all-namespaces", 'A', false);
  flags.add_bool("quiet", 'q', false);
  flags.add_string("subresource", 0, "");
  flags.add_bool("list", 0, false);
  flags.add_bool("no-headers", 0, false);
}

int run_auth_can_i(CommandEnv& env) {
  const FlagSet& f = env.flags;
  const bool list = f.get_bool("list"), quiet = f.get_bool("quiet"), all_ns = f.get_bool("all-namespaces");
  const std::string subresource = f.get_string("subresource");
  std::string verb, url, resource, group, name;
  bool have_resource = false;
  std::optional<ApiResource> mapped;
  if (list) {
    if (!env.args.empty()) return report_error(env.out, CmdError::msg("list option must be specified with no arguments"));
  } else {
    if (env.args.size() != 2)
      return report_error(env.out, CmdError::msg("you must specify two arguments: verb resource or verb "
                                                 "resource/resourceName.\nSee 'kubectl auth can-i -h' for help "
                                                 "and examples."));
    verb = env.args[0];
    const std::string& target = env.args[1];
    if (target.rfind("/", 0) == 0) {
      url = target;
    } else {
      size_t slash = target.find('/');
      std::string arg = target.substr(0, slash);
      if (slash != std::string::npos) name = target.substr(slash + 1);
      have_resource = true;
      if (arg == "*") {
        resource = "*";
      } else {
        auto d = env.factory.discovery();
        if (!d.ok()) return report_error(env.out, d.error());
        std::string lowered = arg;
        for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (auto m = resource_for(**d, lowered)) {
          mapped = m->resource;
          resource = m->resource.name;
          group = m->resource.group;
        } else {
          // schema.ParseResourceArg's group resource: the part before the first dot, then the rest.
          size_t dot = lowered.find('.');
          std::string r = lowered.substr(0, dot), g = dot == std::string::npos ? "" : lowered.substr(dot + 1);
          if (lowered != "users" && lowered != "groups")
            warn(env.out, g.empty() ? "the server doesn't have a resource type '" + r + "'\n"
                                    : "the server doesn't have a resource type '" + r + "' in group '" + g + "'\n");
          resource = arg;
        }
      }
    }
  }
  std::string ns;
  if (!all_ns) {
    auto n = env.factory.client_config().namespace_for_request();
    if (!n.ok()) return report_error(env.out, n.error());
    ns = *n;
  }
  if (list) {
    if (quiet || all_ns || !subresource.empty())
      return report_error(env.out, CmdError::msg("list option can't be specified with neither quiet, all-namespaces "
                                                 "nor subresource options"));
    return run_can_i_list(env, ns);
  }
  if (!url.empty()) {
    if (!subresource.empty()) return report_error(env.out, CmdError::msg("--subresource can not be used with NonResourceURL"));
    if (!kNonResourceVerbs.count(verb)) warn(env.out, "verb '" + verb + "' is not a known verb\n");
  } else if (have_resource && !all_ns) {
    if (mapped && !live_namespaced(env, *mapped))
      warn(env.out, mapped->group.empty() ? "resource '" + resource + "' is not namespace scoped\n"
                                          : "resource '" + resource + "' is not namespace scoped in group '" +
                                                mapped->group + "'\n");
    if (!kResourceVerbs.count(verb)) warn(env.out, "verb '" + verb + "' is not a known verb\n");
  }
  if (f.get_bool("no-headers"))
    return report_error(env.out, CmdError::msg("--no-headers cannot be set without --list specified"));

  Json spec = Json::object();
  if (url.empty()) {
    Json attrs = Json::object();
    auto put = [&](const char* k, const std::string& v) {
      if (!v.empty()) attrs[k] = v;
    };
    put("namespace", ns);
    put("verb", verb);
    put("group", group);
    put("resource", resource);
    put("subresource", subresource);
    put("name", name);
    spec["resourceAttributes"] = attrs;
  } else {
    spec["nonResourceAttributes"] = {{"path", url}, {"verb", verb}};
  }
  Json review = {{"kind", "SelfSubjectAccessReview"},
                 {"apiVersion", "authorization.k8s.io/v1"},
                 {"metadata", {{"creationTimestamp", nullptr}}},
                 {"spec", spec},
                 {"status", {{"allowed", false}}}};
  auto res = post(env, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review);
  if (!res.ok()) return report_error(env.out, res.error());
  Json status = res->value("status", Json::object());
  bool allowed = status.value("allowed", false);
  std::string text;
  if (allowed) {
    text = "yes\n";
  } else {
    text = "no";
    if (!status.value("reason", "").empty()) text += " - " + status.value("reason", "");
    if (!status.value("evaluationError", "").empty()) text += " - " + status.value("evaluationError", "");
    text += "\n";
  }
  if (!quiet) env.out += text;
  return allowed ? 0 : 1;
}

void add_auth_whoami_flags(FlagSet& flags) {
  flags.add_string("output", 'o', "");
  flags.add_string("template", 0, "");
  flags.add_bool("allow-missing-template-keys", 0, true);
  flags.add_bool("show-managed-fields", 0, false);
}

int run_auth_whoami(CommandEnv& env) {
  std::string output = env.flags.get_string("output");
  std::string tmpl = env.flags.get_string("template");
  if (output.rfind("jsonpath=", 0) == 0) {
    tmpl = output.substr(9);
    output = "jsonpath";
  }
  if (!output.empty() && output != "json" && output != "yaml" && output != "name" && output != "jsonpath")
    return report_error(env.out, CmdError::msg("unable to match a printer suitable for the output format " + machinery::gofmt::quote(output) +
                                               ", allowed formats are: go-template,go-template-file,json,jsonpath,"
                                               "jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"));
  Json review = {{"kind", "SelfSubjectReview"},
                 {"apiVersion", "authentication.k8s.io/v1"},
                 {"metadata", {{"creationTimestamp", nullptr}}},
                 {"status", {{"userInfo", Json::object()}}}};
  auto res = post(env, "/apis/authentication.k8s.io/v1/selfsubjectreviews", review);
  if (!res.ok()) {
    const CmdError& e = res.error();
    if (e.kind == CmdError::Kind::kStatus && e.code == 403)
      return report_error(env.out, CmdError::msg("the selfsubjectreviews API is not enabled in the cluster or you do "
                                                 "not have permission to call it"));
    if (e.kind == CmdError::Kind::kStatus && e.code == 404)
      return report_error(env.out, CmdError::msg("the selfsubjectreviews API is not enabled in the cluster\nenable "
                                                 "APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 "
                                                 "or authentication.k8s.io/v1beta1 API"));
    return report_error(env.out, e);
  }
  Json obj = *res;
  if (output == "json") {
    env.out += to_go_json_ordered(obj, "    ") + "\n";
    return 0;
  }
  if (output == "yaml") {
    env.out += machinery::goyaml::marshal(obj);
    return 0;
  }
  if (output == "name") {
    env.out += "selfsubjectreview.authentication.k8s.io/<unknown>\n";
    return 0;
  }
  if (output == "jsonpath") {
    ObjectPrintOptions po;
    po.format = "jsonpath";
    po.template_arg = tmpl;
    auto text = print_object(po, obj);
    if (!text.ok()) return report_error(env.out, text.error());
    env.out += *text;
    return 0;
  }
  Json ui = obj.value("status", Json::object()).value("userInfo", Json::object());
  std::string buffer;
  TabWriter w(buffer);
  w.write("ATTRIBUTE\tVALUE\n");
  if (!ui.value("username", "").empty()) w.write("Username\t" + ui.value("username", "") + "\n");
  if (!ui.value("uid", "").empty()) w.write("UID\t" + ui.value("uid", "") + "\n");
  Strings groups = strings_at(ui, "groups");
  if (!groups.empty()) w.write("Groups\t" + go_list(groups) + "\n");
  if (ui.contains("extra") && ui["extra"].is_object()) {
    std::map<std::string, Strings> extra;
    for (auto it = ui["extra"].begin(); it != ui["extra"].end(); ++it)
      extra[it.key()] = strings_at(ui["extra"], it.key().c_str());
    for (const auto& [k, v] : extra) w.write("Extra: " + k + "\t" + go_list(v) + "\n");
  }
  w.flush();
  env.out += buffer;
  return 0;
}

}  // namespace kapi::client
