#pragma once
// Internal to `get`: its options (kubectl GetOptions after Complete/Validate) shared by the list
// and the watch paths.
#include <optional>
#include <string>
#include <vector>

#include "client/cmd/command.h"
#include "client/errors.h"
#include "client/printers/object_printer.h"
#include "client/resource_builder.h"

namespace kapi::client {

struct GetOptions {
  std::string namespace_;
  bool explicit_namespace = false;
  bool all_namespaces = false;
  std::vector<std::string> filenames;  // -f
  bool recursive = false;              // -R
  std::string subresource;             // --subresource: named objects only
  std::string output;  // "", "wide", "json", "yaml", "name", "jsonpath", "custom-columns"
  std::string template_arg;
  std::string label_selector, field_selector;
  long long chunk_size = 500;
  bool no_headers = false;
  bool show_labels = false;
  bool show_kind = false;
  bool ignore_not_found = false;
  bool show_managed_fields = false;
  bool allow_missing_keys = true;
  std::vector<std::string> label_columns;
  std::string sort_by;  // --sort-by (not with --watch)
  bool watch = false, watch_only = false, output_watch_events = false;
  std::optional<CmdError> printer_error;  // reported once the objects are fetched, as kubectl does

  // The table printer is used (kubectl's IsHumanReadablePrinter).
  bool human() const { return (output.empty() || output == "wide") && !printer_error; }
  ObjectPrintOptions object_print_options() const {
    ObjectPrintOptions p{output, template_arg, no_headers, show_managed_fields};
    p.allow_missing_keys = allow_missing_keys;
    return p;
  }
};

// get.go watch(): the objects fetched by `builder` are printed, then the events of a watch.
int run_get_watch(CommandEnv& env, const GetOptions& o, RestClient& client, ResourceBuilder& builder,
                  const std::vector<Visit>& visits, bool single_item_implied);

}  // namespace kapi::client
