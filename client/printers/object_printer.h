#pragma once
// The -o printers for whole objects (cli-runtime's printers package): json, yaml, name,
// jsonpath and custom-columns. Lists print their items where the printer does so.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "client/errors.h"

namespace kapi::client {

struct ObjectPrintOptions {
  // "json", "yaml", "name", "jsonpath", "custom-columns"; "" prints "kind.group/name <operation>"
  // (the NamePrinter of mutating commands).
  std::string format;
  std::string template_arg;  // the jsonpath template or the custom-columns spec
  bool no_headers = false;   // custom-columns
  bool show_managed_fields = false;
  bool typed = false;  // a typed object (struct field order for json), not unstructured
  std::string operation;  // "patched", "labeled (dry run)", ...
};

// The text for one object (or List), ending in a newline where kubectl's printer adds one.
Result<std::string> print_object(const ObjectPrintOptions& options, nlohmann::ordered_json obj);

// A watch event as printed with --output-watch-events (metav1.WatchEvent): compact JSON
// {"type":...,"object":...} or the YAML of the event.
std::string print_watch_event(const ObjectPrintOptions& options, const std::string& type,
                              nlohmann::ordered_json obj);

// Removes metadata.managedFields (kubectl hides them unless --show-managed-fields).
void strip_managed_fields(nlohmann::ordered_json& obj);

}  // namespace kapi::client
