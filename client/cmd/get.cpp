// `kapi get` (kubectl pkg/cmd/get/get.go): options -> complete -> validate -> run. The resource
// builder resolves the arguments and fetches (Table Accept for human output); the table printer
// or an object printer prints. `--watch` continues in get_watch.cpp.
#include "client/cmd/get.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "client/describe/common.h"
#include "client/factory.h"
#include "client/manifest_reader.h"
#include "client/printers/sorter.h"
#include "client/printers/table_printer.h"
#include "client/printers/tabwriter.h"
#include "pkg/machinery/labels.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;


// A plain object or list where a Table was expected (a server without server-side printing, a
// subresource such as scale): printObjectMeta's NAME and AGE table.
Json fallback_table(const Json& obj) {
  Json table = {{"columnDefinitions",
                 Json::array({{{"name", "Name"}, {"type", "string"}, {"format", "name"}, {"priority", 0}},
                              {{"name", "Age"}, {"type", "string"}, {"format", ""}, {"priority", 0}}})},
                {"rows", Json::array()}};
  auto add_row = [&](const Json& o) {
    Json meta = o.contains("metadata") && o["metadata"].is_object() ? o["metadata"] : Json::object();
    Json created = meta.contains("creationTimestamp") ? meta["creationTimestamp"] : Json();
    table["rows"].push_back({{"cells", Json::array({meta.value("name", ""), describe::since(created)})},
                             {"object", {{"metadata", meta}}}});
  };
  if (obj.contains("items") && obj["items"].is_array()) {
    for (const auto& it : obj["items"]) add_row(it);
  } else {
    add_row(obj);
  }
  return table;
}

// get.go Run for human output: one table per resource type, a blank line between tables, the
// "No resources found" notice when nothing was printed and nothing failed.
int print_human(CommandEnv& env, const GetOptions& o, ResourceBuilder& b) {
  auto& infos = b.infos();
  auto& errors = b.errors();
  bool print_with_kind = o.show_kind || multiple_gvks(infos);
  std::string& out = env.out;
  size_t written_before = out.size();
  std::string buffer;
  TabWriter w(buffer);
  std::unique_ptr<TablePrinter> printer;
  const RestMapping* last = nullptr;
  bool separator_ready = false;
  bool all_namespaced = !o.all_namespaces;
  auto flush = [&] {
    w.flush();
    if (buffer.empty()) return;
    if (separator_ready) out += "\n";
    separator_ready = false;
    out += buffer;
    buffer.clear();
  };
  if (!o.sort_by.empty() && infos.size() > 1) {
    // RuntimeSorter in Run: the fetched Tables are not *metav1.Table yet, so with several of
    // them kubectl sorts the Table objects themselves by the field (and usually fails).
    std::vector<const Json*> objs;
    for (const auto& info : infos) objs.push_back(info.object.get());
    auto order = sort_order(objs, o.sort_by);
    if (!order.ok()) return report_error(out, order.error());
    std::vector<Info> sorted;
    for (size_t i : *order) sorted.push_back(std::move(infos[i]));
    infos = std::move(sorted);
  }
  if (!o.sort_by.empty()) {
    // SortingPrinter: the rows of each Table with more than one row, by their objects.
    for (auto& info : infos) {
      Json& t = *info.object;
      if (t.value("kind", "") != "Table" || !t.contains("rows") || !t["rows"].is_array() || t["rows"].size() < 2)
        continue;
      std::vector<const Json*> objs;
      static const Json kNull;
      for (const auto& row : t["rows"]) objs.push_back(row.contains("object") ? &row["object"] : &kNull);
      auto order = sort_order(objs, o.sort_by);
      if (!order.ok()) {
        t = Json();  // get.go ignores the printer's error: the table is just not printed
        continue;
      }
      Json rows = Json::array();
      for (size_t i : *order) rows.push_back(std::move(t["rows"][i]));
      t["rows"] = std::move(rows);
    }
  }
  for (const auto& info : infos) {
    const RestMapping* m = info.mapping;
    all_namespaced = all_namespaced && m->resource.namespaced;
    bool new_type = !last || m->resource.group != last->resource.group ||
                    m->resource.version != last->resource.version || m->resource.name != last->resource.name;
    if (new_type) {
      flush();
      w.reset_remembered_widths();
      if (last && !o.no_headers && out.size() > written_before) separator_ready = true;
      TablePrintOptions po;
      po.no_headers = o.no_headers;
      po.wide = o.output == "wide";
      po.with_namespace = o.all_namespaces && m->resource.namespaced;
      po.show_labels = o.show_labels;
      po.column_labels = o.label_columns;
      if (print_with_kind) po.kind_prefix = m->group_kind_lower();
      printer = std::make_unique<TablePrinter>(po);
      last = m;
    }
    const Json& obj = *info.object;
    if (obj.is_null()) continue;
    printer->print(obj.value("kind", "") == "Table" ? obj : fallback_table(obj), w);
  }
  flush();
  if (out.size() == written_before && !o.ignore_not_found && errors.empty()) {
    flush_stdout(out);
    if (all_namespaced) write_stderr("No resources found in " + o.namespace_ + " namespace.\n");
    else write_stderr("No resources found\n");
  }
  if (!errors.empty()) return report_errors(out, errors);
  return 0;
}

