// `kapi config view` (kubectl pkg/cmd/config/view.go): the merged kubeconfig (or one file with
// --kubeconfig), optionally minified to the current context, flattened (files embedded) or raw;
// otherwise secrets are redacted and certificate data shortened to DATA+OMITTED.
#include <nlohmann/json.hpp>
#include <set>

#include "client/cmd/command.h"
#include "client/cmd/config_access.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/printers/object_printer.h"
#include "pkg/kubeconfig/loader.h"
#include "pkg/kubeconfig/transform.h"
#include "pkg/kubeconfig/writer.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {

void add_config_view_flags(FlagSet& flags) {
  flags.add_string("output", 'o', "yaml");
  flags.add_string("template", 0, "");
  flags.add_bool("allow-missing-template-keys", 0, true);
  flags.add_bool("show-managed-fields", 0, false);
  flags.add_bool("merge", 0, true);
  flags.add_bool("flatten", 0, false);
  flags.add_bool("minify", 0, false);
  flags.add_bool("raw", 0, false);
}

int run_config_view(CommandEnv& env) {
  const FlagSet& f = env.flags;
  const std::string& program = env.factory.program();
  if (!env.args.empty()) {
    std::string list;
    for (size_t i = 0; i < env.args.size(); ++i) list += (i ? " " : "") + env.args[i];
    return report_error(env.out, CmdError::msg("unexpected arguments: [" + list + "]\nSee '" + program +
                                                " config view -h' for help and examples"));
  }
  ConfigAccess access(env.factory.client_config().options().kubeconfig);
  std::string output = f.get_string("output");
  std::string tmpl = f.get_string("template");
  static const std::set<std::string> kTemplateFormats = {"go-template", "go-template-file", "jsonpath",
                                                         "jsonpath-as-json", "jsonpath-file", "template",
                                                         "templatefile"};
  if (auto eq = output.find('='); eq != std::string::npos && kTemplateFormats.count(output.substr(0, eq))) {
    tmpl = output.substr(eq + 1);
    output = output.substr(0, eq);
  }
  // --template without -o: the default yaml gives way to a go-template.
  if ((output.empty() || !f.changed("output")) && !tmpl.empty()) output = "go-template";
  if (output != "yaml" && output != "json" && output != "name" && !kTemplateFormats.count(output))
    return report_error(env.out, CmdError::msg("unable to match a printer suitable for the output format " + machinery::gofmt::quote(output) +
                                               ", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,"
                                               "name,template,templatefile,yaml"));
  bool merge = f.changed("merge") ? f.get_bool("merge") : !access.is_explicit_file();
  if (!merge && !access.is_explicit_file())
    return report_error(env.out, CmdError::msg("if merge==false a precise file must be specified"));

  kubeconfig::Config config;
  if (!merge) {
    kubeconfig::LoadOptions lo;
    lo.resolve_paths = false;
    auto c = kubeconfig::load_file(access.explicit_file(), lo);
    // A missing file shows as an empty config.
    if (!c.ok() && c.error().code != kubeconfig::ErrorCode::kNotFound)
      return report_error(env.out, config_error(c.error()));
    if (c.ok()) config = std::move(c).value();
  } else {
    auto c = access.starting_config();
    if (!c.ok()) return report_error(env.out, c.error());
    config = std::move(c).value();
  }

  if (f.get_bool("minify")) {
    const std::string& context = env.factory.client_config().options().context;
    if (!context.empty()) config.current_context = context;
    if (auto st = kubeconfig::minify(config); !st.ok()) return report_error(env.out, config_error(st.error()));
  }
  if (f.get_bool("flatten")) {
    if (auto st = kubeconfig::flatten(config); !st.ok()) return report_error(env.out, config_error(st.error()));
  } else if (!f.get_bool("raw")) {
    for (auto& u : config.users)
      if (!u.user.password.empty()) u.user.password = "REDACTED";
    kubeconfig::shorten(config);
  }

  if (output == "yaml") {
    env.out += kubeconfig::to_yaml(config);
  } else if (output == "json") {
    env.out += to_go_json_ordered(kubeconfig::to_json(config), "    ") + "\n";
  } else if (output == "name") {
    env.out += "config/<unknown>\n";  // the NamePrinter of an object without a name
  } else {
    if (tmpl.empty()) return report_error(env.out, CmdError::msg("template format specified but no template given"));
    ObjectPrintOptions po;
    po.format = output;
    po.template_arg = tmpl;
    po.allow_missing_keys = f.get_bool("allow-missing-template-keys");
    auto text = print_object(po, kubeconfig::to_json(config));
    if (!text.ok()) return report_error(env.out, text.error());
    env.out += *text;
  }
  return 0;
}

}  // namespace kapi::client
