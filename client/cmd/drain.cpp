// `kapi drain NODE` (kubectl pkg/cmd/drain/drain.go + pkg/drain): cordon the nodes, then for each
// node list its pods (fieldSelector spec.nodeName), sort them through drain's filters (DaemonSet,
// mirror, local storage, unmanaged) and evict them through pods/eviction, or delete them
// (--disable-eviction, or no eviction in discovery), waiting until they are gone.
//
// kubectl evicts a node's pods concurrently, so its lines for several pods come in any order;
// here they come in list order.
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <thread>

#include "client/cmd/command.h"
#include "client/cmd/node_cordon.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

struct DrainOptions {
  bool force = false, ignore_daemonsets = false, delete_emptydir = false, disable_eviction = false;
  long long grace_period = -1, skip_wait_timeout = 0, chunk_size = 500;
  std::string pod_selector;
  double timeout_seconds = 0;                  // --timeout; 0: wait forever
  std::optional<Clock::time_point> deadline;  // --timeout from the start of this node's evictions
};

// An error as drain's helpers return it: one message, or a utilerrors aggregate of several
// (which CheckErr prints one per line without "error: ").
struct DrainError {
  std::vector<std::string> messages;
  bool aggregate = false;
  std::string text() const {
    if (!aggregate || messages.size() == 1) return messages.empty() ? "" : messages[0];
    std::string s = "[";
    for (size_t i = 0; i < messages.size(); ++i) s += (i ? ", " : "") + messages[i];
    return s + "]";
  }
};

std::string error_text(const CmdError& e) {
  std::string t = go_error_text(e);
  return t.empty() ? e.message : t;
}

// PodDeleteStatus.
struct PodStatus {
  bool remove = true;
  enum { kOkay, kSkip, kWarning, kError } reason = kOkay;
  std::string message;
};

struct PodDelete {
  Json pod;
  PodStatus status;
  std::string ns() const { return pod["metadata"].value("namespace", ""); }
  std::string name() const { return pod["metadata"].value("name", ""); }
};

const Json* controller_of(const Json& pod) {
  const Json& meta = pod["metadata"];
  if (!meta.contains("ownerReferences")) return nullptr;
  for (const auto& r : meta["ownerReferences"])
    if (r.value("controller", false)) return &r;
  return nullptr;
}

bool finished(const Json& pod) {
  std::string phase = pod.contains("status") ? pod["status"].value("phase", "") : "";
  return phase == "Succeeded" || phase == "Failed";
}

class Drainer {
 public:
  Drainer(Session& s, DrainOptions o, DryRun dry) : s_(s), o_(std::move(o)), dry_(dry) {}

  // GetPodsForDeletion: the pods of the node with their filter verdicts; errors are the
  // list's failure or the pods that may not be deleted.
  std::optional<DrainError> pods_for_deletion(const std::string& node, std::vector<PodDelete>& out) {
    out.clear();
    std::string cont;
    while (true) {
      std::vector<std::pair<std::string, std::string>> q = {{"fieldSelector", "spec.nodeName=" + node}};
      if (!o_.pod_selector.empty()) q.emplace_back("labelSelector", o_.pod_selector);
      if (o_.chunk_size > 0) q.emplace_back("limit", std::to_string(o_.chunk_size));
      if (!cont.empty()) q.emplace_back("continue", cont);
      auto r = s_.client->get("/api/v1/pods" + ResourceBuilder::encode_query(q), kJsonAccept);
      if (!r.ok()) return DrainError{{error_text(r.error())}, true};
      if (r->status >= 400)
        return DrainError{{error_text(status_error_from_response(r->status, r->body, "list", "pods"))}, true};
      Json list = Json::parse(r->body, nullptr, false);
      if (list.is_discarded()) return DrainError{{"invalid character in response body"}, true};
      for (auto& p : list["items"]) out.push_back({std::move(p), {}});
      cont = list.contains("metadata") ? list["metadata"].value("continue", "") : "";
      if (cont.empty()) break;
    }
    for (auto& pd : out) pd.status = filter(pd.pod);
    // PodDeleteList.errors(): one error per message, naming its pods.
    std::vector<std::pair<std::string, std::string>> failed;
    for (const auto& pd : out) {
      if (pd.status.reason != PodStatus::kError) continue;
      std::string msg = pd.status.message.empty() ? "unexpected error" : pd.status.message;
      add_grouped(failed, msg, pd.ns() + "/" + pd.name());
    }
    if (failed.empty()) return std::nullopt;
    DrainError e{{}, true};
    for (const auto& [msg, pods] : failed) e.messages.push_back("cannot delete " + msg + ": " + pods);
    return e;
  }

