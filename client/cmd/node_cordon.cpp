#include "client/cmd/node_cordon.h"

#include <nlohmann/json.hpp>

#include "client/factory.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

void add_node_selection_flags(FlagSet& f) {
  f.add_string("selector", 'l', "");
  add_dry_run_flag(f);
}

Result<NodeTargets> complete_node_targets(Session& s, const std::string& use,
                                          const std::function<std::optional<CmdError>()>& before_fetch) {
  const FlagSet& f = s.env.flags;
  std::string program = s.env.factory.program();
  std::string command = use.substr(0, use.find(' '));
  std::string selector = f.get_string("selector");
  auto usage = [&](const std::string& m) {
    return CmdError::verbatim("error: " + m + "\nSee '" + program + " " + command + " -h' for help and examples\n");
  };
  if (s.env.args.empty() && !f.changed("selector")) return usage("USAGE: " + use + " [flags]");
  if (!s.env.args.empty() && !selector.empty()) return usage("cannot specify both a node name and a --selector option");
  NodeTargets t;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return dry.error();
  t.dry_run = *dry;
  if (auto err = s.open()) return *err;
  if (before_fetch)
    if (auto err = before_fetch()) return *err;

  // ResourceNames("nodes", args...): a bare NAME is a node, TYPE/NAME keeps its type; with a
  // selector, ResourceTypes("nodes").
  std::vector<std::string> args;
  for (const auto& a : s.env.args) args.push_back(a.find('/') == std::string::npos ? "nodes/" + a : a);
  if (!selector.empty()) args = {"nodes"};
  BuilderOptions bo;
  bo.program = program;
  bo.namespace_ = s.namespace_;
  bo.label_selector = selector;
  bo.single_resource_type = true;
  bo.flatten = true;
  bo.accept = kJsonAccept;
  ResourceBuilder b(*s.client, *s.discovery, bo);
  bool single = false;
  auto visits = b.plan(args, &single);
  if (!visits.ok()) return visits.error();
  for (const auto& v : *visits) {
    size_t before = b.infos().size();
    b.fetch(v);
    if (!b.errors().empty()) return b.errors().front();
    for (size_t i = before; i < b.infos().size(); ++i) {
      const RestMapping& m = *b.infos()[i].mapping;
      if (m.resource.group != "" || m.resource.name != "nodes")
        return CmdError::msg("expected resource of type node, got \"" + m.resource.group + "/" + m.resource.version +
                             ", Resource=" + m.resource.name + "\"");
      Json& node = *b.infos()[i].object;
      t.names.push_back(node["metadata"].value("name", ""));
      t.nodes.push_back(std::move(node));
    }
  }
  return t;
}

void cordon_nodes(Session& s, NodeTargets& t, bool desired) {
  const char* verb = desired ? "cordon" : "uncordon";
  std::string suffix = dry_run_suffix(t.dry_run);
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const std::string& name = t.names[i];
    Json& node = t.nodes[i];
    bool unschedulable = node.contains("spec") && node["spec"].value("unschedulable", false);
    if (unschedulable == desired) {
      s.env.out += "node/" + name + (desired ? " already cordoned" : " already uncordoned") + suffix + "\n";
      flush_stdout(s.env.out);
      continue;
    }
    if (t.dry_run != DryRun::kClient) {
      // CreateTwoWayMergePatch of the node before and after: false is omitted, so it is a delete.
      Json patch = {{"spec", {{"unschedulable", desired ? Json(true) : Json(nullptr)}}}};
      std::string q = t.dry_run == DryRun::kServer ? "?dryRun=All" : "";
      std::string path = "/api/v1/nodes/" + name;
      auto r = s.client->send("PATCH", path + q, "application/strategic-merge-patch+json", patch.dump());
      std::optional<CmdError> err;
      if (!r.ok()) err = r.error();
      else if (r->status >= 400) err = status_error_from_response(r->status, r->body, "patch", "nodes", name);
      if (err) {
        flush_stdout(s.env.out);
        std::string text = go_error_text(*err);
        write_stderr(std::string("error: unable to ") + verb + " node \"" + name + "\": " +
                     (text.empty() ? err->message : text) + "\n");
        continue;
      }
    }
    node["spec"]["unschedulable"] = desired;
    s.env.out += "node/" + name + " " + verb + "ed" + suffix + "\n";
    flush_stdout(s.env.out);
  }
}

namespace {

int run_cordon_or_uncordon(CommandEnv& env, bool desired) {
  Session s(env);
  auto t = complete_node_targets(s, desired ? "cordon NODE" : "uncordon NODE");
  if (!t.ok()) return report_error(env.out, t.error());
  cordon_nodes(s, *t, desired);
  flush_stdout(env.out);
  return 0;
}

}  // namespace

int run_cordon(CommandEnv& env) { return run_cordon_or_uncordon(env, true); }
int run_uncordon(CommandEnv& env) { return run_cordon_or_uncordon(env, false); }

}  // namespace kapi::client
