#include "client/cmd/print_flags.h"

#include <nlohmann/json.hpp>
#include <set>

#include "client/printers/object_printer.h"

namespace kapi::client {

void add_print_flags(FlagSet& f) {
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string("output", 'o', "");
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
}

Result<std::string> print_with_flags(const FlagSet& f, const std::string& operation, nlohmann::ordered_json obj,
                                     bool typed) {
  ObjectPrintOptions o;
  o.typed = typed;
  o.format = f.get_string("output");
  o.template_arg = f.get_string("template");
  o.show_managed_fields = f.get_bool("show-managed-fields");
  o.operation = operation;
  if (auto eq = o.format.find('='); eq != std::string::npos) {  // -o jsonpath=TEMPLATE
    o.template_arg = o.format.substr(eq + 1);
    o.format = o.format.substr(0, eq);
  }
  if (o.format.empty() && !o.template_arg.empty()) o.format = "go-template";
  static const std::set<std::string> kFormats = {"go-template", "go-template-file", "json", "jsonpath",
                                                 "jsonpath-as-json", "jsonpath-file", "name", "template",
                                                 "templatefile", "yaml"};
  if (!o.format.empty() && !kFormats.count(o.format))
    return CmdError::msg("unable to match a printer suitable for the output format \"" + o.format +
                         "\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
                         "jsonpath-file,name,template,templatefile,yaml");
  if (o.format == "jsonpath" && o.template_arg.empty())
    return CmdError::msg("template format specified but no template given");
  if (o.format != "" && o.format != "json" && o.format != "yaml" && o.format != "name" && o.format != "jsonpath")
    return CmdError::msg("kapi does not support -o " + o.format + " yet");
  return print_object(o, std::move(obj));
}

}  // namespace kapi::client
