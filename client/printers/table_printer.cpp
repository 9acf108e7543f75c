#include "client/printers/table_printer.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "pkg/machinery/go_format.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct Column {
  std::string name;
  long long priority = 0;
};

std::string to_upper(std::string s) {
  // strings.ToUpper; ASCII is what column names use.
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string escape_terminal(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\x1b') out += "^[";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

std::string format_labels(const Json& labels) {
  if (!labels.is_object() || labels.empty()) return "<none>";
  std::map<std::string, std::string> sorted;
  for (auto it = labels.begin(); it != labels.end(); ++it)
    sorted[it.key()] = it.value().is_string() ? it.value().get<std::string>() : "";
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (!out.empty()) out += ",";
    out += k + "=" + v;
  }
  return out;
}

std::string format_cell(const Json& cell) {
  if (cell.is_null()) return "";
  if (cell.is_string()) {
    std::string s = cell.get<std::string>();
    size_t brk = s.find_first_of("\f\n\r");
    if (brk != std::string::npos) return escape_terminal(s.substr(0, brk)) + "...";
    return escape_terminal(s);
  }
  return escape_terminal(machinery::gofmt::sprint_v(cell));
}

void TablePrinter::print(const Json& table, TabWriter& out, const std::string& event_type) {
  static const Json kEmpty = Json::array();
  const Json& defs_in = table.contains("columnDefinitions") && table["columnDefinitions"].is_array()
                            ? table["columnDefinitions"]
                            : kEmpty;
  const Json& rows = table.contains("rows") && table["rows"].is_array() ? table["rows"] : kEmpty;

  bool no_headers = options_.no_headers;
  std::string defs_key = defs_in.dump();
  if (printed_headers_ && (defs_in.empty() || defs_key == last_columns_)) no_headers = true;
  if (!defs_in.empty() && defs_key != last_columns_) {
    last_columns_ = defs_key;
    printed_headers_ = false;
  }
  Json defs = defs_in.empty() ? Json::parse(last_columns_.empty() ? "[]" : last_columns_) : defs_in;
  if (!rows.empty()) printed_headers_ = true;

  // decorateTable
  std::vector<Column> columns;
  if (options_.with_namespace) columns.push_back({"Namespace", 0});
  int name_column = -1;
  for (size_t i = 0; i < defs.size(); ++i) {
    const Json& d = defs[i];
    Column c;
    c.name = d.value("name", "");
    c.priority = d.contains("priority") && d["priority"].is_number_integer() ? d["priority"].get<long long>() : 0;
    if (!options_.kind_prefix.empty() && name_column < 0 && d.value("format", "") == "name" &&
        d.value("type", "") == "string")
      name_column = static_cast<int>(i);
    columns.push_back(c);
  }
  for (const auto& label : options_.column_labels) {
    std::string last = label.substr(label.rfind('/') == std::string::npos ? 0 : label.rfind('/') + 1);
    columns.push_back({to_upper(last), 0});
  }
  if (options_.show_labels) columns.push_back({"Labels", 0});
  if (!event_type.empty()) columns.insert(columns.begin(), Column{"Event", 0});

  std::string buf;
  if (!no_headers) {
    if (rows.empty()) return;  // no headers for an empty table
    bool first = true;
    for (const auto& c : columns) {
      if (!options_.wide && c.priority != 0) continue;
      if (!first) buf += '\t';
      first = false;
      buf += to_upper(c.name);
    }
    buf += '\n';
  }
  size_t ndefs = defs.size();
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    cells.reserve(columns.size());
    if (!event_type.empty()) {
      // tableprinter.go formatEventType pads the known types to the width of MODIFIED.
      std::string e = event_type;
      if (e == "ADDED" || e == "DELETED" || e == "ERROR") e.resize(8, ' ');
      cells.push_back(e);
    }
    const Json* meta = nullptr;
    if (row.contains("object") && row["object"].is_object() && row["object"].contains("metadata") &&
        row["object"]["metadata"].is_object())
      meta = &row["object"]["metadata"];
    if (options_.with_namespace)
      cells.push_back(meta ? meta->value("namespace", "") : "");
    const Json& rc = row.contains("cells") && row["cells"].is_array() ? row["cells"] : kEmpty;
    for (size_t i = 0; i < rc.size() && i < ndefs; ++i) {
      std::string cell = format_cell(rc[i]);
      if (static_cast<int>(i) == name_column) cell = options_.kind_prefix + "/" + cell;
      cells.push_back(cell);
    }
    static const Json kNoLabels = Json::object();
    const Json& labels = meta && meta->contains("labels") && (*meta)["labels"].is_object()
                             ? (*meta)["labels"]
                             : kNoLabels;
    if (meta) {
      for (const auto& key : options_.column_labels)
        cells.push_back(labels.contains(key) && labels[key].is_string() ? labels[key].get<std::string>() : "");
      if (options_.show_labels) cells.push_back(format_labels(labels));
    } else {
      // Without metadata kubectl pads the row with empty cells.
      while (cells.size() < columns.size()) cells.push_back("");
    }
    bool first = true;
    for (size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
      if (!options_.wide && columns[i].priority != 0) continue;
      if (!first) buf += '\t';
      first = false;
      buf += cells[i];
    }
    buf += '\n';
  }
  out.write(buf);
}

}  // namespace kapi::client