  static std::string warnings(const std::vector<PodDelete>& list) {
    std::vector<std::pair<std::string, std::string>> w;
    for (const auto& pd : list)
      if (pd.status.reason == PodStatus::kWarning) add_grouped(w, pd.status.message, pd.ns() + "/" + pd.name());
    std::string s;
    for (const auto& [msg, pods] : w) s += (s.empty() ? "" : "; ") + msg + ": " + pods;
    return s;
  }

  // DeleteOrEvictPods.
  std::optional<DrainError> delete_or_evict(std::vector<PodDelete>& pods) {
    if (pods.empty()) return std::nullopt;
    o_.deadline.reset();
    if (o_.timeout_seconds > 0)
      o_.deadline = Clock::now() + std::chrono::microseconds(static_cast<long long>(o_.timeout_seconds * 1e6));
    if (!o_.disable_eviction) {
      auto gv = eviction_group_version();
      if (!gv.ok()) return DrainError{{error_text(gv.error())}, false};
      if (!gv->empty()) return evict(pods, *gv);
    }
    return remove(pods);
  }

 private:
  static void add_grouped(std::vector<std::pair<std::string, std::string>>& groups, const std::string& msg,
                          const std::string& pod) {
    for (auto& [m, pods] : groups)
      if (m == msg) {
        pods += ", " + pod;
        return;
      }
    groups.emplace_back(msg, pod);
  }

  // makeFilters: skipDeleted, daemonSet, mirrorPod, localStorage, unreplicated, in order until
  // one keeps the pod; the last one run decides (so a warning may be dropped, as upstream).
  PodStatus filter(const Json& pod) {
    PodStatus st;
    for (auto f : {&Drainer::skip_deleted, &Drainer::daemonset, &Drainer::mirror, &Drainer::local_storage,
                   &Drainer::unreplicated}) {
      st = (this->*f)(pod);
      if (!st.remove) break;
    }
    return st;
  }

  PodStatus skip_deleted(const Json& pod) {
    if (should_skip(pod)) return {false, PodStatus::kSkip, ""};
    return {};
  }

