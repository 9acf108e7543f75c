// Load generator for `kapi serve` (HTTPS, client certificates) and, in the same run, a real etcd
// through its v3 HTTP/JSON gateway with the same pod JSON and concurrency.
//
//   apiserver_load_bench --server https://127.0.0.1:PORT --cert C --key K --ca CA
//                        [--etcd http://127.0.0.1:2379] [--concurrency 16] [--creates 5000]
//                        [--list-pods 10000] [--watchers 200] [--pid SERVER_PID]
//
// Prints one figure per line: creates/s, list p50 (JSON and Table), watch p99, RSS.
// Requests go through kapi's own client transport (client/rest_client.h), one kept-alive
// connection per worker, as client-go keeps one per host.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/rest_client.h"
#include "pkg/machinery/base64.h"
#include "pkg/tls/file_util.h"

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

struct Options {
  std::string server, cert, key, ca, etcd;
  int concurrency = 16, creates = 5000, list_pods = 10000, watchers = 200, pid = 0;
};

std::string arg(int& i, int argc, char** argv) { return i + 1 < argc ? argv[++i] : ""; }

using kapi::client::RestClient;
using kapi::client::RestConfig;

RestConfig endpoint(const std::string& url) {
  RestConfig rc;
  rc.server = url;
  size_t colon = url.find("://");
  rc.scheme = url.substr(0, colon);
  rc.host_port = url.substr(colon + 3);
  kapi::client::split_host_port(rc);
  return rc;
}

std::unique_ptr<RestClient> client(const Options& o, double timeout_seconds = 120) {
  RestConfig rc = endpoint(o.server);
  rc.insecure = true;
  auto cert = kapi::tls::read_file(o.cert), key = kapi::tls::read_file(o.key);
  if (cert.ok()) rc.client_cert_pem = *cert;
  if (key.ok()) rc.client_key_pem = *key;
  rc.timeout_seconds = timeout_seconds;
  return std::make_unique<RestClient>(rc, "apiserver_load_bench");
}

std::unique_ptr<RestClient> etcd_client(const Options& o) {
  return std::make_unique<RestClient>(endpoint(o.etcd), "apiserver_load_bench");
}

// POST a JSON body; the status, or 0 when the request failed.
int post(RestClient& c, const std::string& path, const std::string& body) {
  auto r = c.send("POST", path, "application/json", body);
  return r.ok() ? r->status : 0;
}

// The pod body with the name spliced in (no JSON building per request: the generator must not
// be what limits the rate).
std::string pod_json_slow(const std::string& name);
std::string pod_json(const std::string& name) {
  static const std::string tmpl = pod_json_slow("@@NAME@@");
  static const size_t at = tmpl.find("@@NAME@@");
  std::string out;
  out.reserve(tmpl.size() + name.size());
  out.append(tmpl, 0, at);
  out += name;
  out.append(tmpl, at + 8, std::string::npos);
  return out;
}

std::string pod_json_slow(const std::string& name) {
  // About 1.5 KB once defaulted, like a small real workload pod.
  Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"},
              {"metadata", {{"name", name}, {"labels", {{"app", "bench"}, {"tier", "backend"}}},
                            {"annotations", {{"bench.kapi.io/note", std::string(200, 'x')}}}}},
              {"spec", {{"containers", Json::array({{{"name", "app"}, {"image", "registry.example/app:1.2.3"},
                                                     {"ports", Json::array({{{"containerPort", 8080}}})},
                                                     {"env", Json::array({{{"name", "MODE"}, {"value", "production"}}})},
                                                     {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "128Mi"}}}}}}})}}}};
  return pod.dump();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

long rss_kb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

