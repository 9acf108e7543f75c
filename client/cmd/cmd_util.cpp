#include "client/cmd/cmd_util.h"

#include <cctype>

#include "client/cmd/command.h"
#include "pkg/machinery/go_strconv.h"

namespace kapi::client {

Result<DryRun> dry_run_strategy(const FlagSet& f) {
  std::string v = f.get_string("dry-run");
  if (auto b = machinery::gofmt::parse_bool(v)) {
    write_stderr(klog_warning_line(*b ? "helpers.go:717" : "helpers.go:720",
                                   "--dry-run=" + v + " is deprecated (boolean value) and can be replaced with --dry-run=" +
                                       (*b ? "client." : "none.")));
    return *b ? DryRun::kClient : DryRun::kNone;
  }
  if (v == "unchanged") {  // a bare --dry-run
    write_stderr(klog_warning_line("helpers.go:703", "--dry-run is deprecated and can be replaced with --dry-run=client."));
    return DryRun::kClient;
  }
  if (v == "client") return DryRun::kClient;
  if (v == "server") return DryRun::kServer;
  if (v == "none") return DryRun::kNone;
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
