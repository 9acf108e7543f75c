#pragma once
// IP address and CIDR parsing (v4 and v6), e.g. for --service-cluster-ip-range.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/tls/result.h"

namespace kapi::tls {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // v4 uses the first 4
  size_t size() const { return v6 ? 16 : 4; }
  std::string to_string() const;  // canonical (RFC 5952 for v6)
  bool operator==(const IpAddress&) const = default;
};

struct Cidr {
  IpAddress network;  // host bits cleared
  int prefix = 0;
  std::string to_string() const;  // "10.96.0.0/12"
  bool contains(const IpAddress& ip) const;
};

// "10.0.0.1", "fd00::1". Error: "invalid IP address: <text>".
Result<IpAddress> parse_ip(std::string_view text);
bool is_ip(std::string_view text);

// "10.96.0.0/12" (host bits are allowed and masked off, as Go's net.ParseCIDR).
// Error: "invalid CIDR address: <text>".
Result<Cidr> parse_cidr(std::string_view text);

// A comma-separated dual-stack list ("10.96.0.0/12,fd00::/108"): one or two CIDRs, at most one
// per IP family.
Result<std::vector<Cidr>> parse_cidr_list(std::string_view text);

// The index-th address of the range (network address + index); error if outside the range.
Result<IpAddress> indexed_ip(const Cidr& cidr, uint64_t index);

// The first usable address, i.e. the kubernetes service ClusterIP: "10.96.0.0/12" -> "10.96.0.1".
Result<std::string> first_ip_of_cidr(std::string_view cidr);

}  // namespace kapi::tls