  // shouldSkipPod: --skip-wait-for-delete-timeout passed since the deletion timestamp.
  bool should_skip(const Json& pod) const {
    if (o_.skip_wait_timeout <= 0 || !pod["metadata"].contains("deletionTimestamp")) return false;
    std::tm tm{};
    std::string ts = pod["metadata"].value("deletionTimestamp", "");
    if (!strptime(ts.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return false;
    long long age = static_cast<long long>(std::time(nullptr) - timegm(&tm));
    return age > o_.skip_wait_timeout;
  }

  PodStatus daemonset(const Json& pod) {
    const Json* ref = controller_of(pod);
    if (!ref || ref->value("kind", "") != "DaemonSet" || finished(pod)) return {};
    std::string ns = pod["metadata"].value("namespace", ""), name = ref->value("name", "");
    auto r = s_.client->get("/apis/apps/v1/namespaces/" + ns + "/daemonsets/" + name, kJsonAccept);
    std::optional<CmdError> err;
    if (!r.ok()) err = r.error();
    else if (r->status >= 400) err = status_error_from_response(r->status, r->body, "get", "daemonsets.apps", name);
    if (err) {
      if (err->reason == "NotFound" && o_.force) return {true, PodStatus::kWarning, error_text(*err)};
      return {false, PodStatus::kError, error_text(*err)};
    }
    if (!o_.ignore_daemonsets) return {false, PodStatus::kError, "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"};
    return {false, PodStatus::kWarning, "ignoring DaemonSet-managed Pods"};
  }

  PodStatus mirror(const Json& pod) {
    const Json& meta = pod["metadata"];
    if (meta.contains("annotations") && meta["annotations"].contains("kubernetes.io/config.mirror"))
      return {false, PodStatus::kSkip, ""};
    return {};
  }

  PodStatus local_storage(const Json& pod) {
    bool local = false;
    if (pod.contains("spec") && pod["spec"].contains("volumes"))
      for (const auto& v : pod["spec"]["volumes"])
        if (v.contains("emptyDir")) local = true;
    if (!local || finished(pod)) return {};
    if (!o_.delete_emptydir) return {false, PodStatus::kError, "Pods with local storage (use --delete-emptydir-data to override)"};
    return {true, PodStatus::kWarning, "deleting Pods with local storage"};
  }

  PodStatus unreplicated(const Json& pod) {
    if (finished(pod) || controller_of(pod)) return {};
    if (o_.force) return {true, PodStatus::kWarning, "deleting Pods that declare no controller"};
    return {false, PodStatus::kError, "cannot delete Pods that declare no controller (use --force to override)"};
  }

  // CheckEvictionSupport: "policy/v1" when the core resources list pods/eviction, else "".
  Result<std::string> eviction_group_version() {
    auto r = s_.client->get("/api/v1", "application/json, */*");
    if (!r.ok()) return r.error();
    if (r->status >= 400) return unstructured_response_error(r->status, r->body, r->content_type);
    Json list = Json::parse(r->body, nullptr, false);
    if (list.is_discarded() || !list.contains("resources")) return std::string();
    for (const auto& res : list["resources"])
      if (res.value("name", "") == "pods/eviction" && res.value("kind", "") == "Eviction" &&
          !res.value("group", "").empty() && !res.value("version", "").empty())
        return res.value("group", "") + "/" + res.value("version", "");
    return std::string();
  }

  Json delete_options() const {
    Json o = Json::object();
    if (o_.grace_period >= 0) o["gracePeriodSeconds"] = o_.grace_period;
    if (dry_ == DryRun::kServer) o["dryRun"] = Json::array({"All"});
    return o;
  }

  std::string pod_path(const PodDelete& pd) const { return "/api/v1/namespaces/" + pd.ns() + "/pods/" + pd.name(); }

  bool timed_out() const { return o_.deadline && Clock::now() >= *o_.deadline; }

  void print(const std::string& line) {
    s_.env.out += line;
    flush_stdout(s_.env.out);
  }

  // evictPods: each pod is evicted (a 429 is retried), then waited for.
  std::optional<DrainError> evict(std::vector<PodDelete>& pods, const std::string& gv) {
    DrainError errs{{}, true};
    std::vector<PodDelete*> waiting;
    for (auto& pd : pods) {
      bool gone = false, failed = false;
      while (true) {
        print("evicting pod " + pd.ns() + "/" + pd.name() + (dry_ == DryRun::kServer ? " (server dry run)" : "") + "\n");
        if (timed_out()) {
          errs.messages.push_back("error when evicting pods/\"" + pd.name() + "\" -n \"" + pd.ns() +
                                  "\": global timeout reached: " + timeout_text_);
          failed = true;
          break;
        }
        Json ev = {{"kind", "Eviction"}, {"apiVersion", gv},
                   {"metadata", {{"name", pd.name()}, {"namespace", pd.ns()}}}, {"deleteOptions", delete_options()}};
        auto r = s_.client->send("POST", pod_path(pd) + "/eviction", "application/json", ev.dump());
        std::optional<CmdError> err;
        if (!r.ok()) err = r.error();
        else if (r->status >= 400) err = status_error_from_response(r->status, r->body, "create", "pods", pd.name());
        if (!err) break;
        if (err->reason == "NotFound") {
          gone = true;
          break;
        }
        if (err->reason == "TooManyRequests") {
          flush_stdout(s_.env.out);
          write_stderr("error when evicting pods/\"" + pd.name() + "\" -n \"" + pd.ns() + "\" (will retry after 0s): " +
                       error_text(*err) + "\n");
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          continue;
        }
        errs.messages.push_back("error when evicting pods/\"" + pd.name() + "\" -n \"" + pd.ns() + "\": " + error_text(*err));
        failed = true;
        break;
      }
      if (!gone && !failed && dry_ != DryRun::kServer) waiting.push_back(&pd);
    }
    for (const auto& m : wait_for_delete(waiting, "evicted"))
      errs.messages.push_back(m);
    if (errs.messages.empty()) return std::nullopt;
    return errs;
  }

  // deletePods: DELETE each pod, then wait for all of them.
  std::optional<DrainError> remove(std::vector<PodDelete>& pods) {
    std::vector<PodDelete*> waiting;
    for (auto& pd : pods) {
      auto r = s_.client->send("DELETE", pod_path(pd), "application/json", delete_options().dump());
      std::optional<CmdError> err;
      if (!r.ok()) err = r.error();
      else if (r->status >= 400) err = status_error_from_response(r->status, r->body, "delete", "pods", pd.name());
      if (err && err->reason != "NotFound") return DrainError{{error_text(*err)}, false};
      waiting.push_back(&pd);
    }
    if (dry_ == DryRun::kServer) return std::nullopt;
    auto errs = wait_for_delete(waiting, "deleted");
    if (!errs.empty()) return DrainError{{"context deadline exceeded"}, false};
    return std::nullopt;
  }

  // waitForDelete: polls every second until each pod is gone (404, or a new pod of that name);
  // "pod/p evicted" as each goes. Returns an error per pod still there at the deadline.
  std::vector<std::string> wait_for_delete(std::vector<PodDelete*> pods, const std::string& verb) {
    while (true) {
      std::vector<PodDelete*> pending;
      for (PodDelete* pd : pods) {
        auto r = s_.client->get(pod_path(*pd), kJsonAccept);
        bool gone = false;
        if (r.ok() && r->status == 404) gone = true;
        if (r.ok() && r->status < 300) {
          Json p = Json::parse(r->body, nullptr, false);
          if (!p.is_discarded() && p["metadata"].value("uid", "") != pd->pod["metadata"].value("uid", "")) gone = true;
          else if (!p.is_discarded() && should_skip(p)) {
            print("pod \"" + pd->name() + "\" has DeletionTimestamp older than " +
                  std::to_string(o_.skip_wait_timeout) + " seconds, skipping\n");
            continue;
          }
        }
        if (gone) print("pod/" + pd->name() + " " + verb + "\n");
        else pending.push_back(pd);
      }
      pods = std::move(pending);
      if (pods.empty()) return {};
      auto next = Clock::now() + std::chrono::seconds(1);
      if (o_.deadline && next > *o_.deadline) {
        std::this_thread::sleep_until(*o_.deadline);
        std::vector<std::string> errs;
        for (PodDelete* pd : pods)
          errs.push_back("error when waiting for pod \"" + pd->name() + "\" in namespace \"" + pd->ns() +
                         "\" to terminate: context deadline exceeded");
        return errs;
      }
      std::this_thread::sleep_until(next);
    }
  }

 public:
  std::string timeout_text_;

 private:
  Session& s_;
  DrainOptions o_;
  DryRun dry_;
};

// deleteOrEvictPodsSimple.
std::optional<DrainError> drain_node(Session& s, Drainer& d, DryRun dry, const std::string& node) {
  std::vector<PodDelete> list;
  if (auto err = d.pods_for_deletion(node, list)) return err;
  std::string w = Drainer::warnings(list);
  if (!w.empty()) {
    flush_stdout(s.env.out);
    write_stderr("Warning: " + w + "\n");
  }
  std::vector<PodDelete> pods;
  for (auto& pd : list)
    if (pd.status.remove) pods.push_back(pd);
  if (dry == DryRun::kClient) {
    for (const auto& pd : pods) s.env.out += "evicting pod " + pd.ns() + "/" + pd.name() + " (dry run)\n";
    flush_stdout(s.env.out);
    return std::nullopt;
  }
  auto err = d.delete_or_evict(pods);
  if (!err) return std::nullopt;
  std::vector<PodDelete> pending;
  auto new_errs = d.pods_for_deletion(node, pending);
  std::string text;
  std::vector<std::string> names;
  for (const auto& pd : pending)
    if (pd.status.remove) names.push_back(pd.name());
  if (!names.empty()) {
    text += "There are pending pods in node \"" + node + "\" when an error occurred: " + err->text() + "\n";
    for (const auto& n : names) text += "pod/" + n + "\n";
  }
  if (new_errs) text += "Following errors occurred while getting the list of pods to delete:\n" + new_errs->text();
  flush_stdout(s.env.out);
  write_stderr(text);
  return err;
}

Result<DrainOptions> drain_options(const FlagSet& f) {
  DrainOptions o;
  o.force = f.get_bool("force");
  o.ignore_daemonsets = f.get_bool("ignore-daemonsets");
  o.delete_emptydir = f.get_bool("delete-emptydir-data");
  o.disable_eviction = f.get_bool("disable-eviction");
  o.grace_period = f.get_int("grace-period");
  o.skip_wait_timeout = f.get_int("skip-wait-for-delete-timeout");
  o.chunk_size = f.get_int("chunk-size");
  o.pod_selector = f.get_string("pod-selector");
  return o;
}

}  // namespace

void add_drain_flags(FlagSet& f) {
  f.add_bool("force", 0, false);
  f.add_bool("ignore-daemonsets", 0, false);
  f.add_bool("delete-emptydir-data", 0, false);
  f.add_int("grace-period", 0, -1);
  f.add_duration("timeout", "0s");
  f.add_string("selector", 'l', "");
  f.add_string("pod-selector", 0, "");
  f.add_bool("disable-eviction", 0, false);
  f.add_int("skip-wait-for-delete-timeout", 0, 0);
  f.add_int("chunk-size", 0, 500);
  add_dry_run_flag(f);
}

int run_drain(CommandEnv& env) {
  Session s(env);
  auto o = drain_options(env.flags);
  if (!o.ok()) return report_error(env.out, o.error());
  auto t = complete_node_targets(s, "drain NODE", [&]() -> std::optional<CmdError> {
    if (!o->pod_selector.empty() && !machinery::parse_label_selector(o->pod_selector).ok())
      return CmdError::msg("--pod-selector=<pod_selector> must be a valid label selector");
    return std::nullopt;
  });
  if (!t.ok()) return report_error(env.out, t.error());
  std::string timeout = env.flags.get_string("timeout");
  o->timeout_seconds = parse_seconds(timeout).value_or(0);
  cordon_nodes(s, *t, true);
  Drainer d(s, *o, t->dry_run);
  d.timeout_text_ = timeout;
  std::vector<DrainError> fatal;
  std::vector<std::string> remaining;
  for (const auto& node : t->names) {
    if (auto err = drain_node(s, d, t->dry_run, node)) {
      flush_stdout(env.out);
      write_stderr("error: unable to drain node \"" + node + "\" due to error: " + err->text() +
                   ", continuing command...\n");
      fatal.push_back(*err);
      remaining.push_back(node);
      continue;
    }
    env.out += "node/" + node + " drained" + dry_run_suffix(t->dry_run) + "\n";
    flush_stdout(env.out);
  }
  if (!remaining.empty()) {
    std::string text = "There are pending nodes to be drained:\n";
    for (const auto& n : remaining) text += " " + n + "\n";
    write_stderr(text);
  }
  if (fatal.empty()) return 0;
  // CheckErr of utilerrors.NewAggregate(fatal): a lone error is unwrapped.
  std::string text;
  if (fatal.size() == 1 && !fatal[0].aggregate) text = "error: " + fatal[0].text() + "\n";
  else if (fatal.size() == 1) for (const auto& m : fatal[0].messages) text += m + "\n";
  else for (const auto& e : fatal) text += e.text() + "\n";
  write_stderr(text);
  return 1;
}

}  // namespace kapi::client
