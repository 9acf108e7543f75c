// `kapi set selector (-f FILE | TYPE NAME) EXPRESSIONS [--resource-version=V]` (kubectl
// pkg/cmd/set/set_selector.go): replaces a Service's spec.selector with the equality
// requirements of a label selector. Objects are visited one at a time; the first error stops.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/set_common.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct Expression {
  std::string key, op;
  std::vector<std::string> values;
};

struct ParsedSelector {
  Json match_labels = Json::object();
  std::vector<Expression> expressions;
};

// metav1.ParseToLabelSelector.
Result<ParsedSelector> parse_to_label_selector(const std::string& text) {
  auto sel = machinery::parse_label_selector(text);
  if (!sel.ok()) return CmdError::msg("couldn't parse the selector string \"" + text + "\": " + sel.error());
  ParsedSelector out;
  using Op = machinery::LabelOperator;
  for (const auto& r : sel->requirements()) {
    switch (r.op) {
      case Op::Equals:
      case Op::DoubleEquals: out.match_labels[r.key] = r.values.empty() ? "" : r.values[0]; break;
      case Op::In: out.expressions.push_back({r.key, "In", r.values}); break;
      case Op::NotIn:
      case Op::NotEquals: out.expressions.push_back({r.key, "NotIn", r.values}); break;
      case Op::Exists: out.expressions.push_back({r.key, "Exists", {}}); break;
      case Op::DoesNotExist: out.expressions.push_back({r.key, "DoesNotExist", {}}); break;
      default:
        return CmdError::msg("couldn't parse the selector string \"" + text + "\": \"" +
                             std::string(machinery::label_operator_string(r.op)) +
                             "\" isn't supported in label selectors");
    }
  }
  return out;
}

// fmt's %v of []metav1.LabelSelectorRequirement: "[{app In [a b]}]".
std::string go_format(const std::vector<Expression>& exprs) {
  std::string s = "[";
  for (size_t i = 0; i < exprs.size(); ++i) {
    s += (i ? " {" : "{") + exprs[i].key + " " + exprs[i].op + " [";
    for (size_t j = 0; j < exprs[i].values.size(); ++j) s += (j ? " " : "") + exprs[i].values[j];
    s += "]}";
  }
  return s + "]";
}

}  // namespace

void add_set_selector_flags(FlagSet& f) {
  add_set_flags(f, false);
  f.remove("kustomize");
  f.remove("recursive");
  f.add_bool("recursive", 'R', true);
  f.add_bool("record", 0, false);
  f.add_string("resource-version", 0, "");
}

int run_set_selector(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return report_error(env.out, dry.error());
  std::vector<std::string> resources;
  std::optional<ParsedSelector> selector;
  if (!env.args.empty()) {
    resources.assign(env.args.begin(), env.args.end() - 1);
    auto parsed = parse_to_label_selector(env.args.back());
    if (!parsed.ok()) return report_error(env.out, parsed.error());
    selector = std::move(*parsed);
  }
  bool local = f.get_bool("local");
  bool write_to_server = !(local || *dry == DryRun::kClient);
  if (!selector) return report_error(env.out, CmdError::msg("one selector is required"));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  std::string resource_version = f.get_string("resource-version");

  VisitOptions vo;
  if (!local) {
    vo.args = resources;
    vo.all = f.get_bool("all");
    vo.latest = true;
  }
  vo.local = local;
  std::vector<CmdError> errs;
  bool failed = false;
  // The visitor is not ContinueOnError: the first failure ends the run.
  auto fatal = visit_objects(s, vo, [&](ObjectInfo& info) -> std::optional<CmdError> {
    if (failed) return std::nullopt;
    auto fail = [&](CmdError e) {
      failed = true;
      return std::optional<CmdError>(std::move(e));
    };
    Json before = typed_object(*info.object, info.mapping);
    if (!resource_version.empty() && before.contains("metadata")) before["metadata"].erase("resourceVersion");
    Json after = before;
    if (!resource_version.empty()) after["metadata"]["resourceVersion"] = resource_version;
    if (!(info.mapping.resource.group.empty() && info.mapping.resource.kind == "Service"))
      return fail(CmdError::msg("setting a selector is only supported for Services"));
    if (!selector->expressions.empty())
      return fail(CmdError::msg("match expression " + go_format(selector->expressions) + " not supported on this object"));
    after["spec"]["selector"] = selector->match_labels;
    after = typed_object(after, info.mapping);
    auto patch = two_way_patch(before, after, info.mapping);
    if (!patch.ok()) return fail(patch.error());
    std::string op = "selector updated" + dry_run_suffix(*dry);
    if (!write_to_server) {
      if (auto err = print_set_result(env, op, after)) return fail(*err);
      return std::nullopt;
    }
    auto actual = send_strategic_patch(s, info, *patch, *dry, f.get_string("field-manager"), "");
    if (!actual.ok()) return fail(actual.error());
    if (auto err = print_set_result(env, op, std::move(*actual))) return fail(*err);
    return std::nullopt;
  }, errs);
  if (fatal) return report_error(env.out, *fatal);
  if (!errs.empty()) return report_error(env.out, errs.front());
  return 0;
}

}  // namespace kapi::client
