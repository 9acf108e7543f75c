// `kapi cluster-info dump` (kubectl pkg/cmd/clusterinfo/clusterinfo_dump.go): the node list,
// then per namespace (kube-system and the current one, --namespaces, or -A) its events,
// replication controllers, services, daemon sets, deployments, replica sets and pods, then
// every container's log between "==== START/END logs ..." lines; to stdout or, with
// --output-directory, to files named as kubectl names them.
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/pod_target.h"
#include "client/cmd/print_flags.h"
#include "client/factory.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// os.MkdirAll(dir, 0755).
void make_dirs(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i)
    if (i == dir.size() || dir[i] == '/') ::mkdir(dir.substr(0, i).c_str(), 0755);
}

struct DumpSink {
  std::string dir;  // "" or "-": standard output
  std::string& out;

  bool to_stdout() const { return dir.empty() || dir == "-"; }
  // setupOutputWriter: <dir>/<name><ext>, created afresh.
  void write(const std::string& name, const std::string& ext, const std::string& text, bool append = false) {
    if (to_stdout()) {
      out += text;
      flush_stdout(out);
      return;
    }
    std::string path = dir + "/" + name + ext;
    make_dirs(path.substr(0, path.rfind('/')));
    std::ofstream f(path, append ? std::ios::app : std::ios::trunc);
    f << text;
  }
};

Result<Json> list(RestClient& client, const std::string& api, const std::string& resource, const std::string& ns,
                  long long chunk) {
  std::string path = api + (ns.empty() ? "" : "/namespaces/" + ns) + "/" + resource;
  if (chunk > 0) path += "?limit=" + std::to_string(chunk);
  auto r = client.get(path, kJsonAccept);
  if (!r.ok()) return r.error();
  if (r->status >= 400) return status_error_from_response(r->status, r->body, "list", resource, "");
  auto j = Json::parse(r->body, nullptr, false);
  if (!j.is_object()) return CmdError::msg("invalid list in server response");
  return j;
}

}  // namespace

void add_cluster_info_dump_flags(FlagSet& f) {
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string("output", 'o', "json");
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
  f.add_bool("all-namespaces", 'A', false);
  f.add_string_slice("namespaces", 0);
  f.add_string("output-directory", 0, "");
  f.add_duration("pod-running-timeout", "20s");
}

int run_cluster_info_dump(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto current_ns = env.factory.client_config().namespace_for_request();
  if (!current_ns.ok()) return report_error(env.out, current_ns.error());
  const std::string output = f.get_string("output");
  // OutputFileExt: ".json" for json, ".yaml" for yaml, else ".txt".
  const std::string ext = output == "json" ? ".json" : output == "yaml" ? ".yaml" : ".txt";
  DumpSink sink{f.get_string("output-directory"), env.out};
  const long long chunk = 500;
  auto print = [&](const Json& obj, const std::string& name) -> std::optional<CmdError> {
    // The name printer refuses typed lists.
    if (output == "name")
      return CmdError::msg("list types are not supported by name printing: *v1." + obj.value("kind", ""));
    std::string text;
    if (auto err = print_with_flags(f, "", obj, text, /*printer_per_object=*/false, /*typed=*/true)) return err;
    sink.write(name, ext, text);
    return std::nullopt;
  };
  auto nodes = list(**client, "/api/v1", "nodes", "", chunk);
  if (!nodes.ok()) return report_error(env.out, nodes.error());
  if (auto err = print(*nodes, "nodes")) return report_error(env.out, *err);

  std::vector<std::string> namespaces;
  if (f.get_bool("all-namespaces")) {
    auto all = list(**client, "/api/v1", "namespaces", "", 0);
    if (!all.ok()) return report_error(env.out, all.error());
    for (const auto& n : all->value("items", Json::array())) namespaces.push_back(n["metadata"].value("name", ""));
  } else if (!f.get_strings("namespaces").empty()) {
    namespaces = f.get_strings("namespaces");
  } else {
    namespaces = {"kube-system", *current_ns};
  }
  struct Kind {
    const char* api;
    const char* resource;
    const char* file;
  };
  static const Kind kKinds[] = {{"/api/v1", "events", "events"},
                                {"/api/v1", "replicationcontrollers", "replication-controllers"},
                                {"/api/v1", "services", "services"},
                                {"/apis/apps/v1", "daemonsets", "daemonsets"},
                                {"/apis/apps/v1", "deployments", "deployments"},
                                {"/apis/apps/v1", "replicasets", "replicasets"},
                                {"/api/v1", "pods", "pods"}};
  for (const auto& ns : namespaces) {
    Json pods;
    for (const auto& k : kKinds) {
      auto l = list(**client, k.api, k.resource, ns, chunk);
      if (!l.ok()) return report_error(env.out, l.error());
      if (auto err = print(*l, ns + "/" + k.file)) return report_error(env.out, *err);
      if (std::string(k.resource) == "pods") pods = std::move(*l);
    }
    for (const auto& pod : pods.value("items", Json::array())) {
      const std::string name = pod["metadata"].value("name", "");
      const Json spec = pod.value("spec", Json::object());
      std::string text;
      for (const char* key : {"initContainers", "containers"}) {
        for (const auto& c : spec.value(key, Json::array())) {
          const std::string container = c.value("name", "");
          const std::string what = "container " + container + " of pod " + ns + "/" + name + " ====\n";
          text += "==== START logs for " + what;
          std::string path = ResourceBuilder::path_for(pods_mapping(), ns, name) + "/log" +
                             ResourceBuilder::encode_query({{"container", container}});
          auto r = (*client)->get(path, "application/json, */*");
          if (!r.ok()) {
            text += "Request log error: " + message_for_error(r.error()) + "\n";
          } else if (r->status >= 400) {
            text += "Request log error: " + message_for_error(status_error_from_response(r->status, r->body)) + "\n";
          } else {
            text += r->body;
          }
          text += "==== END logs for " + what;
        }
      }
      sink.write(ns + "/" + name + "/logs", ".txt", text);
    }
  }
  if (!sink.to_stdout()) env.out += "Cluster info dumped to " + sink.dir + "\n";
  return 0;
}

}  // namespace kapi::client
