#pragma once
// The -o printers for whole objects (cli-runtime's printers package): json, yaml, name,
// jsonpath and custom-columns. Lists print their items where the printer does so.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "client/errors.h"

namespace kapi::client {

struct ObjectPrintOptions {
  // "" prints "kind.group/name <operation>" (the NamePrinter of mutating commands); else
  // "json", "yaml", "name", "jsonpath", "jsonpath-file", "jsonpath-as-json", "custom-columns",
  // "go-template", "template", "go-template-file", "templatefile"
  std::string format;
  std::string template_arg;  // the template (or its file name) or the custom-columns spec
  bool no_headers = false;   // custom-columns
  bool show_managed_fields = false;
  bool typed = false;  // a typed object (struct field order for json), not unstructured
  bool allow_missing_keys = true;  // --allow-missing-template-keys
  std::string operation;  // "patched", "labeled (dry run)", ...
};

// The text for one object (or List), ending in a newline where kubectl's printer adds one.
Result<std::string> print_object(const ObjectPrintOptions& options, nlohmann::ordered_json obj);

// As print_object, appending to `out`; on error `out` keeps what the printer wrote before
// failing (a go-template's partial output and its debugging report go to stdout).
// The text of a -o custom-columns-file template, or kubectl's error for an unreadable file.
Result<std::string> read_custom_columns_file(const std::string& path);

std::optional<CmdError> print_object_to(const ObjectPrintOptions& options, nlohmann::ordered_json obj,
                                        std::string& out);

// A watch event as printed with --output-watch-events (metav1.WatchEvent): compact JSON
// {"type":...,"object":...} or the YAML of the event.
std::string print_watch_event(const ObjectPrintOptions& options, const std::string& type,
                              nlohmann::ordered_json obj);

// Removes metadata.managedFields (kubectl hides them unless --show-managed-fields).
void strip_managed_fields(nlohmann::ordered_json& obj);

}  // namespace kapi::client
