// `kapi get --watch` (kubectl get.go watch()): print what is there now, then one row (or
// object) per watch event until the server ends the stream.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "client/cmd/get.h"
#include "client/printers/go_json.h"
#include "client/printers/table_printer.h"
#include "client/printers/tabwriter.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;


// A Status (an ERROR event) as kubectl's table printer shows it: STATUS, REASON, MESSAGE.
Json status_table(const Json& status) {
  return {{"columnDefinitions", Json::array({{{"name", "Status"}, {"type", "string"}},
                                             {{"name", "Reason"}, {"type", "string"}},
                                             {{"name", "Message"}, {"type", "string"}}})},
          {"rows", Json::array({{{"cells", Json::array({status.value("status", ""), status.value("reason", ""),
                                                       status.value("message", "")})}}})}};
}

}  // namespace

int run_get_watch(CommandEnv& env, const GetOptions& o, RestClient& client, ResourceBuilder& builder,
                  const std::vector<Visit>& visits, bool single_item_implied) {
  auto& infos = builder.infos();
  if (!builder.errors().empty()) return report_errors(env.out, builder.errors());
  if (infos.empty()) return 0;
  if (multiple_gvks(infos)) {
    return report_error(env.out, CmdError::msg("watch is only supported on individual resources and resource "
                                               "collections - more than 1 resource was found"));
  }
  const RestMapping& mapping = *infos[0].mapping;
  // A list watch starts at the list's resourceVersion; a single object's at "0", where the
  // server first sends a synthetic ADDED event that kubectl does not print.
  bool is_list = visits[0].name.empty() || !single_item_implied;
  std::string rv = "0";
  if (is_list) {
    const auto& versions = builder.list_versions();
    rv.clear();
    if (!versions.empty() && std::all_of(versions.begin(), versions.end(), [&](const std::string& v) { return v == versions[0]; }))
      rv = versions[0];
  }

  std::string buffer;
  TabWriter w(buffer);
  TablePrintOptions po;
  po.no_headers = o.no_headers;
  po.wide = o.output == "wide";
  po.with_namespace = o.all_namespaces;
  po.show_labels = o.show_labels;
  po.column_labels = o.label_columns;
  TablePrinter table_printer(po);
  ObjectPrintOptions object_options = o.object_print_options();
  size_t printed = 0;
  std::optional<CmdError> print_error;

  auto flush_table = [&] {
    w.flush();
    env.out += buffer;
    buffer.clear();
    flush_stdout(env.out);
  };
  auto print_one = [&](Json obj, bool flush, const std::string& event_type) {
    std::string shown_event = o.output_watch_events ? event_type : "";
    if (o.human()) {
      table_printer.print(obj.value("kind", "") == "Table" ? obj : status_table(obj), w, shown_event);
      if (flush) flush_table();
      ++printed;
      return;
    }
    if (o.output == "yaml" && printed > 0) env.out += "---\n";
    if (!shown_event.empty() && (o.output == "json" || o.output == "yaml")) {
      env.out += print_watch_event(object_options, shown_event, std::move(obj));
    } else {
      // Templates see the metav1.WatchEvent itself ({"type":...,"object":...}).
      if (!shown_event.empty() && o.output != "name") obj = Json{{"object", std::move(obj)}, {"type", shown_event}};
      if (auto err = print_object_to(object_options, std::move(obj), env.out)) {
        print_error = *err;
        return;
      }
    }
    ++printed;
    if (flush) flush_stdout(env.out);
  };

  if (!o.watch_only) {
    for (auto& info : infos) {
      print_one(std::move(*info.object), false, "ADDED");
      if (print_error) return report_error(env.out, *print_error);
    }
    flush_table();
  }
  bool output_objects = is_list;
  if (visits.size() != 1) {
    return report_error(env.out,
                        CmdError::msg("you may only watch a single resource or type of resource at a time"));
  }

  std::vector<std::pair<std::string, std::string>> q;
  std::string label = o.label_selector, field = o.field_selector;
  if (!visits[0].name.empty()) field = "metadata.name=" + visits[0].name;
  if (!label.empty()) q.emplace_back("labelSelector", label);
  if (!field.empty()) q.emplace_back("fieldSelector", field);
  if (!rv.empty()) q.emplace_back("resourceVersion", rv);
  if (!client.config().timeout_param.empty()) q.emplace_back("timeout", client.config().timeout_param);
  q.emplace_back("watch", "true");
  std::string path = ResourceBuilder::path_for(mapping, o.all_namespaces ? "" : o.namespace_, "") +
                     ResourceBuilder::encode_query(q);
  auto r = client.get_lines(path, o.human() ? kTableAccept : kJsonAccept, [&](const std::string& line) {
    auto event = Json::parse(line, nullptr, false);
    if (!event.is_object() || !event.contains("object")) return true;
    std::string type = event.value("type", "");
    if (type == "BOOKMARK") return true;
    if (output_objects) print_one(std::move(event["object"]), true, type);
    output_objects = true;
    return !print_error;
  });
  if (!r.ok()) return report_error(env.out, r.error());
  if (print_error) return report_error(env.out, *print_error);
  if (r->status != 200) return report_error(env.out, status_error_from_response(r->status, r->body));
  return 0;
}

}  // namespace kapi::client
