#pragma once
// The -o flags of the mutating commands (cli-runtime's PrintFlags with a NamePrinter
// operation): "deployment.apps/web patched (dry run)", or the object in the requested format.
// (--dry-run is in cmd_util.h.)
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "client/cmd/cmd_util.h"
#include "client/errors.h"
#include "client/flags.h"

namespace kapi::client {

// Registers -o, --template, --allow-missing-template-keys, --show-managed-fields.
void add_print_flags(FlagSet& f);

// PrintFlags.ToPrinter + PrintObj: `operation` names the change for the default output. A
// `typed` object prints its JSON in tree (struct) order rather than sorted.
Result<std::string> print_with_flags(const FlagSet& f, const std::string& operation, nlohmann::ordered_json obj,
                                     bool typed = false);

}  // namespace kapi::client
