#pragma once
// Flag readers shared by the writing commands (kubectl pkg/cmd/util/helpers.go):
// --dry-run and --validate.
#include <string>

#include "client/errors.h"
#include "client/flags.h"

namespace kapi::client {

enum class DryRun { kNone, kClient, kServer };

// cmdutil.GetDryRunStrategy ("unchanged" is the value of a bare --dry-run).
Result<DryRun> dry_run_strategy(const FlagSet& f);
// The suffix the name printer adds: " (dry run)", " (server dry run)" or "".
std::string dry_run_suffix(DryRun d);
// cmdutil.AddDryRunFlag: --dry-run=none, a bare --dry-run meaning "unchanged" (client).
void add_dry_run_flag(FlagSet& f);
// cmdutil.GetValidationDirective: "Strict", "Warn" or "Ignore".
Result<std::string> validation_directive(const FlagSet& f);

}  // namespace kapi::client
