#pragma once
// Service cluster IPs (from --service-cluster-ip-range) and node ports (30000-32767), without
// duplicates. The in-use sets are rebuilt from the stored services at start.
#include <nlohmann/json_fwd.hpp>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

#include "pkg/runtime/status.h"
#include "server/storage/storage.h"

namespace kapi::server {

class Allocator {
 public:
  explicit Allocator(const std::string& cidr) { configure(cidr, "30000-32767"); }
  void configure(const std::string& cidr, const std::string& port_range);
  void rebuild(storage::WatchCache& cache);
  // Fills spec.clusterIP(s) and node ports of a Service; old is the stored version on update.
  runtime::Status allocate_service(nlohmann::ordered_json& svc, const nlohmann::ordered_json* old,
                                   storage::WatchCache& cache);
  void release_service(const nlohmann::ordered_json& svc);
  // The first usable IP of the range (the `kubernetes` service's address).
  std::string first_ip() const;

 private:
  bool parse_ip(const std::string& ip, uint32_t& out) const;
  std::string format_ip(uint32_t ip) const;
  std::mutex mu_;
  uint32_t base_ = 0, size_ = 0;
  std::set<uint32_t> ips_;
  int port_lo_ = 30000, port_hi_ = 32767;
  std::set<int> ports_;
  uint32_t next_ip_ = 0;
  int next_port_ = 0;
};

}  // namespace kapi::server
