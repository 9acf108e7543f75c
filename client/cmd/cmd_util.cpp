#include "client/cmd/cmd_util.h"

#include <cctype>

#include "pkg/machinery/go_strconv.h"

namespace kapi::client {

Result<DryRun> dry_run_strategy(const FlagSet& f) {
  std::string v = f.get_string("dry-run");
  if (v == "unchanged" || v == "client") return DryRun::kClient;
  if (v == "server") return DryRun::kServer;
  if (v == "none") return DryRun::kNone;
  if (auto b = machinery::gofmt::parse_bool(v)) return *b ? DryRun::kClient : DryRun::kNone;
  return CmdError::msg("Invalid dry-run value (" + v + "). Must be \"none\", \"server\", or \"client\".");
}

std::string dry_run_suffix(DryRun d) {
  return d == DryRun::kClient ? " (dry run)" : d == DryRun::kServer ? " (server dry run)" : "";
}

void add_dry_run_flag(FlagSet& f) {
  f.add_string("dry-run", 0, "none");
  f.set_no_opt_default("dry-run", "unchanged");
}

Result<std::string> validation_directive(const FlagSet& f) {
  std::string v = f.get_string("validate");
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "strict" || v == "true") return std::string("Strict");
  if (v == "warn") return std::string("Warn");
  if (v == "ignore" || v == "false") return std::string("Ignore");
  return CmdError::msg("invalid - validate option \"" + f.get_string("validate") +
                       "\"; must be one of: strict (or true), warn, ignore (or false)");
}

}  // namespace kapi::client
