// `create poddisruptionbudget NAME --selector=SEL --min-available=N|--max-unavailable=N`
// (kubectl pkg/cmd/create/create_pdb.go).
#include <regex>
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::optional<CmdError> validate(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  std::string min = f.get_string("min-available"), max = f.get_string("max-unavailable");
  if (f.get_string("selector").empty()) return CmdError::msg("a selector must be specified");
  if (min.empty() && max.empty()) return CmdError::msg("one of min-available or max-unavailable must be specified");
  if (!min.empty() && !max.empty()) return CmdError::msg("min-available and max-unavailable cannot be both specified");
  static const std::regex re("^[0-9]+%?$");
  if (!min.empty() && !std::regex_match(min, re)) return CmdError::msg("invalid format specified for min-available");
  if (!max.empty() && !std::regex_match(max, re)) return CmdError::msg("invalid format specified for max-unavailable");
  return std::nullopt;
}

// metav1.ParseToLabelSelector.
Result<Json> to_label_selector(const std::string& text) {
  auto sel = machinery::parse_label_selector(text);
  if (!sel.ok()) return CmdError::msg("couldn't parse the selector string \"" + text + "\": " + sel.error());
  Json match_labels = Json::object(), exprs = Json::array();
  for (const auto& r : (*sel).requirements()) {
    using Op = machinery::LabelOperator;
    switch (r.op) {
      case Op::Equals:
      case Op::DoubleEquals:
        match_labels[r.key] = r.values.empty() ? "" : r.values[0];
        break;
      case Op::In: exprs.push_back({{"key", r.key}, {"operator", "In"}, {"values", r.values}}); break;
      case Op::NotIn:
      case Op::NotEquals: exprs.push_back({{"key", r.key}, {"operator", "NotIn"}, {"values", r.values}}); break;
      case Op::Exists: exprs.push_back({{"key", r.key}, {"operator", "Exists"}}); break;
      case Op::DoesNotExist: exprs.push_back({{"key", r.key}, {"operator", "DoesNotExist"}}); break;
      default:
        return CmdError::msg("\"" + std::string(machinery::label_operator_string(r.op)) +
                             "\" isn't supported in label selectors");
    }
  }
  Json out = Json::object();
  if (!match_labels.empty()) out["matchLabels"] = match_labels;
  if (!exprs.empty()) out["matchExpressions"] = exprs;
  return out;
}

// intstr.Parse: a number when it parses as one, else the string.
Json int_or_string(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 10) return std::stoll(s);
  return s;
}

std::optional<CmdError> generate(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = {{"apiVersion", "policy/v1"}, {"kind", "PodDisruptionBudget"}, {"metadata", {{"name", ctx.name}}}};
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  auto selector = to_label_selector(f.get_string("selector"));
  if (!selector.ok()) return selector.error();
  Json spec = Json::object();
  if (!f.get_string("min-available").empty()) spec["minAvailable"] = int_or_string(f.get_string("min-available"));
  else spec["maxUnavailable"] = int_or_string(f.get_string("max-unavailable"));
  spec["selector"] = *selector;
  out["spec"] = spec;
  return std::nullopt;
}

const CreateGenerator kPdb{"policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", true,
                           "failed to create poddisruptionbudgets: ", validate, generate};

}  // namespace

void add_create_pdb_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string("max-unavailable", 0, "");
  f.add_string("min-available", 0, "");
  f.add_string("selector", 0, "");
}
int run_create_pdb(CommandEnv& env) { return run_create_generator(env, kPdb); }

}  // namespace kapi::client
