// `kapi taint NODE NAME KEY=VAL:EFFECT... KEY[:EFFECT]-...` (kubectl pkg/cmd/taint): each node is
// fetched, its spec.taints recomputed (new taints first, then the old ones they do not replace,
// minus the removed ones) and sent as a strategic merge patch (fieldManager kubectl-taint);
// "tainted", "untainted" or "modified" says what changed. Errors of one node do not stop the
// others (ContinueOnError); they are printed at the end.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/name_validation.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/print_flags.h"
#include "client/printers/go_json.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct Taint {
  std::string key, value, effect;
  Json extra_time;  // timeAdded of an existing taint, kept as it is
  // Taint.ToString.
  std::string str() const {
    if (effect.empty()) return value.empty() ? key : key + "=" + value + ":";
    return value.empty() ? key + ":" + effect : key + "=" + value + ":" + effect;
  }
  bool matches(const Taint& o) const { return key == o.key && effect == o.effect; }
  Json to_json() const {  // corev1.Taint's field order
    Json j = {{"key", key}};
    if (!value.empty()) j["value"] = value;
    j["effect"] = effect;
    if (!extra_time.is_null()) j["timeAdded"] = extra_time;
    return j;
  }
};

struct TaintOptions {
  std::vector<std::string> resources;
  std::vector<Taint> add, remove;
  std::string selector;
  bool overwrite = false, all = false;
  DryRun dry_run = DryRun::kNone;
};

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::vector<std::string> split(const std::string& s, char c) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(c, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

// parseTaint: KEY=VALUE:EFFECT, KEY:EFFECT or KEY.
Result<Taint> parse_taint(const std::string& st) {
  Taint t;
  auto parts = split(st, ':');
  if (parts.size() == 1) {
    t.key = parts[0];
  } else if (parts.size() == 2) {
    t.effect = parts[1];
    if (t.effect != "NoSchedule" && t.effect != "PreferNoSchedule" && t.effect != "NoExecute")
      return CmdError::msg("invalid taint effect: " + t.effect + ", unsupported taint effect");
    auto kv = split(parts[0], '=');
    if (kv.size() > 2) return CmdError::msg("invalid taint spec: " + st);
    t.key = kv[0];
    if (kv.size() == 2) {
      t.value = kv[1];
      if (auto errs = label_value_errors(t.value); !errs.empty())
        return CmdError::msg("invalid taint spec: " + st + ", " + join(errs, "; "));
    }
  } else {
    return CmdError::msg("invalid taint spec: " + st);
  }
  if (auto errs = qualified_name_errors(t.key); !errs.empty())
    return CmdError::msg("invalid taint spec: " + st + ", " + join(errs, "; "));
  return t;
}

// parseTaints.
std::optional<CmdError> parse_taints(const std::vector<std::string>& specs, TaintOptions& o) {
  for (const auto& spec : specs) {
    if (!spec.empty() && spec.back() == '-') {
      auto t = parse_taint(spec.substr(0, spec.size() - 1));
      if (!t.ok()) return t.error();
      o.remove.push_back({t->key, "", t->effect, nullptr});
      continue;
    }
    auto t = parse_taint(spec);
    if (!t.ok()) return t.error();
    if (t->effect.empty()) return CmdError::msg("invalid taint spec: " + spec);
    for (const auto& a : o.add)
      if (a.matches(*t))  // fmt %v of a corev1.Taint (TimeAdded nil)
        return CmdError::msg("duplicated taints with the same key and effect: {" + t->key + " " + t->value + " " +
                             t->effect + " <nil>}");
    o.add.push_back(*t);
  }
  return std::nullopt;
}

std::vector<Taint> taints_of(const Json& node) {
  std::vector<Taint> out;
  if (!node.contains("spec") || !node["spec"].contains("taints") || !node["spec"]["taints"].is_array()) return out;
  for (const auto& t : node["spec"]["taints"])
    out.push_back({t.value("key", ""), t.value("value", ""), t.value("effect", ""),
                   t.contains("timeAdded") ? t["timeAdded"] : Json(nullptr)});
  return out;
}

// updateTaints + reorganizeTaints: the new list and the operation, or the error.
Result<std::string> update_taints(const TaintOptions& o, const std::string& name, std::vector<Taint>& taints) {
  std::vector<Taint> old = taints;
  if (!o.overwrite) {
    std::vector<std::string> exists;
    for (const auto& t : o.add)
      for (const auto& ot : old)
        if (t.matches(ot)) exists.push_back(t.key);
    if (!exists.empty())
      return CmdError::msg("node " + name + " already has " + join(exists, ",") +
                           " taint(s) with same effect(s) and --overwrite is false");
  }
  std::vector<Taint> next = o.add;
  for (const auto& ot : old) {
    bool in_new = false;
    for (const auto& t : next) in_new = in_new || t.matches(ot);
    if (!in_new) next.push_back(ot);
  }
  bool added = old.size() != next.size();
  std::vector<std::string> errs;
  bool removed = false;
  for (const auto& r : o.remove) {
    size_t before = next.size();
    std::erase_if(next, [&](const Taint& t) { return r.effect.empty() ? t.key == r.key : r.matches(t); });
    removed = before != next.size();
    if (!removed) errs.push_back("taint " + go_json_quote(r.str()) + " not found");
  }
  taints = next;
  if (!errs.empty()) return CmdError::msg(errs.size() == 1 ? errs[0] : "[" + join(errs, ", ") + "]");
  if ((added && removed) || o.overwrite) return std::string("modified");
  return std::string(added ? "tainted" : "untainted");
}

Result<TaintOptions> complete(Session& s) {
  const FlagSet& f = s.env.flags;
  TaintOptions o;
  o.selector = f.get_string("selector");
  o.overwrite = f.get_bool("overwrite");
  o.all = f.get_bool("all");
  if (auto err = s.open()) return *err;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return dry.error();
  o.dry_run = *dry;
  std::vector<std::string> taint_args;
  bool met = false;
  for (const auto& a : s.env.args) {
    bool is_taint = a.find('=') != std::string::npos || a.find(':') != std::string::npos || (!a.empty() && a.back() == '-');
    if (is_taint) {
      met = true;
      taint_args.push_back(a);
    } else if (!met) {
      o.resources.push_back(a);
    } else {
      return CmdError::msg("all resources must be specified before taint changes: " + a);
    }
  }
  if (o.resources.empty()) return CmdError::msg("one or more resources must be specified as <resource> <name>");
  if (taint_args.empty()) return CmdError::msg("at least one taint update is required");
  if (auto err = parse_taints(taint_args, o))
    return CmdError::verbatim("error: " + err->message + "\nSee '" + s.env.factory.program() +
                              " taint -h' for help and examples\n");
  return o;
}

std::optional<CmdError> validate(Session& s, const TaintOptions& o) {
  std::string type = o.resources[0];
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto data = s.discovery->get();
  if (!data.ok()) return data.error();
  auto m = RestMapper(**data).mapping_for(type);
  if (!m) return CmdError::verbatim("the server doesn't have a resource type \"" + type + "\"\n");
  if (m->resource.kind != "Node")
    return CmdError::msg("invalid resource type " + type + ", only node types are supported");
  std::vector<std::string> conflicts;
  for (const auto& a : o.add)
    for (const auto& r : o.remove)
      if (a.key == r.key && (r.effect.empty() || a.effect == r.effect)) conflicts.push_back(r.key + "=" + r.effect);
  if (!conflicts.empty())
    return CmdError::msg("can not both modify and remove the following taint(s) in the same command: " +
                         join(conflicts, ", "));
  if (o.all && !o.selector.empty())
    return CmdError::msg("setting 'all' parameter with a non empty selector is prohibited");
  if (!o.all && o.selector.empty() && o.resources.size() < 2)
    return CmdError::msg("at least one resource name must be specified since 'all' parameter is not set");
  return std::nullopt;
}

std::optional<CmdError> taint_one(Session& s, const TaintOptions& o, Json& node) {
  std::string name = node["metadata"].value("name", "");
  std::vector<Taint> taints = taints_of(node);
  auto op = update_taints(o, name, taints);
  if (!op.ok()) return op.error();
  Json list = Json::array();
  for (const auto& t : taints) list.push_back(t.to_json());
  // CreateTwoWayMergePatch of the node: spec.taints is atomic, an empty list is omitted.
  Json patch = {{"spec", {{"taints", list.empty() ? Json(nullptr) : list}}}};
  Json result;
  if (o.dry_run == DryRun::kClient) {
    if (list.empty()) node["spec"].erase("taints");
    else node["spec"]["taints"] = list;
    result = node;
  } else {
    std::vector<std::pair<std::string, std::string>> q = {{"fieldManager", s.env.flags.get_string("field-manager")}};
    if (o.dry_run == DryRun::kServer) q.emplace_back("dryRun", "All");
    auto r = s.client->send("PATCH", "/api/v1/nodes/" + name + ResourceBuilder::encode_query(q),
                            "application/strategic-merge-patch+json", patch.dump());
    if (!r.ok()) return r.error();
    if (r->status >= 400) return status_error_from_response(r->status, r->body, "patch", "nodes", name);
    result = Json::parse(r->body, nullptr, false);
  }
  if (auto err = print_with_flags(s.env.flags, *op, result, s.env.out, /*printer_per_object=*/true)) return err;
  flush_stdout(s.env.out);
  return std::nullopt;
}

}  // namespace

