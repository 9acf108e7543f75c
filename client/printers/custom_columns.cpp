#include "client/printers/custom_columns.h"

#include <nlohmann/json.hpp>

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

Result<std::string> print_custom_columns(const std::string& spec, bool no_headers, const Json& obj) {
  if (spec.empty()) return CmdError::msg("custom-columns format specified but no custom columns given");
  std::vector<std::string> headers;
  std::vector<JsonPath> parsers;
  size_t start = 0;
  while (true) {
    size_t comma = spec.find(',', start);
    std::string part = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t colon = part.find(':');
    if (colon == std::string::npos)
      return CmdError::msg("unexpected custom-columns spec: " + part + ", expected <header>:<json-path-expr>");
    auto path = relaxed_jsonpath(part.substr(colon + 1));
    if (!path.ok()) return path.error();
    headers.push_back(part.substr(0, colon));
    JsonPath jp;
    std::string err;
    if (!jp.parse(*path, &err)) return CmdError::msg(err);
    parsers.push_back(std::move(jp));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }

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

}  // namespace kapi::client
