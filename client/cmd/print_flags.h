#pragma once
// The -o flags of the mutating commands (cli-runtime's PrintFlags with a NamePrinter
// operation): "deployment.apps/web patched (dry run)", or the object in the requested format.
// (--dry-run is in cmd_util.h.)
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "client/cmd/cmd_util.h"
#include "client/errors.h"
#include "client/flags.h"

namespace kapi::client {

// Registers -o, --template, --allow-missing-template-keys, --show-managed-fields.
void add_print_flags(FlagSet& f);

// PrintFlags.ToPrinter + PrintObj, appending to `out`: `operation` names the change for the
// default output. A template that fails still leaves its partial output and report in `out`.
// Most commands print with one printer per run, and YAML output then puts "---" between the
// objects; patch, label, taint and edit make a printer per object (`printer_per_object`), so
// never. `typed`: the object is printed as a typed Go object (struct field order), not
// unstructured.
std::optional<CmdError> print_with_flags(const FlagSet& f, const std::string& operation, nlohmann::ordered_json obj,
                                         std::string& out, bool printer_per_object = false, bool typed = false);

}  // namespace kapi::client