// get.go printGeneric: one object printed bare when the arguments named exactly one, else a
// List of everything fetched.
int print_generic(CommandEnv& env, const GetOptions& o, ResourceBuilder& b, bool single_item_implied) {
  auto& infos = b.infos();
  auto& errors = b.errors();
  if (single_item_implied && !errors.empty()) return report_errors(env.out, errors);
  if (o.printer_error) return report_error(env.out, *o.printer_error);
  if (infos.empty() && o.ignore_not_found) return report_errors(env.out, errors);
  Json obj;
  if (!single_item_implied || infos.size() != 1) {
    Json items = Json::array();
    for (auto& i : infos) items.push_back(std::move(*i.object));
    if (!o.sort_by.empty() && items.size() > 0) {  // SortingPrinter
      std::vector<const Json*> objs;
      for (const auto& it : items) objs.push_back(&it);
      auto order = sort_order(objs, o.sort_by);
      if (!order.ok()) return report_error(env.out, order.error());
      Json sorted = Json::array();
      for (size_t i : *order) sorted.push_back(std::move(items[i]));
      items = std::move(sorted);
    }
    obj = Json{{"apiVersion", "v1"}, {"items", std::move(items)}, {"kind", "List"},
               {"metadata", {{"resourceVersion", ""}}}};
  } else {
    obj = std::move(*infos[0].object);
  }
  if (auto err = print_object_to(o.object_print_options(), std::move(obj), env.out)) errors.push_back(*err);
  if (!errors.empty()) return report_errors(env.out, errors);
  return 0;
}

int get_raw(CommandEnv& env, const std::string& raw) {
  if (!env.args.empty())
    return report_error(env.out, CmdError::msg("arguments may not be passed when --raw is specified"));
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto r = (*client)->get(raw, "application/json, */*");
  if (!r.ok()) return report_error(env.out, r.error());
  if (r->status >= 400) return report_error(env.out, status_error_from_response(r->status, r->body));
  env.out += r->body;
  return 0;
}

