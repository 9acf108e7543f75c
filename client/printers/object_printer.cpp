#include "client/printers/object_printer.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "client/printers/custom_columns.h"
#include "client/printers/go_json.h"
#include "client/printers/jsonpath.h"
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

}  // namespace

void strip_managed_fields(Json& obj) {
  if (obj.is_object() && obj.contains("metadata") && obj["metadata"].is_object())
    obj["metadata"].erase("managedFields");
}

Result<std::string> print_object(const ObjectPrintOptions& o, Json obj) {
  const std::string& fmt = o.format;
  if (fmt == "json" || fmt == "yaml") {
    if (!o.show_managed_fields) {
      strip_managed_fields(obj);
      if (obj.contains("items") && obj["items"].is_array())
        for (auto& it : obj["items"]) strip_managed_fields(it);
    }
    if (fmt == "json") return (o.typed ? to_go_json_ordered(obj, "    ") : to_go_json(obj, "    ")) + "\n";
    return machinery::goyaml::marshal(obj);
  }
  if (fmt.empty()) {
    std::string line = name_line(obj);
    line.insert(line.size() - 1, " " + o.operation);
    return line;
  }
  if (fmt == "name") {
    std::string out;
    if (obj.contains("items") && obj["items"].is_array()) {
      for (const auto& it : obj["items"]) out += name_line(it);
    } else {
      out = name_line(obj);
    }
    return out;
  }
  if (fmt == "custom-columns") return print_custom_columns(o.template_arg, o.no_headers, obj);
  // jsonpath
  const std::string& tmpl = o.template_arg;
  JsonPath jp;
  std::string err;
  if (!jp.parse(tmpl, &err)) return CmdError::msg("error parsing jsonpath " + tmpl + ", " + err);
  std::string out;
  if (!jp.execute(obj, out, &err)) {
    return CmdError::msg("error executing jsonpath " + go_json_quote(tmpl) + ": Error executing template: " + err +
                         ". Printing more information for debugging the template:\n\ttemplate was:\n\t\t" + tmpl +
                         "\n\tobject given to jsonpath engine was:\n\t\t" + go_sharp_v(obj) + "\n\n");
  }
  return out;
}

std::string print_watch_event(const ObjectPrintOptions& o, const std::string& type, Json obj) {
  if (!o.show_managed_fields) strip_managed_fields(obj);
  if (o.format == "json") return "{\"type\":" + go_json_quote(type) + ",\"object\":" + to_go_json(obj) + "}\n";
  return machinery::goyaml::marshal(Json{{"type", type}, {"object", std::move(obj)}});
}

}  // namespace kapi::client
