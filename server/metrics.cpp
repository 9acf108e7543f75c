#include "server/metrics.h"

#include <cstdio>

namespace kapi::server {

namespace {
// Upstream's buckets for both apiserver_request_duration_seconds and etcd_request_duration_seconds.
const double kBuckets[] = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60};
constexpr size_t kNumBuckets = sizeof(kBuckets) / sizeof(kBuckets[0]);

void histogram(std::string& out, const std::string& name, const std::string& labels, const std::vector<uint64_t>& buckets,
               double sum, uint64_t count) {
  for (size_t i = 0; i < kNumBuckets; ++i) {
    char le[32];
    std::snprintf(le, sizeof le, "%g", kBuckets[i]);
    out += name + "_bucket{" + labels + ",le=\"" + le + "\"} " + std::to_string(buckets[i]) + "\n";
  }
  out += name + "_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(count) + "\n";
  char s[64];
  std::snprintf(s, sizeof s, "%.6f", sum);
  out += name + "_sum{" + labels + "} " + s + "\n";
  out += name + "_count{" + labels + "} " + std::to_string(count) + "\n";
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}
}  // namespace

void Metrics::Hist::add(double seconds) {
  if (buckets.empty()) buckets.assign(kNumBuckets, 0);
  for (size_t i = 0; i < kNumBuckets; ++i)
    if (seconds <= kBuckets[i]) ++buckets[i];
  sum += seconds;
  ++count;
}

void Metrics::observe(const std::string& verb, const std::string& resource, int code, double seconds) {
  std::lock_guard<std::mutex> l(mu_);
  ++counts_[{verb, resource, code}];
  latency_[{verb, resource}].add(seconds);
}

void Metrics::observe_storage(const std::string& operation, const std::string& type, double seconds, bool failed) {
  std::lock_guard<std::mutex> l(mu_);
  storage_latency_[{operation, type}].add(seconds);
  if (failed) ++storage_errors_[{operation, type}];
}

void Metrics::watch_opened(const WatchKey& k) {
  std::lock_guard<std::mutex> l(mu_);
  ++watches_[k];
}

void Metrics::watch_closed(const WatchKey& k) {
  std::lock_guard<std::mutex> l(mu_);
  --watches_[k];
}

void Metrics::set_object_counter(std::function<std::vector<std::pair<std::string, int64_t>>()> f) {
  std::lock_guard<std::mutex> l(mu_);
  object_counter_ = std::move(f);
}

std::string Metrics::render() const {
  std::function<std::vector<std::pair<std::string, int64_t>>()> counter;
  {
    std::lock_guard<std::mutex> l(mu_);
    counter = object_counter_;
  }
  auto objects = counter ? counter() : std::vector<std::pair<std::string, int64_t>>{};
  std::lock_guard<std::mutex> l(mu_);
  std::string out;
  header(out, "apiserver_request_total", "counter",
         "Counter of apiserver requests broken out for each verb, resource and HTTP response code.");
  for (const auto& [k, v] : counts_)
    out += "apiserver_request_total{code=\"" + std::to_string(std::get<2>(k)) + "\",resource=\"" +
           std::get<1>(k) + "\",verb=\"" + std::get<0>(k) + "\"} " + std::to_string(v) + "\n";
  header(out, "apiserver_request_duration_seconds", "histogram",
         "Response latency distribution in seconds for each verb and resource.");
  for (const auto& [k, h] : latency_)
    histogram(out, "apiserver_request_duration_seconds", "resource=\"" + k.second + "\",verb=\"" + k.first + "\"",
              h.buckets, h.sum, h.count);
  header(out, "etcd_request_duration_seconds", "histogram",
         "Etcd request latency in seconds for each operation and object type.");
  for (const auto& [k, h] : storage_latency_)
    histogram(out, "etcd_request_duration_seconds", "operation=\"" + k.first + "\",type=\"" + k.second + "\"",
              h.buckets, h.sum, h.count);
  header(out, "etcd_requests_total", "counter", "Etcd request counts for each operation and object type.");
  for (const auto& [k, h] : storage_latency_)
    out += "etcd_requests_total{operation=\"" + k.first + "\",type=\"" + k.second + "\"} " + std::to_string(h.count) + "\n";
  header(out, "etcd_request_errors_total", "counter", "Etcd failed request counts for each operation and object type.");
  for (const auto& [k, n] : storage_errors_)
    out += "etcd_request_errors_total{operation=\"" + k.first + "\",type=\"" + k.second + "\"} " + std::to_string(n) + "\n";
  header(out, "apiserver_storage_objects", "gauge",
         "Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.");
  for (const auto& [resource, n] : objects)
    out += "apiserver_storage_objects{resource=\"" + resource + "\"} " + std::to_string(n) + "\n";
  header(out, "apiserver_longrunning_requests", "gauge",
         "Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and "
         "component. Not all requests are tracked this way.");
  for (const auto& [k, n] : watches_)
    out += "apiserver_longrunning_requests{component=\"apiserver\",group=\"" + k.group + "\",resource=\"" + k.resource +
           "\",scope=\"" + k.scope + "\",subresource=\"\",verb=\"WATCH\",version=\"" + k.version + "\"} " +
           std::to_string(n) + "\n";
  header(out, "apiserver_registered_watchers", "gauge", "Number of currently registered watchers for a given resources");
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> by_kind;
  for (const auto& [k, n] : watches_) by_kind[{k.group, k.kind, k.version}] += n;
  for (const auto& [k, n] : by_kind)
    out += "apiserver_registered_watchers{group=\"" + std::get<0>(k) + "\",kind=\"" + std::get<1>(k) + "\",version=\"" +
           std::get<2>(k) + "\"} " + std::to_string(n) + "\n";
  return out;
}

}  // namespace kapi::server
