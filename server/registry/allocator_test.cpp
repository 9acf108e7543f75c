// Service IP and node port allocation: unique, in range, immutable, released on delete.
#include "server/registry/allocator.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace kapi::server {
namespace {

using Json = nlohmann::ordered_json;

Json service(const std::string& name, const std::string& type = "ClusterIP") {
  return {{"metadata", {{"name", name}}}, {"spec", {{"type", type}, {"ports", Json::array({{{"port", 80}}})}}}};
}

TEST(Allocator, UniqueClusterIpsInsideTheRange) {
  auto cache = storage::new_watch_cache(storage::new_memory_backend(), 100);
  Allocator a("10.96.0.0/28");  // 14 usable addresses, .1 is the kubernetes service's
  EXPECT_EQ(a.first_ip(), "10.96.0.1");
  std::set<std::string> seen;
  for (int i = 0; i < 14; ++i) {
    Json s = service("s" + std::to_string(i));
    ASSERT_TRUE(a.allocate_service(s, nullptr, *cache).ok()) << i;
    std::string ip = s["spec"]["clusterIP"];
    EXPECT_EQ(ip.rfind("10.96.0.", 0), 0u) << ip;
    EXPECT_TRUE(seen.insert(ip).second) << "duplicate " << ip;
    EXPECT_EQ(s["spec"]["clusterIPs"][0], ip);
  }
  Json full = service("full");
  EXPECT_EQ(a.allocate_service(full, nullptr, *cache).code, 500);  // range full: InternalError as upstream
  Json again = service("s0");
  again["spec"]["clusterIP"] = *seen.begin();
  EXPECT_EQ(a.allocate_service(again, nullptr, *cache).code, 422);  // an allocated IP cannot be taken again
}

TEST(Allocator, ExplicitIpConflictsAndImmutability) {
  auto cache = storage::new_watch_cache(storage::new_memory_backend(), 100);
  Allocator a("10.0.0.0/24");
  Json s1 = service("a");
  s1["spec"]["clusterIP"] = "10.0.0.10";
  ASSERT_TRUE(a.allocate_service(s1, nullptr, *cache).ok());
  Json s2 = service("b");
  s2["spec"]["clusterIP"] = "10.0.0.10";
  auto st = a.allocate_service(s2, nullptr, *cache);
  EXPECT_EQ(st.code, 422);
  EXPECT_NE(st.message.find("provided IP is already allocated"), std::string::npos) << st.message;
  Json upd = service("a");
  upd["spec"]["clusterIP"] = "10.0.0.11";
  EXPECT_EQ(a.allocate_service(upd, &s1, *cache).code, 422);  // may not change once set
  a.release_service(s1);
  EXPECT_TRUE(a.allocate_service(s2, nullptr, *cache).ok());
}

TEST(Allocator, NodePortsAreUniqueAndKeptOnUpdate) {
  auto cache = storage::new_watch_cache(storage::new_memory_backend(), 100);
  Allocator a("10.0.0.0/24");
  Json s1 = service("n1", "NodePort"), s2 = service("n2", "NodePort");
  ASSERT_TRUE(a.allocate_service(s1, nullptr, *cache).ok());
  ASSERT_TRUE(a.allocate_service(s2, nullptr, *cache).ok());
  int p1 = s1["spec"]["ports"][0]["nodePort"], p2 = s2["spec"]["ports"][0]["nodePort"];
  EXPECT_GE(p1, 30000);
  EXPECT_LE(p1, 32767);
  EXPECT_NE(p1, p2);
  Json upd = service("n1", "NodePort");  // an update that omits nodePort keeps it
  ASSERT_TRUE(a.allocate_service(upd, &s1, *cache).ok());
  EXPECT_EQ(upd["spec"]["ports"][0]["nodePort"], p1);
}

}  // namespace
}  // namespace kapi::server
