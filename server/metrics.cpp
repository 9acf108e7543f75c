#include "server/metrics.h"

#include <cstdio>

namespace kapi::server {

namespace {
const double kBuckets[] = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60};
constexpr size_t kNumBuckets = sizeof(kBuckets) / sizeof(kBuckets[0]);
}  // namespace

void Metrics::observe(const std::string& verb, const std::string& resource, int code, double seconds) {
  std::lock_guard<std::mutex> l(mu_);
  ++counts_[{verb, resource, code}];
  Hist& h = latency_[{verb, resource}];
  if (h.buckets.empty()) h.buckets.assign(kNumBuckets, 0);
  for (size_t i = 0; i < kNumBuckets; ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  h.sum += seconds;
  ++h.count;
}

std::string Metrics::render() const {
  std::lock_guard<std::mutex> l(mu_);
  std::string out;
  out += "# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, resource and HTTP response code.\n";
  out += "# TYPE apiserver_request_total counter\n";
  for (const auto& [k, v] : counts_)
    out += "apiserver_request_total{code=\"" + std::to_string(std::get<2>(k)) + "\",resource=\"" +
           std::get<1>(k) + "\",verb=\"" + std::get<0>(k) + "\"} " + std::to_string(v) + "\n";
  out += "# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb and resource.\n";
  out += "# TYPE apiserver_request_duration_seconds histogram\n";
  for (const auto& [k, h] : latency_) {
    std::string labels = "resource=\"" + k.second + "\",verb=\"" + k.first + "\"";
    for (size_t i = 0; i < kNumBuckets; ++i) {
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[i]);
      out += "apiserver_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " + std::to_string(h.buckets[i]) + "\n";
    }
    out += "apiserver_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    char sum[64];
    std::snprintf(sum, sizeof sum, "%.6f", h.sum);
    out += "apiserver_request_duration_seconds_sum{" + labels + "} " + sum + "\n";
    out += "apiserver_request_duration_seconds_count{" + labels + "} " + std::to_string(h.count) + "\n";
  }
  out += "# HELP apiserver_longrunning_requests Gauge of all active long-running apiserver requests.\n";
  out += "# TYPE apiserver_longrunning_requests gauge\n";
  out += "apiserver_longrunning_requests{verb=\"WATCH\"} " + std::to_string(watches_) + "\n";
  return out;
}

}  // namespace kapi::server
