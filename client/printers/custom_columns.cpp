#include "client/printers/custom_columns.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "client/printers/jsonpath.h"
#include "client/printers/table_printer.h"
#include "client/printers/tabwriter.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

Result<std::string> relaxed_jsonpath(const std::string& expr) {
  if (expr.empty()) return expr;
  // ^\{\.?([^{}]+)\}$|^\.?([^{}]+)$
  std::string inner = expr;
  if (inner.size() >= 2 && inner.front() == '{' && inner.back() == '}') inner = inner.substr(1, inner.size() - 2);
  if (!inner.empty() && inner[0] == '.') inner = inner.substr(1);
  if (inner.empty() || inner.find_first_of("{}") != std::string::npos) {
    return CmdError::msg(
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or "
        "'{.name1.name2}'");
  }
  return "{." + inner + "}";
}

namespace {

struct Columns {
  std::vector<std::string> headers;
  std::vector<JsonPath> parsers;
};

std::optional<CmdError> add_column(Columns& c, const std::string& header, const std::string& spec) {
  auto path = relaxed_jsonpath(spec);
  if (!path.ok()) return path.error();
  JsonPath jp;
  std::string err;
  if (!jp.parse(*path, &err)) return CmdError::msg(err);
  c.headers.push_back(header);
  c.parsers.push_back(std::move(jp));
  return std::nullopt;
}

// bufio.ScanWords.
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

Result<std::string> render(const Columns& c, bool no_headers, const Json& obj);

}  // namespace

Result<std::string> print_custom_columns(const std::string& spec, bool no_headers, const Json& obj) {
  if (spec.empty()) return CmdError::msg("custom-columns format specified but no custom columns given");
  Columns c;
  size_t start = 0;
  while (true) {
    size_t comma = spec.find(',', start);
    std::string part = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t colon = part.find(':');
    if (colon == std::string::npos)
      return CmdError::msg("unexpected custom-columns spec: " + part + ", expected <header>:<json-path-expr>");
    if (auto err = add_column(c, part.substr(0, colon), part.substr(colon + 1))) return *err;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return render(c, no_headers, obj);
}

Result<std::string> print_custom_columns_file(const std::string& tmpl, bool no_headers, const Json& obj) {
  std::istringstream in(tmpl);
  std::string header_line, spec_line;
  const char* expected =
      "Expected format is one line of space separated headers, one line of space separated column specs.";
  if (!std::getline(in, header_line)) return CmdError::msg(std::string("invalid template, missing header line. ") + expected);
  if (!std::getline(in, spec_line)) return CmdError::msg(std::string("invalid template, missing spec line. ") + expected);
  auto headers = words(header_line), specs = words(spec_line);
  if (headers.size() != specs.size())
    return CmdError::msg("number of headers (" + std::to_string(headers.size()) + ") and field specifications (" +
                         std::to_string(specs.size()) + ") don't match");
  Columns c;
  for (size_t i = 0; i < headers.size(); ++i)
    if (auto err = add_column(c, headers[i], specs[i])) return *err;
  return render(c, no_headers, obj);
}

namespace {

Result<std::string> render(const Columns& c, bool no_headers, const Json& obj) {
  const auto& headers = c.headers;
  const auto& parsers = c.parsers;
  std::string out;
  TabWriter w(out);
  std::string text;
  if (!no_headers) {
    for (size_t i = 0; i < headers.size(); ++i) text += (i ? "\t" : "") + headers[i];
    text += "\n";
  }
  auto row = [&](const Json& item) -> std::optional<CmdError> {
    for (size_t i = 0; i < parsers.size(); ++i) {
      std::vector<Json> values;
      std::string err;
      if (!parsers[i].find_results(item, values, &err)) return CmdError::msg(err);
      std::string cell;
      if (values.empty()) cell = "<none>";
      for (size_t k = 0; k < values.size(); ++k) cell += (k ? "," : "") + escape_terminal(machinery::gofmt::sprint_v(values[k]));
      text += (i ? "\t" : "") + cell;
    }
    text += "\n";
    return std::nullopt;
  };
  if (obj.contains("items") && obj["items"].is_array()) {
    for (const auto& item : obj["items"])
      if (auto err = row(item)) return *err;
  } else {
    if (auto err = row(obj)) return *err;
  }
  w.write(text);
  w.flush();
  return out;
}

}  // namespace

}  // namespace kapi::client