void add_taint_flags(FlagSet& f) {
  add_print_flags(f);
  add_dry_run_flag(f);
  f.add_string("validate", 0, "strict");
  f.set_no_opt_default("validate", "strict");
  f.add_string("selector", 'l', "");
  f.add_bool("overwrite", 0, false);
  f.add_bool("all", 0, false);
  f.add_string("field-manager", 0, "kubectl-taint");
}

int run_taint(CommandEnv& env) {
  Session s(env);
  auto o = complete(s);
  if (!o.ok()) return report_error(env.out, o.error());
  if (auto err = validate(s, *o)) return report_error(env.out, *err);
  // The builder: every node (--all), the nodes of -l, or ResourceNames("node", NAME...).
  std::vector<std::string> args;
  if (o->all || !o->selector.empty()) args = {"node"};
  else
    for (size_t i = 1; i < o->resources.size(); ++i)
      args.push_back(o->resources[i].find('/') == std::string::npos ? "node/" + o->resources[i] : o->resources[i]);
  BuilderOptions bo;
  bo.program = env.factory.program();
  bo.namespace_ = s.namespace_;
  bo.label_selector = o->selector;
  bo.select_all = o->all;
  bo.flatten = true;
  bo.accept = kJsonAccept;
  ResourceBuilder b(*s.client, *s.discovery, bo);
  bool single = false;
  auto visits = b.plan(args, &single);
  if (!visits.ok()) return report_error(env.out, visits.error());
  std::vector<CmdError> errs;
  for (const auto& v : *visits) {
    size_t before = b.infos().size(), errs_before = b.errors().size();
    b.fetch(v);
    for (size_t i = errs_before; i < b.errors().size(); ++i) errs.push_back(b.errors()[i]);
    for (size_t i = before; i < b.infos().size(); ++i)
      if (auto err = taint_one(s, *o, *b.infos()[i].object)) errs.push_back(*err);
  }
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
