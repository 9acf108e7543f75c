#include "client/cmd/print_flags.h"

#include <nlohmann/json.hpp>
#include <set>

#include "client/printers/object_printer.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {

void add_print_flags(FlagSet& f) {
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string("output", 'o', "");
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
}

std::optional<CmdError> print_with_flags(const FlagSet& f, const std::string& operation, nlohmann::ordered_json obj,
                                         std::string& out, bool printer_per_object, bool typed) {
  static const std::set<std::string> kTemplateFormats = {"go-template", "go-template-file", "jsonpath",
                                                         "jsonpath-as-json", "jsonpath-file", "template",
                                                         "templatefile"};
  ObjectPrintOptions o;
  o.typed = typed;
  o.format = f.get_string("output");
  o.template_arg = f.get_string("template");
  o.show_managed_fields = f.get_bool("show-managed-fields");
  o.allow_missing_keys = f.get_bool("allow-missing-template-keys");
  o.operation = operation;
  // Only the template printers take "FORMAT=TEMPLATE"; any other value is matched whole.
  if (auto eq = o.format.find('='); eq != std::string::npos && kTemplateFormats.count(o.format.substr(0, eq))) {
    o.template_arg = o.format.substr(eq + 1);
    o.format = o.format.substr(0, eq);
  }
  if (o.format.empty() && !o.template_arg.empty()) o.format = "go-template";
  if (!o.format.empty() && o.format != "json" && o.format != "yaml" && o.format != "name" &&
      !kTemplateFormats.count(o.format))
    return CmdError::msg("unable to match a printer suitable for the output format " + machinery::gofmt::quote(o.format) +
                         ", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
                         "jsonpath-file,name,template,templatefile,yaml");
  if (kTemplateFormats.count(o.format) && o.template_arg.empty())
    return CmdError::msg("template format specified but no template given");
  static int yaml_printed = 0;  // printers.YAMLPrinter's count
  if (o.format == "yaml" && yaml_printed++ > 0 && !printer_per_object) out += "---\n";
  return print_object_to(o, std::move(obj), out);
}

}  // namespace kapi::client
