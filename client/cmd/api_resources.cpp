// `kapi api-resources` and `kapi api-versions` (kubectl pkg/cmd/apiresources): both read
// discovery afresh (kubectl invalidates its cache unless --cached) and print with the tab writer.
#include <algorithm>
#include <set>

#include "client/cmd/command.h"
#include "client/factory.h"
#include "client/printers/tabwriter.h"
#include "client/resource_builder.h"

namespace kapi::client {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// cmdutil.UsageErrorf for positional arguments the command does not take.
CmdError unexpected_arguments(CommandEnv& env, const std::string& command) {
  return CmdError::msg("unexpected arguments: [" + join(env.args, " ") + "]\nSee '" +
                       env.factory.program() + " " + command + " -h' for help and examples");
}

bool has_all(const std::vector<std::string>& have, const std::vector<std::string>& want) {
  std::set<std::string> s(have.begin(), have.end());
  for (const auto& w : want)
    if (!s.count(w)) return false;
  return true;
}

Result<const DiscoveryData*> discovery_data(CommandEnv& env, bool cached) {
  auto d = env.factory.discovery();
  if (!d.ok()) return d.error();
  return cached ? (*d)->get() : (*d)->refresh();
}

}  // namespace

void add_api_resources_flags(FlagSet& flags) {
  flags.add_bool("no-headers", 0, false);
  flags.add_string("output", 'o', "");
  flags.add_string("api-group", 0, "");
  flags.add_bool("namespaced", 0, true);
  flags.add_string_slice("verbs", 0);
  flags.add_string_slice("categories", 0);
  flags.add_string("sort-by", 0, "");
  flags.add_bool("cached", 0, false);
}

int run_api_resources(CommandEnv& env) {
  const FlagSet& f = env.flags;
  if (!env.args.empty()) return report_error(env.out, unexpected_arguments(env, "api-resources"));
  // Complete makes the discovery client (so a failed credentials prompt comes first, with no
  // header); Validate then checks the flags.
  if (auto d = env.factory.discovery(); !d.ok()) return report_error(env.out, d.error());
  const std::string output = f.get_string("output");
  const std::string sort_by = f.get_string("sort-by");
  if (output != "" && output != "wide" && output != "name")
    return report_error(env.out, CmdError::msg("--output " + output + " is not available"));
  if (!sort_by.empty() && sort_by != "name" && sort_by != "kind")
    return report_error(env.out, CmdError::msg("--sort-by accepts only name or kind"));

  auto data = discovery_data(env, f.get_bool("cached"));
  if (!data.ok()) {
    // kubectl prints the header before it reports the failed discovery.
    if (!f.get_bool("no-headers") && output != "name")
      env.out += output == "wide" ? "NAME   SHORTNAMES   APIVERSION   NAMESPACED   KIND   VERBS   CATEGORIES\n"
                                  : "NAME   SHORTNAMES   APIVERSION   NAMESPACED   KIND\n";
    return report_error(env.out, discovery_failed(data.error(), 1));
  }

  // ServerPreferredResources: per group, each resource once, from the first (preferred)
  // version that has it.
  std::vector<const ApiResource*> picked;
  for (const auto& g : (*data)->groups) {
    std::set<std::string> seen;
    for (const auto& v : g.versions)
      for (const auto& r : (*data)->resources)
        if (r.group == g.name && r.version == v && seen.insert(r.name).second) picked.push_back(&r);
  }
  const auto verbs = f.get_strings("verbs");
  const auto categories = f.get_strings("categories");
  std::vector<const ApiResource*> rows;
  for (const ApiResource* r : picked) {
    if (r->verbs.empty()) continue;
    if (f.changed("api-group") && f.get_string("api-group") != r->group) continue;
    if (f.changed("namespaced") && f.get_bool("namespaced") != r->namespaced) continue;
    if (!verbs.empty() && !has_all(r->verbs, verbs)) continue;
    if (!categories.empty() && !has_all(r->categories, categories)) continue;
    rows.push_back(r);
  }
  // Stable sort by group (default), name or kind; ties by name.
  std::stable_sort(rows.begin(), rows.end(), [&](const ApiResource* a, const ApiResource* b) {
    const std::string& x = sort_by == "name" ? a->name : sort_by == "kind" ? a->kind : a->group;
    const std::string& y = sort_by == "name" ? b->name : sort_by == "kind" ? b->kind : b->group;
    if (x != y) return x < y;
    return a->name < b->name;
  });

  std::string buffer;
  TabWriter w(buffer);
  if (!f.get_bool("no-headers") && output != "name")
    w.write(output == "wide" ? "NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\tVERBS\tCATEGORIES\n"
                             : "NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n");
  for (const ApiResource* r : rows) {
    std::string gv = r->group.empty() ? r->version : r->group + "/" + r->version;
    std::string ns = r->namespaced ? "true" : "false";
    if (output == "name") {
      w.write(r->name + (r->group.empty() ? "" : "." + r->group) + "\n");
    } else {
      std::string line = r->name + "\t" + join(r->short_names, ",") + "\t" + gv + "\t" + ns + "\t" + r->kind;
      if (output == "wide") line += "\t" + join(r->verbs, ",") + "\t" + join(r->categories, ",");
      w.write(line + "\n");
    }
  }
  w.flush();
  env.out += buffer;
  return 0;
}

int run_api_versions(CommandEnv& env) {
  if (!env.args.empty()) return report_error(env.out, unexpected_arguments(env, "api-versions"));
  auto data = discovery_data(env, false);
  if (!data.ok()) {
    std::string text = go_error_text(discovery_failed(data.error(), 1));
    if (text.empty()) return report_error(env.out, data.error());
    return report_error(env.out, CmdError::msg("couldn't get available api versions from server: " + text));
  }
  std::vector<std::string> gvs;
  for (const auto& g : (*data)->groups)
    for (const auto& v : g.versions) gvs.push_back(g.name.empty() ? v : g.name + "/" + v);
  std::sort(gvs.begin(), gvs.end());
  for (const auto& gv : gvs) env.out += gv + "\n";
  return 0;
}

}  // namespace kapi::client