// Complete: options from flags; printer problems are kept for later, as kubectl only meets
// them when it builds the printer after fetching.
Result<GetOptions> complete(CommandEnv& env) {
  const FlagSet& f = env.flags;
  GetOptions o;
  auto ns = env.factory.client_config().namespace_for_request(&o.explicit_namespace);
  if (!ns.ok()) return ns.error();
  o.namespace_ = *ns;
  o.all_namespaces = f.get_bool("all-namespaces");
  o.no_headers = f.get_bool("no-headers");
  o.output = f.get_string("output");
  o.template_arg = f.get_string("template");
  if (auto eq = o.output.find('='); eq != std::string::npos) {  // -o jsonpath=TEMPLATE
    o.template_arg = o.output.substr(eq + 1);
    o.output = o.output.substr(0, eq);
  }
  static const std::set<std::string> kFormats = {
      "custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
      "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "wide", "yaml"};
  static const std::set<std::string> kTemplates = {"go-template", "go-template-file", "jsonpath", "jsonpath-as-json",
                                                   "jsonpath-file", "template", "templatefile"};
  // PrintFlags.ToPrinter: --template without -o means a go-template.
  if (o.output.empty() && !o.template_arg.empty()) o.output = "go-template";
  if (!o.output.empty() && !kFormats.count(o.output)) {
    o.printer_error = CmdError::msg(
        "unable to match a printer suitable for the output format " + machinery::gofmt::quote(o.output) +
        ", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,"
        "jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml");
  } else if (kTemplates.count(o.output) && o.template_arg.empty()) {
    o.printer_error = CmdError::msg("template format specified but no template given");
  } else if ((o.output == "custom-columns" || o.output == "custom-columns-file") && o.template_arg.empty()) {
    o.printer_error = CmdError::msg("custom-columns format specified but no custom columns given");
  } else if (o.output == "custom-columns-file") {
    // The printer reads its file before any request.
    if (auto text = read_custom_columns_file(o.template_arg); !text.ok()) o.printer_error = text.error();
  }

  // The builder trims selectors (LabelSelectorParam / FieldSelectorParam).
  auto trim = [](std::string s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    size_t e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  o.label_selector = trim(f.get_string("selector"));
  o.field_selector = trim(f.get_string("field-selector"));
  o.chunk_size = f.get_int("chunk-size");
  o.show_labels = f.get_bool("show-labels");
  o.show_kind = f.get_bool("show-kind");
  o.ignore_not_found = f.get_bool("ignore-not-found");
  o.show_managed_fields = f.get_bool("show-managed-fields");
  o.allow_missing_keys = f.get_bool("allow-missing-template-keys");
  o.label_columns = f.get_strings("label-columns");
  o.watch = f.get_bool("watch") || f.get_bool("watch-only");
  o.watch_only = f.get_bool("watch-only");
  o.output_watch_events = f.get_bool("output-watch-events");

  std::string sort_by = f.get_string("sort-by");
  if (o.watch && !sort_by.empty()) {
    flush_stdout(env.out);
    write_stderr(o.watch_only ? "warning: --watch-only requested, --sort-by will be ignored\n"
                              : "warning: --watch requested, --sort-by will be ignored for watch events received\n");
  } else {
    o.sort_by = sort_by;
  }
  if (!f.get_string("kustomize").empty()) return CmdError::msg("kapi does not support -k for get yet");
  o.filenames = f.get_strings("filename");
  o.recursive = f.get_bool("recursive");
  o.subresource = f.get_string("subresource");

  if (env.args.empty() && !o.watch && o.filenames.empty()) {
    flush_stdout(env.out);
    const std::string& p = env.factory.program();
    write_stderr("You must specify the type of resource to get. Use \"" + p +
                 " api-resources\" for a complete list of supported resources.\n\n");
    return CmdError::msg("Required resource not specified.\nUse \"" + p +
                         " explain <resource>\" for a detailed description of that resource (e.g. " + p +
                         " explain pods).\nSee '" + p + " get -h' for help and examples");
  }
  return o;
}

std::optional<CmdError> validate(const GetOptions& o) {
  if (o.show_labels && !o.output.empty() && o.output != "wide")
    return CmdError::msg("--show-labels option cannot be used with " + o.output + " printer");
  if (o.output_watch_events && !o.watch)
    return CmdError::msg("--output-watch-events option can only be used with --watch or --watch-only");
  return std::nullopt;
}

}  // namespace

namespace {

// get -f (the builder's FilenameParam with Latest): each object of the files is fetched by
// name from the server, in its own namespace. One file path implies a single item.
Result<std::vector<Visit>> plan_files(CommandEnv& env, const GetOptions& o, RestClient& client, Discovery& discovery,
                                      ResourceBuilder& builder, bool* single_item_implied) {
  if (!env.args.empty())
    return CmdError::msg("when paths, URLs, or stdin is provided as input, you may not specify resource "
                         "arguments as well");
  ManifestOptions mo;
  mo.filenames = o.filenames;
  mo.recursive = o.recursive;
  mo.namespace_ = o.namespace_;
  // The namespace is enforced after each object is fetched (fetch_file_objects).
  mo.explicit_namespace = false;
  std::vector<CmdError> read_errs;
  auto objects = read_manifests(mo, client, discovery, env.out, read_errs);
  if (!objects.ok()) return objects.error();
  // Unreadable or mismatched objects are reported after what could be fetched (ContinueOnError).
  for (auto& e : read_errs) builder.errors().push_back(std::move(e));
  std::vector<Visit> visits;
  for (auto& m : *objects) visits.push_back({m.mapping, m.name, m.namespace_});
  // visitByPaths: one path that is neither a directory nor stdin.
  std::error_code ec;
  *single_item_implied = o.filenames.size() == 1 && o.filenames[0] != "-" &&
                         !std::filesystem::is_directory(o.filenames[0], ec);
  return visits;
}

// -l with -f filters what was fetched by its labels (the builder's FilteredVisitor runs after
// Latest). A Table carries no labels, so human output then shows only what a selector without
// requirements on present labels matches, as with kubectl.
void filter_fetched_by_labels(ResourceBuilder& builder, const std::string& selector_text) {
  auto selector = machinery::parse_label_selector(selector_text);
  if (!selector.ok()) return;
  std::erase_if(builder.infos(), [&](const Info& i) {
    const Json& obj = *i.object;
    Json labels = obj.contains("metadata") && obj["metadata"].is_object()
                      ? obj["metadata"].value("labels", Json::object())
                      : Json::object();
    return !selector->matches_json(labels);
  });
}

// The objects of -f files, each fetched in its own namespace (RetrieveLatest, Info.Get): a
// missing object in a namespace other than "default" is reported as its namespace when that is
// missing too; then RequireNamespace turns a fetched object of another namespace than an
// explicit -n into an error; then -l filters.
void fetch_file_objects(const GetOptions& o, RestClient& client, ResourceBuilder& builder,
                        const std::vector<Visit>& visits) {
  for (const auto& v : visits) {
    size_t infos_before = builder.infos().size(), errors_before = builder.errors().size();
    builder.fetch(v);
    const std::string ns = v.namespace_.value_or("");
    if (builder.errors().size() > errors_before) {
      CmdError& e = builder.errors().back();
      if (e.reason == "NotFound" && !ns.empty() && ns != "default") {
        auto r = client.get("/api/v1/namespaces/" + ns, kJsonAccept);
        if (r.ok() && r->status == 404) e = status_error_from_response(r->status, r->body, "get", "namespaces", ns);
      }
      continue;
    }
    if (o.explicit_namespace && !o.all_namespaces && v.mapping.resource.namespaced && ns != o.namespace_) {
      builder.infos().resize(infos_before);
      builder.errors().push_back(CmdError::msg("the namespace from the provided object \"" + ns +
                                               "\" does not match the namespace \"" + o.namespace_ +
                                               "\". You must pass '--namespace=" + ns +
                                               "' to perform this operation."));
    }
  }
  if (!o.label_selector.empty()) filter_fetched_by_labels(builder, o.label_selector);
}

}  // namespace

void add_get_flags(FlagSet& f) {
  f.add_bool("all-namespaces", 'A', false);
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_int("chunk-size", 0, 500);
  f.add_string("field-selector", 0, "");
  f.add_string_slice("filename", 'f');
  f.add_bool("ignore-not-found", 0, false);
  f.add_string("kustomize", 'k', "");
  f.add_string_slice("label-columns", 'L');
  f.add_bool("no-headers", 0, false);
  f.add_string("output", 'o', "");
  f.add_bool("output-watch-events", 0, false);
  f.add_string("raw", 0, "");
  f.add_bool("recursive", 'R', false);
  f.add_string("selector", 'l', "");
  f.add_bool("server-print", 0, true);
  f.add_bool("show-kind", 0, false);
  f.add_bool("show-labels", 0, false);
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("sort-by", 0, "");
  f.add_string("subresource", 0, "");
  f.add_string("template", 0, "");
  f.add_bool("watch", 'w', false);
  f.add_bool("watch-only", 0, false);
}

int run_get(CommandEnv& env) {
  if (std::string raw = env.flags.get_string("raw"); !raw.empty()) return get_raw(env, raw);
  auto o = complete(env);
  if (!o.ok()) return report_error(env.out, o.error());
  if (auto err = validate(*o)) return report_error(env.out, *err);

  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto discovery = env.factory.discovery();
  if (!discovery.ok()) return report_error(env.out, discovery.error());

  BuilderOptions bo;
  bo.program = env.factory.program();
  bo.namespace_ = o->namespace_;
  bo.all_namespaces = o->all_namespaces;
  bo.label_selector = o->label_selector;
  bo.field_selector = o->field_selector;
  // Sorting needs every object at once (and Table rows with their objects).
  bo.chunk_size = o->sort_by.empty() ? o->chunk_size : 0;
  bo.include_object = !o->sort_by.empty() && o->human();
  bo.single_resource_type = o->watch;
  bo.ignore_not_found = o->ignore_not_found;
  bo.accept = o->human() ? kTableAccept : kJsonAccept;
  bo.flatten = !o->human();
  bo.subresource = o->subresource;
  ResourceBuilder builder(**client, **discovery, bo);

  bool single_item_implied = false;
  auto visits = o->filenames.empty() ? builder.plan(env.args, &single_item_implied)
                                     : plan_files(env, *o, **client, **discovery, builder, &single_item_implied);
  if (!visits.ok()) return report_error(env.out, visits.error());
  if (!o->subresource.empty())
    for (const auto& v : *visits)
      if (v.name.empty()) return report_error(env.out, CmdError::msg("subresource cannot be used when bulk resources are specified"));
  if (o->filenames.empty()) {
    for (const auto& v : *visits) builder.fetch(v);
  } else {
    fetch_file_objects(*o, **client, builder, *visits);
  }
  if (o->watch) return run_get_watch(env, *o, **client, builder, *visits, single_item_implied);
  return o->human() ? print_human(env, *o, builder) : print_generic(env, *o, builder, single_item_implied);
}

}  // namespace kapi::client
