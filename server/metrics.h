#pragma once
// Prometheus text-format metrics under upstream's names: request counts and latency histograms
// by verb/resource/code, storage operation latency (etcd_request_duration_seconds, as the etcd3
// store records it), stored object counts, and watch counts.
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace kapi::server {

class Metrics {
 public:
  void observe(const std::string& verb, const std::string& resource, int code, double seconds);
  // A storage operation ("create", "get", "list", "update", "delete") on objects of `type`
  // (the group-resource, e.g. "pods" or "deployments.apps").
  void observe_storage(const std::string& operation, const std::string& type, double seconds, bool failed);
  // A watch on group/version/resource (of kind), scope "cluster", "namespace" or "resource".
  struct WatchKey {
    std::string group, version, resource, kind, scope;
    bool operator<(const WatchKey& o) const {
      return std::tie(group, version, resource, kind, scope) < std::tie(o.group, o.version, o.resource, o.kind, o.scope);
    }
  };
  void watch_opened(const WatchKey& k);
  void watch_closed(const WatchKey& k);
  // Called at render time for apiserver_storage_objects: (group-resource, count) pairs.
  void set_object_counter(std::function<std::vector<std::pair<std::string, int64_t>>()> f);
  std::string render() const;

 private:
  struct Hist {
    std::vector<uint64_t> buckets;
    double sum = 0;
    uint64_t count = 0;
    void add(double seconds);
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> counts_;
  std::map<std::pair<std::string, std::string>, Hist> latency_;
  std::map<std::pair<std::string, std::string>, Hist> storage_latency_;  // (operation, type)
  std::map<std::pair<std::string, std::string>, uint64_t> storage_errors_;
  std::map<WatchKey, int64_t> watches_;
  std::function<std::vector<std::pair<std::string, int64_t>>()> object_counter_;
};

}  // namespace kapi::server
