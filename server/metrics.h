#pragma once
// Prometheus text-format metrics: request counts and latency histograms by verb, resource
// and code; watch counts.
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace kapi::server {

class Metrics {
 public:
  void observe(const std::string& verb, const std::string& resource, int code, double seconds);
  void watch_opened() { std::lock_guard<std::mutex> l(mu_); ++watches_; }
  void watch_closed() { std::lock_guard<std::mutex> l(mu_); --watches_; }
  std::string render() const;

 private:
  struct Hist {
    std::vector<uint64_t> buckets;
    double sum = 0;
    uint64_t count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> counts_;
  std::map<std::pair<std::string, std::string>, Hist> latency_;
  int64_t watches_ = 0;
};

}  // namespace kapi::server
