#pragma once
// Prints server-side Tables (meta.k8s.io/v1 Table JSON) like cli-runtime's HumanReadablePrinter
// (pkg/printers/tableprinter.go): upper-cased headers, priority>0 columns only when wide, the
// NAMESPACE / label / LABELS decorations, "kind/" name prefixes. Output goes through a TabWriter.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "client/printers/tabwriter.h"

namespace kapi::client {

struct TablePrintOptions {
  bool no_headers = false;
  bool wide = false;
  bool with_namespace = false;  // -A: a NAMESPACE first column from row.object.metadata
  bool show_labels = false;
  std::vector<std::string> column_labels;  // -L keys
  // When set, the name column reads "<kind>/<name>" (kind as GroupKind.String(), lower case,
  // e.g. "deployment.apps").
  std::string kind_prefix;
};

class TablePrinter {
 public:
  explicit TablePrinter(TablePrintOptions options) : options_(std::move(options)) {}

  // Prints one Table (one chunk of a list). Headers are printed once per run of tables with the
  // same column definitions, and only when the table has rows. A non-empty `event_type` (a
  // watch event's type, --output-watch-events) becomes a first EVENT column.
  void print(const nlohmann::ordered_json& table, TabWriter& out, const std::string& event_type = "");

 private:
  TablePrintOptions options_;
  bool printed_headers_ = false;
  std::string last_columns_;  // serialized column definitions of the last table
};

// "k1=v1,k2=v2" sorted by key, or "<none>" (labels.FormatLabels).
std::string format_labels(const nlohmann::ordered_json& labels);

// A Table cell as kubectl prints it (strings cut at the first line break + "...", terminal
// escapes neutralized, other values as Go's fmt.Sprint).
std::string format_cell(const nlohmann::ordered_json& cell);

// printers.EscapeTerminal.
std::string escape_terminal(const std::string& s);

}  // namespace kapi::client