double run_parallel(int n, int concurrency, const std::function<bool(int worker, int i)>& op) {
  std::atomic<int> next{0};
  auto start = Clock::now();
  std::vector<std::thread> ts;
  for (int w = 0; w < concurrency; ++w)
    ts.emplace_back([&, w] {
      for (int i = next++; i < n; i = next++) op(w, i);
    });
  for (auto& t : ts) t.join();
  return n / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--server") o.server = arg(i, argc, argv);
    else if (a == "--cert") o.cert = arg(i, argc, argv);
    else if (a == "--key") o.key = arg(i, argc, argv);
    else if (a == "--ca") o.ca = arg(i, argc, argv);
    else if (a == "--etcd") o.etcd = arg(i, argc, argv);
    else if (a == "--concurrency") o.concurrency = std::stoi(arg(i, argc, argv));
    else if (a == "--creates") o.creates = std::stoi(arg(i, argc, argv));
    else if (a == "--list-pods") o.list_pods = std::stoi(arg(i, argc, argv));
    else if (a == "--watchers") o.watchers = std::stoi(arg(i, argc, argv));
    else if (a == "--pid") o.pid = std::stoi(arg(i, argc, argv));
  }
  const long rss_start = o.pid ? rss_kb(o.pid) : 0;
  if (o.pid) std::printf("rss_at_start_kb %ld\n", rss_start);
  // Namespace for the run.
  {
    auto c = client(o);
    post(*c, "/api/v1/namespaces", R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}})");
  }
  // 1. Creates/s at the given concurrency, and etcd puts/s of the same bytes. The two run in
  // alternating rounds (kapi, etcd, kapi, ...) so that a change in the machine's load during the
  // run shifts both; the ratio is the median of the per-round ratios.
  std::vector<std::unique_ptr<RestClient>> clients;
  for (int i = 0; i < o.concurrency; ++i) clients.push_back(client(o));
  std::vector<std::unique_ptr<RestClient>> ec;
  if (!o.etcd.empty()) {
    for (int i = 0; i < o.concurrency; ++i) ec.push_back(etcd_client(o));
  }
  const int rounds = std::max(1, std::min(5, o.creates / 1000));
  std::atomic<int> failures{0}, efail{0};
  std::vector<double> kapi_rates, etcd_rates, ratios;
  int done = 0;
  for (int r = 0; r < rounds; ++r) {
    const int n = o.creates / rounds + (r < o.creates % rounds ? 1 : 0), base = done;
    done += n;
    double creates = run_parallel(n, o.concurrency, [&](int w, int i) {
      if (post(*clients[w], "/api/v1/namespaces/bench/pods", pod_json("p-" + std::to_string(base + i))) != 201)
        ++failures;
      return true;
    });
    kapi_rates.push_back(creates);
    if (ec.empty()) continue;
    double puts = run_parallel(n, o.concurrency, [&](int w, int i) {
      std::string key = "/registry/pods/bench/p-" + std::to_string(base + i);
      std::string body = "{\"key\":\"" + kapi::machinery::base64_encode(key) + "\",\"value\":\"" +
                         kapi::machinery::base64_encode(pod_json("p-" + std::to_string(base + i))) + "\"}";
      if (post(*ec[w], "/v3/kv/put", body) != 200) ++efail;
      return true;
    });
    etcd_rates.push_back(puts);
    ratios.push_back(creates / puts);
  }
  std::printf("kapi_pod_creates_per_s %.0f (concurrency %d, %d creates in %d rounds, median round, %d failed)\n",
              percentile(kapi_rates, 0.5), o.concurrency, o.creates, rounds, failures.load());
  if (!ec.empty()) {
    std::printf("etcd_puts_per_s %.0f (same bytes, rounds alternating with kapi's, %d failed)\n",
                percentile(etcd_rates, 0.5), efail.load());
    std::string each;
    for (double x : ratios) each += (each.empty() ? "" : " ") + std::to_string(x).substr(0, 4);
    std::printf("ratio_kapi_creates_to_etcd_puts %.2f (median of rounds: %s)\n", percentile(ratios, 0.5), each.c_str());
  }
  // 2. Fill up to list_pods and time LISTs.
  if (o.list_pods > o.creates) {
    run_parallel(o.list_pods - o.creates, o.concurrency, [&](int w, int i) {
      post(*clients[w], "/api/v1/namespaces/bench/pods", pod_json("f-" + std::to_string(i)));
      return true;
    });
  }
  const int stored = std::max(o.list_pods, o.creates);
  long rss_filled = 0;
  if (o.pid) {
    rss_filled = rss_kb(o.pid);
    std::printf("rss_after_fill_kb %ld (%d pods stored)\n", rss_filled, stored);
  }
  for (int table = 0; table < 2 && o.list_pods > 0; ++table) {
    std::vector<double> ms;
    const char* accept = table ? "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" : "application/json";
    size_t bytes = 0;
    for (int i = 0; i < 11; ++i) {
      auto t0 = Clock::now();
      auto r = clients[0]->get("/api/v1/namespaces/bench/pods", accept);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (r.ok()) bytes = r->body.size();
    }
    std::printf("list_%d_pods_%s_p50_ms %.1f (%zu bytes)\n", std::max(o.list_pods, o.creates), table ? "table" : "json",
                percentile(ms, 0.5), bytes);
  }
  if (o.pid) {
    // Two readings of "KB per stored pod": the whole RSS divided by the pods, and the growth over
    // the empty server (what each further pod costs). Both after the LISTs, whose buffers count.
    long rss = rss_kb(o.pid);
    std::printf("rss_kb %ld (%.2f KB per stored pod overall, %.2f KB per pod over the empty server)\n", rss,
                static_cast<double>(rss) / stored, static_cast<double>(rss - rss_start) / stored);
  }
  // 3. Watch fan-out: watchers on the namespace, creates paced, create-to-event latency.
  if (o.watchers > 0) {
    std::mutex mu;
    std::map<std::string, Clock::time_point> sent;
    std::vector<double> lat;
    std::atomic<int> ready{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> ws;
    std::string rv = "0";
    if (auto r = clients[0]->get("/api/v1/namespaces/bench/pods?limit=1", "application/json"); r.ok())
      rv = Json::parse(r->body)["metadata"].value("resourceVersion", "0");
    for (int w = 0; w < o.watchers; ++w)
      ws.emplace_back([&] {
        auto c = client(o, 30);
        ++ready;
        c->get_lines("/api/v1/namespaces/bench/pods?watch=true&resourceVersion=" + rv + "&labelSelector=app%3Dwatch",
                     "application/json", [&](const std::string& line) {
                       auto now = Clock::now();
                       auto p = line.find("\"name\":\"w-");
                       if (p == std::string::npos) return !stop.load();
                       std::string name = line.substr(p + 8, line.find('"', p + 8) - p - 8);
                       std::lock_guard<std::mutex> l(mu);
                       auto it = sent.find(name);
                       if (it != sent.end()) lat.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
                       return !stop.load();
                     });
      });
    while (ready < o.watchers) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    for (int i = 0; i < 100; ++i) {
      std::string name = "w-" + std::to_string(i);
      std::string body = pod_json(name);
      auto j = Json::parse(body);
      j["metadata"]["labels"]["app"] = "watch";
      {
        std::lock_guard<std::mutex> l(mu);
        sent[name] = Clock::now();
      }
      post(*clients[0], "/api/v1/namespaces/bench/pods", j.dump());
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    stop = true;
    post(*clients[0], "/api/v1/namespaces/bench/pods", Json::parse(pod_json("w-stop")).dump());
    for (auto& t : ws) t.detach();
    std::lock_guard<std::mutex> l(mu);
    std::printf("watch_events_delivered %zu of %d\n", lat.size(), 100 * o.watchers);
    std::printf("watch_create_to_event_p50_ms %.1f\n", percentile(lat, 0.5));
    std::printf("watch_create_to_event_p99_ms %.1f (%d watchers)\n", percentile(lat, 0.99), o.watchers);
  }
  std::fflush(stdout);
  std::_Exit(0);
}
