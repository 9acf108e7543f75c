// `kapi describe` (kubectl pkg/cmd/describe/describe.go): the resource builder resolves and
// fetches the objects (JSON, flattened), each goes to its kind's describer (client/describe/),
// outputs are separated by a blank line. A single missing NAME falls back to describing every
// object of the type whose name starts with it (DescribeMatchingResources).
#include <nlohmann/json.hpp>
#include <set>

#include "client/cmd/command.h"
#include "client/describe/describer.h"
#include "client/factory.h"
#include "client/manifest_reader.h"
#include "client/resource_builder.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct DescribeOptions {
  std::string namespace_;
  bool all_namespaces = false;
  std::string selector;
  describe::DescriberSettings settings;
};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

BuilderOptions builder_options(CommandEnv& env, const DescribeOptions& o, bool all_namespaces) {
  BuilderOptions bo;
  bo.program = env.factory.program();
  bo.namespace_ = o.namespace_;
  bo.all_namespaces = all_namespaces;
  bo.label_selector = o.selector;
  bo.chunk_size = o.settings.chunk_size;
  bo.accept = kJsonAccept;
  bo.flatten = true;
  return bo;
}

// DescribeMatchingResources: every object of `resource` in the namespace whose name starts
// with `prefix`, each followed by a blank line; the original error when none matches.
int describe_matching(CommandEnv& env, const DescribeOptions& o, RestClient& client,
                      Discovery& discovery, const CmdError& original, const std::string& resource,
                      const std::string& prefix) {
  BuilderOptions bo = builder_options(env, o, false);
  bo.label_selector.clear();
  bo.single_resource_type = true;
  ResourceBuilder builder(client, discovery, bo);
  bool single = false;
  auto visits = builder.plan({resource}, &single);
  if (!visits.ok()) return report_error(env.out, visits.error());
  for (const auto& v : *visits) builder.fetch(v);
  if (!builder.errors().empty()) return report_errors(env.out, builder.errors());
  describe::Describe d(client, o.settings);
  bool found = false;
  for (const auto& info : builder.infos()) {
    const Json& meta = (*info.object)["metadata"];
    std::string name = meta.is_object() ? meta.value("name", "") : "";
    if (name.rfind(prefix, 0) != 0) continue;
    found = true;
    auto s = describe::describe_object(d, *info.mapping, *info.object);
    if (!s.ok()) return report_error(env.out, s.error());
    env.out += *s + "\n";
  }
  if (!found) return report_error(env.out, original);
  return 0;
}

// describe -f: the objects named in the files, each fetched by its describer.
int describe_files(CommandEnv& env, const DescribeOptions& o, RestClient& client,
                   Discovery& discovery) {
  if (!env.args.empty())
    return report_error(
        env.out,
        CmdError::msg("when paths, URLs, or stdin is provided as input, you may not specify "
                      "resource arguments as well"));
  ManifestOptions mo;
  mo.filenames = env.flags.get_strings("filename");
  mo.recursive = env.flags.get_bool("recursive");
  mo.namespace_ = o.namespace_;
  bool explicit_ns = false;
  (void)env.factory.client_config().namespace_for_request(&explicit_ns);
  mo.explicit_namespace = explicit_ns && !o.all_namespaces;
  std::vector<CmdError> read_errs;
  auto objects = read_manifests(mo, client, discovery, env.out, read_errs);
  if (!objects.ok()) return report_error(env.out, objects.error());
  std::vector<CmdError> all_errs = read_errs;
  std::set<std::string> seen;
  describe::Describe d(client, o.settings);
  bool first = true;
  for (const auto& m : *objects) {
    auto live = d.get(ResourceBuilder::path_for(m.mapping, m.namespace_, m.name));
    auto s = live.ok() ? describe::describe_object(d, m.mapping, *live)
                       : Result<std::string>(live.error());
    if (!s.ok()) {
      if (seen.insert(message_for_error(s.error())).second) all_errs.push_back(s.error());
      continue;
    }
    env.out += first ? *s : "\n\n" + *s;
    first = false;
  }
  if (objects->empty() && all_errs.empty()) {
    flush_stdout(env.out);
    write_stderr(o.all_namespaces ? "No resources found\n"
                                  : "No resources found in " + o.namespace_ + " namespace.\n");
  }
  if (!all_errs.empty()) return report_errors(env.out, all_errs);
  return 0;
}

}  // namespace

void add_describe_flags(FlagSet& f) {
  f.add_bool("all-namespaces", 'A', false);
  f.add_int("chunk-size", 0, 500);
  f.add_string_slice("filename", 'f');
  f.add_string("kustomize", 'k', "");
  f.add_bool("recursive", 'R', false);
  f.add_string("selector", 'l', "");
  f.add_bool("show-events", 0, true);
}

int run_describe(CommandEnv& env) {
  const FlagSet& f = env.flags;
  DescribeOptions o;
  auto ns = env.factory.client_config().namespace_for_request(nullptr);
  if (!ns.ok()) return report_error(env.out, ns.error());
  o.namespace_ = *ns;
  o.all_namespaces = f.get_bool("all-namespaces");
  o.selector = trim(f.get_string("selector"));
  o.settings.show_events = f.get_bool("show-events");
  o.settings.chunk_size = f.get_int("chunk-size");
  bool files = !f.get_strings("filename").empty() || !f.get_string("kustomize").empty();
  if (env.args.empty() && !files) {
    return report_error(
        env.out, CmdError::msg("You must specify the type of resource to describe. Use \"" +
                               env.factory.program() +
                               " api-resources\" for a complete list of supported resources.\n"));
  }
  if (!f.get_string("kustomize").empty())
    return report_error(env.out, CmdError::msg("kapi does not support -k yet"));

  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto discovery = env.factory.discovery();
  if (!discovery.ok()) return report_error(env.out, discovery.error());
  if (files) return describe_files(env, o, **client, **discovery);

  ResourceBuilder builder(**client, **discovery, builder_options(env, o, o.all_namespaces));
  bool single_item_implied = false;
  auto visits = builder.plan(env.args, &single_item_implied);
  if (!visits.ok()) return report_error(env.out, visits.error());
  for (const auto& v : *visits) builder.fetch(v);

  std::vector<CmdError> all_errs;
  auto& errs = builder.errors();
  // IsNotFound of the builder's error: only an unaggregated single error qualifies.
  if (errs.size() == 1 && errs[0].reason == "NotFound" && env.args.size() == 2)
    return describe_matching(env, o, **client, **discovery, errs[0], env.args[0], env.args[1]);
  if (!errs.empty()) {
    // r.Infos() fails as one aggregate: kubectl reports it after the objects it did fetch.
    for (const auto& e : errs) all_errs.push_back(e);
  }

  describe::Describe d(**client, o.settings);
  std::set<std::string> seen;
  bool first = true;
  for (const auto& info : builder.infos()) {
    auto s = describe::describe_object(d, *info.mapping, *info.object);
    if (!s.ok()) {
      std::string text = message_for_error(s.error());
      if (seen.insert(text).second) all_errs.push_back(s.error());
      continue;
    }
    if (first) {
      first = false;
      env.out += *s;
    } else {
      env.out += "\n\n" + *s;
    }
  }
  if (builder.infos().empty() && all_errs.empty()) {
    flush_stdout(env.out);
    if (o.all_namespaces)
      write_stderr("No resources found\n");
    else
      write_stderr("No resources found in " + o.namespace_ + " namespace.\n");
  }
  if (!all_errs.empty()) return report_errors(env.out, all_errs);
  return 0;
}

}  // namespace kapi::client
