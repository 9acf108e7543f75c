#pragma once
// The -o and --dry-run flags of the mutating commands (cli-runtime's PrintFlags with a
// NamePrinter operation, cmdutil.GetDryRunStrategy): "deployment.apps/web patched (dry run)",
// or the object in the requested format.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "client/errors.h"
#include "client/flags.h"

namespace kapi::client {

enum class DryRun { kNone, kClient, kServer };

// --dry-run: none|client|server, else kubectl's error.
Result<DryRun> dry_run_strategy(const FlagSet& f);
// " (dry run)" / " (server dry run)" / "" (PrintFlagsWithDryRunStrategy).
std::string dry_run_suffix(DryRun d);

// Registers -o, --template, --allow-missing-template-keys, --show-managed-fields.
void add_print_flags(FlagSet& f);

// PrintFlags.ToPrinter + PrintObj: `operation` names the change for the default output.
Result<std::string> print_with_flags(const FlagSet& f, const std::string& operation, nlohmann::ordered_json obj);

}  // namespace kapi::client
