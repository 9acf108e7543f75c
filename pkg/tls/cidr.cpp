#include "pkg/tls/cidr.h"

#include <arpa/inet.h>

#include <cstring>

namespace kapi::tls {

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

std::string Cidr::to_string() const {
  return network.to_string() + "/" + std::to_string(prefix);
}

bool Cidr::contains(const IpAddress& ip) const {
  if (ip.v6 != network.v6) return false;
  int bits = prefix;
  for (size_t i = 0; i < ip.size() && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((ip.bytes[i] & mask) != (network.bytes[i] & mask)) return false;
  }
  return true;
}

Result<IpAddress> parse_ip(std::string_view text) {
  std::string s(text);
  IpAddress ip;
  if (!s.empty() && s.find('%') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1) return ip;
    if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1) {
      ip.v6 = true;
      return ip;
    }
  }
  return make_error("invalid IP address: " + s, ErrorCode::kInvalidArgument);
}

bool is_ip(std::string_view text) { return parse_ip(text).ok(); }

Result<Cidr> parse_cidr(std::string_view text) {
  auto bad = [&] {
    return make_error("invalid CIDR address: " + std::string(text), ErrorCode::kInvalidArgument);
  };
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return bad();
  auto ip = parse_ip(text.substr(0, slash));
  if (!ip.ok()) return bad();
  std::string_view p = text.substr(slash + 1);
  if (p.empty() || p.size() > 3 || (p.size() > 1 && p[0] == '0')) return bad();
  int prefix = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return bad();
    prefix = prefix * 10 + (c - '0');
  }
  if (prefix > static_cast<int>(ip->size() * 8)) return bad();
  Cidr cidr{*ip, prefix};
  int bits = prefix;
  for (size_t i = 0; i < cidr.network.size(); ++i, bits -= 8) {
    if (bits >= 8) continue;
    uint8_t mask = bits <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - bits));
    cidr.network.bytes[i] &= mask;
  }
  return cidr;
}

Result<std::vector<Cidr>> parse_cidr_list(std::string_view text) {
  std::vector<Cidr> out;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view part =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    auto c = parse_cidr(part);
    if (!c.ok()) return c.error();
    out.push_back(*c);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (out.size() > 2 || (out.size() == 2 && out[0].network.v6 == out[1].network.v6)) {
    return make_error("expected at most one CIDR per IP family (dual-stack): " + std::string(text),
                      ErrorCode::kInvalidArgument);
  }
  return out;
}

Result<IpAddress> indexed_ip(const Cidr& cidr, uint64_t index) {
  IpAddress ip = cidr.network;
  uint64_t carry = index;
  for (int i = static_cast<int>(ip.size()) - 1; i >= 0 && carry; --i) {
    uint64_t sum = ip.bytes[i] + (carry & 0xff);
    ip.bytes[i] = static_cast<uint8_t>(sum);
    carry = (carry >> 8) + (sum >> 8);
  }
  if (carry || !cidr.contains(ip)) {
    return make_error("can't generate IP with index " + std::to_string(index) +
                          " from subnet. subnet too small. subnet: \"" + cidr.to_string() + "\"",
                      ErrorCode::kInvalidArgument);
  }
  return ip;
}

Result<std::string> first_ip_of_cidr(std::string_view text) {
  auto cidr = parse_cidr(text);
  if (!cidr.ok()) return cidr.error();
  auto ip = indexed_ip(*cidr, 1);
  if (!ip.ok()) return ip.error();
  return ip->to_string();
}

}  // namespace kapi::tls
