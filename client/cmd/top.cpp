// `kapi top node|pod` (kubectl pkg/cmd/top): the argument and flag checks, then discovery for the
// metrics.k8s.io group. kapi serves no metrics, so past the checks this ends as kubectl does
// against such a server: "error: Metrics API not available".
#include "client/cmd/command.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {
namespace {

CmdError usage(CommandEnv& env, const std::string& sub, const std::string& use) {
  return CmdError::verbatim("error: " + use + "\nSee '" + env.factory.program() + " top " + sub +
                            " -h' for help and examples\n");
}

// RunTopNode / RunTopPod after Complete and Validate: the selector, then the metrics API.
int run_top(CommandEnv& env) {
  if (std::string sel = env.flags.get_string("selector"); !sel.empty()) {
    auto parsed = machinery::parse_label_selector(sel);
    if (!parsed.ok()) return report_error(env.out, CmdError::msg(parsed.error()));
  }
  auto d = env.factory.discovery();
  if (!d.ok()) return report_error(env.out, d.error());
  auto data = (*d)->get();
  if (!data.ok()) return report_error(env.out, data.error());
  for (const auto& g : (*data)->groups)
    if (g.name == "metrics.k8s.io")
      return report_error(env.out, CmdError::msg("kapi does not implement \"top\" with a metrics API yet"));
  return report_error(env.out, CmdError::msg("Metrics API not available"));
}

std::optional<CmdError> validate_sort_by(const FlagSet& f) {
  std::string s = f.get_string("sort-by");
  if (!s.empty() && s != "cpu" && s != "memory") return CmdError::msg("--sort-by accepts only cpu or memory");
  return std::nullopt;
}

}  // namespace

void add_top_node_flags(FlagSet& f) {
  f.add_string("selector", 'l', "");
  f.add_string("sort-by", 0, "");
  f.add_bool("no-headers", 0, false);
  f.add_bool("use-protocol-buffers", 0, true);
  f.add_bool("show-capacity", 0, false);
}

void add_top_pod_flags(FlagSet& f) {
  add_top_node_flags(f);
  f.add_bool("all-namespaces", 'A', false);
  f.add_string("field-selector", 0, "");
  f.add_bool("containers", 0, false);
  f.add_bool("sum", 0, false);
}

int run_top_node(CommandEnv& env) {
  if (env.args.size() > 1) return report_error(env.out, usage(env, "node", "node [NAME | -l label]"));
  if (auto err = validate_sort_by(env.flags)) return report_error(env.out, *err);
  if (!env.args.empty() && !env.flags.get_string("selector").empty())
    return report_error(env.out, CmdError::msg("only one of NAME or --selector can be provided"));
  return run_top(env);
}

int run_top_pod(CommandEnv& env) {
  if (env.args.size() > 1) return report_error(env.out, usage(env, "pod", "pod [NAME | -l label]"));
  if (auto err = validate_sort_by(env.flags)) return report_error(env.out, *err);
  if (!env.args.empty() && !env.flags.get_string("selector").empty())
    return report_error(env.out, CmdError::msg("only one of NAME or --selector can be provided"));
  return run_top(env);
}

}  // namespace kapi::client
