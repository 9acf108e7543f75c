#include "client/printers/object_printer.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/printers/custom_columns.h"
#include "client/printers/go_json.h"
#include "client/printers/go_template.h"
#include "client/printers/jsonpath.h"
#include "pkg/machinery/go_format.h"
#include "pkg/machinery/go_yaml.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// NamePrinter: "<kind>[.<group>]/<name>" per object.
std::string name_line(const Json& item) {
  std::string api_version = item.value("apiVersion", "");
  size_t slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  std::string name = item.contains("metadata") && item["metadata"].is_object() ? item["metadata"].value("name", "") : "";
  std::string kind = item.value("kind", "");
  for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return (group.empty() ? kind : kind + "." + group) + "/" + name + "\n";
}

// os.ReadFile's error text ("open F: no such file or directory").
Result<std::string> read_template_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string reason = errno == ENOENT ? "no such file or directory"
                         : errno == EACCES ? "permission denied"
                                           : std::strerror(errno);
    return CmdError::msg("error reading --template " + path + ", open " + path + ": " + reason);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return CmdError::msg("error reading --template " + path + ", read " + path + ": is a directory");
  return ss.str();
}

}  // namespace

Result<std::string> read_custom_columns_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string reason = errno == ENOENT ? "no such file or directory"
                         : errno == EACCES ? "permission denied"
                                           : std::strerror(errno);
    // CustomColumnsPrintFlags.ToPrinter's text ends in a newline of its own.
    return CmdError::msg("error reading template " + path + ", open " + path + ": " + reason + "\n");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

// GoTemplatePrinter.PrintObj: on an execution error the partial output and a report go to the
// writer, and the error names the template.
std::optional<CmdError> print_go_template(const ObjectPrintOptions& o, const std::string& text, const Json& obj,
                                          std::string& out) {
  GoTemplate t;
  std::string err;
  if (!t.parse(text, &err)) return CmdError::msg("error parsing template " + text + ", " + err);
  t.allow_missing_keys(o.allow_missing_keys);
  if (t.execute(obj, out, &err)) return std::nullopt;
  out += "Error executing template: " + err + ". Printing more information for debugging the template:\n";
  out += "\ttemplate was:\n\t\t" + text + "\n";
  out += "\traw data was:\n\t\t" + (o.typed ? to_go_json_ordered(obj) : to_go_json(obj)) + "\n";
  out += "\tobject given to template engine was:\n\t\t" + GoTemplate::format_data(obj) + "\n\n";
  return CmdError::msg("error executing template " + machinery::gofmt::quote(text) + ": " + err);
}

// JSONPath with EnableJSONOutput: each node's results as one indented JSON array.
CmdError jsonpath_exec_error(const std::string& tmpl, const std::string& err, const Json& obj) {
  return CmdError::msg("error executing jsonpath " + go_json_quote(tmpl) + ": Error executing template: " + err +
                       ". Printing more information for debugging the template:\n\ttemplate was:\n\t\t" + tmpl +
                       "\n\tobject given to jsonpath engine was:\n\t\t" + go_sharp_v(obj) + "\n\n\n");
}

std::optional<CmdError> print_jsonpath_as_json(const JsonPath& jp, const std::string& jp_text, const Json& obj,
                                               std::string& out) {
  std::vector<std::vector<Json>> groups;
  std::string err;
  if (!jp.find_result_groups(obj, groups, &err)) return jsonpath_exec_error(jp_text, err, obj);
  for (size_t i = 0; i < groups.size(); ++i) {
    Json arr = Json::array();
    for (auto& v : groups[i]) arr.push_back(std::move(v));
    out += to_go_json(arr, "    ") + "\n";
  }
  return std::nullopt;
}

}  // namespace

void strip_managed_fields(Json& obj) {
  if (obj.is_object() && obj.contains("metadata") && obj["metadata"].is_object())
    obj["metadata"].erase("managedFields");
}

Result<std::string> print_object(const ObjectPrintOptions& o, Json obj) {
  std::string out;
  if (auto err = print_object_to(o, std::move(obj), out)) return *err;
  return out;
}

std::optional<CmdError> print_object_to(const ObjectPrintOptions& o, Json obj, std::string& out) {
  const std::string& fmt = o.format;
  std::string tmpl = o.template_arg;
  if (fmt == "go-template-file" || fmt == "templatefile" || fmt == "jsonpath-file") {
    auto text = read_template_file(tmpl);
    if (!text.ok()) return text.error();
    tmpl = *text;
  }
  if (fmt == "go-template" || fmt == "template" || fmt == "go-template-file" || fmt == "templatefile")
    return print_go_template(o, tmpl, obj, out);
  if (fmt == "json" || fmt == "yaml") {
    if (!o.show_managed_fields) {
      strip_managed_fields(obj);
      if (obj.contains("items") && obj["items"].is_array())
        for (auto& it : obj["items"]) strip_managed_fields(it);
    }
    if (fmt == "json") out += (o.typed ? to_go_json_ordered(obj, "    ") : to_go_json(obj, "    ")) + "\n";
    else out += machinery::goyaml::marshal(obj);
    return std::nullopt;
  }
  if (fmt.empty()) {
    std::string line = name_line(obj);
    line.insert(line.size() - 1, " " + o.operation);
    out += line;
    return std::nullopt;
  }
  if (fmt == "name") {
    if (obj.contains("items") && obj["items"].is_array()) {
      for (const auto& it : obj["items"]) out += name_line(it);
    } else {
      out += name_line(obj);
    }
    return std::nullopt;
  }
  if (fmt == "custom-columns-file") {
    auto columns = read_custom_columns_file(tmpl);
    if (!columns.ok()) return columns.error();
    // The file form's printer always has headers (NewCustomColumnsPrinterFromTemplate).
    auto text = print_custom_columns_file(*columns, false, obj);
    if (!text.ok()) return text.error();
    out += *text;
    return std::nullopt;
  }
  if (fmt == "custom-columns") {
    auto text = print_custom_columns(tmpl, o.no_headers, obj);
    if (!text.ok()) return text.error();
    out += *text;
    return std::nullopt;
  }
  // jsonpath, jsonpath-file, jsonpath-as-json
  JsonPath jp;
  std::string err;
  if (!jp.parse(tmpl, &err)) return CmdError::msg("error parsing jsonpath " + tmpl + ", " + err);
  jp.allow_missing_keys(o.allow_missing_keys);
  if (fmt == "jsonpath-as-json") return print_jsonpath_as_json(jp, tmpl, obj, out);
  std::string text;
  if (!jp.execute(obj, text, &err)) return jsonpath_exec_error(tmpl, err, obj);
  out += text;
  return std::nullopt;
}

std::string print_watch_event(const ObjectPrintOptions& o, const std::string& type, Json obj) {
  if (!o.show_managed_fields) strip_managed_fields(obj);
  if (o.format == "json") return "{\"type\":" + go_json_quote(type) + ",\"object\":" + to_go_json(obj) + "}\n";
  return machinery::goyaml::marshal(Json{{"type", type}, {"object", std::move(obj)}});
}

}  // namespace kapi::client
