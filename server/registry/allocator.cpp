#include "server/registry/allocator.h"

#include <arpa/inet.h>
#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"

#include <random>

namespace kapi::server {

using Json = nlohmann::ordered_json;
using runtime::Status;

void Allocator::configure(const std::string& cidr, const std::string& port_range) {
  std::lock_guard<std::mutex> lock(mu_);
  auto slash = cidr.find('/');
  uint32_t ip = 0;
  int bits = 24;
  if (slash != std::string::npos && parse_ip(cidr.substr(0, slash), ip)) bits = std::atoi(cidr.substr(slash + 1).c_str());
  if (bits < 8) bits = 8;
  if (bits > 30) bits = 30;
  uint32_t mask = bits == 0 ? 0 : ~((1u << (32 - bits)) - 1);
  base_ = ip & mask;
  size_ = 1u << (32 - bits);
  auto dash = port_range.find('-');
  if (dash != std::string::npos) {
    port_lo_ = std::atoi(port_range.substr(0, dash).c_str());
    port_hi_ = std::atoi(port_range.substr(dash + 1).c_str());
  }
  std::random_device rd;
  next_ip_ = 2 + rd() % (size_ > 4 ? size_ - 3 : 1);
  next_port_ = port_lo_ + static_cast<int>(rd() % (port_hi_ - port_lo_ + 1));
}

bool Allocator::parse_ip(const std::string& ip, uint32_t& out) const {
  in_addr a{};
  if (inet_pton(AF_INET, ip.c_str(), &a) != 1) return false;
  out = ntohl(a.s_addr);
  return true;
}

std::string Allocator::format_ip(uint32_t ip) const {
  in_addr a{};
  a.s_addr = htonl(ip);
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

std::string Allocator::first_ip() const { return format_ip(base_ + 1); }

void Allocator::rebuild(storage::WatchCache& cache) {
  storage::ListOptions lo;
  lo.prefix = "/registry/services/specs/";
  auto r = cache.list(lo);
  if (!r.ok()) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& o : r->items) {
    Json svc = Json::parse(o->value);
    uint32_t ip;
    if (parse_ip(svc["spec"].value("clusterIP", ""), ip)) ips_.insert(ip);
    for (const auto& p : arr_at(svc["spec"], "ports"))
      if (p.value("nodePort", 0) > 0) ports_.insert(p.value("nodePort", 0));
  }
}

Status Allocator::allocate_service(Json& svc, const Json* old, storage::WatchCache& cache) {
  std::lock_guard<std::mutex> lock(mu_);
  Json& spec = svc["spec"];
  std::string type = spec.value("type", "ClusterIP");
  std::string name = svc["metadata"].value("name", "");
  if (old) {
    // clusterIP is immutable once set; keep it when the update omits it.
    std::string old_ip = (*old)["spec"].value("clusterIP", "");
    std::string new_ip = spec.value("clusterIP", "");
    if (new_ip.empty() && !old_ip.empty()) {
      spec["clusterIP"] = old_ip;
      spec["clusterIPs"] = (*old)["spec"].value("clusterIPs", Json::array({old_ip}));
    } else if (new_ip != old_ip && type != "ExternalName") {
      return Status::invalid("", "Service", name,
                             {runtime::field_invalid("spec.clusterIPs[0]", "[]string{\"" + new_ip + "\"}",
                                                     "may not change once set")});
    }
  } else if (type != "ExternalName") {
    std::string want = spec.value("clusterIP", "");
    if (want == "None") {
      spec["clusterIPs"] = Json::array({"None"});
    } else if (!want.empty()) {
      uint32_t ip;
      if (!parse_ip(want, ip) || ip <= base_ || ip >= base_ + size_ - 1)
        return Status::invalid("", "Service", name,
                               {runtime::field_invalid("spec.clusterIPs", "[]string{\"" + want + "\"}",
                                                       "failed to allocate IP " + want + ": the provided IP (" + want + ") is not in the valid range. The range of valid IPs is " + format_ip(base_) + "/" + std::to_string(32 - __builtin_ctz(size_)))});
      if (ips_.count(ip))
        return Status::invalid("", "Service", name,
                               {runtime::field_invalid("spec.clusterIPs", "[]string{\"" + want + "\"}",
                                                       "failed to allocate IP " + want + ": provided IP is already allocated")});
      ips_.insert(ip);
      spec["clusterIPs"] = Json::array({want});
    } else {
      uint32_t usable = size_ - 2;
      bool found = false;
      for (uint32_t i = 0; i < usable; ++i) {
        uint32_t off = 1 + (next_ip_ + i) % usable;
        if (!ips_.count(base_ + off)) {
          ips_.insert(base_ + off);
          next_ip_ = off + 1;
          spec["clusterIP"] = format_ip(base_ + off);
          spec["clusterIPs"] = Json::array({format_ip(base_ + off)});
          found = true;
          break;
        }
      }
      if (!found)
        return Status::internal("failed to allocate a serviceIP: range is full");
    }
    if (!spec.contains("ipFamilies") && want != "None") spec["ipFamilies"] = Json::array({"IPv4"});
    if (!spec.contains("ipFamilyPolicy")) spec["ipFamilyPolicy"] = "SingleStack";
  }
  if (type == "NodePort" || type == "LoadBalancer") {
    if (spec.contains("ports")) {
      for (auto& p : spec["ports"]) {
        int np = p.value("nodePort", 0);
        int old_np = 0;
        if (old) {
          for (const auto& op : arr_at((*old)["spec"], "ports"))
            if (op.value("port", 0) == p.value("port", 0)) old_np = op.value("nodePort", 0);
        }
        if (np == 0 && old_np) { p["nodePort"] = old_np; continue; }
        if (np != 0) {
          if (np == old_np) continue;
          if (ports_.count(np))
            return Status::invalid("", "Service", name,
                                   {runtime::field_invalid("spec.ports[0].nodePort", std::to_string(np), "provided port is already allocated")});
          ports_.insert(np);
          continue;
        }
        int span = port_hi_ - port_lo_ + 1;
        for (int i = 0; i < span; ++i) {
          int cand = port_lo_ + (next_port_ - port_lo_ + i) % span;
          if (!ports_.count(cand)) {
            ports_.insert(cand);
            p["nodePort"] = cand;
            next_port_ = cand + 1;
            break;
          }
        }
      }
    }
  }
  return Status::success();
}

void Allocator::release_service(const Json& svc) {
  std::lock_guard<std::mutex> lock(mu_);
  uint32_t ip;
  if (parse_ip(svc["spec"].value("clusterIP", ""), ip)) ips_.erase(ip);
  for (const auto& p : arr_at(svc["spec"], "ports"))
    if (p.value("nodePort", 0) > 0) ports_.erase(p.value("nodePort", 0));
}

}  // namespace kapi::server
