// /metrics: upstream's metric names and labels for storage latency and watch counts
// (k8s.io/apiserver pkg/storage/etcd3/metrics, pkg/endpoints/metrics).
#include "server/metrics.h"

#include <gtest/gtest.h>

#include "server/storage_metrics.h"

namespace kapi::server {
namespace {

TEST(Metrics, StorageOperationsAreTimedByOperationAndType) {
  Metrics m;
  auto backend = instrument_backend(storage::new_memory_backend(), m);
  ASSERT_TRUE(backend->create("/registry/pods/default/p1", "{}").ok());
  ASSERT_TRUE(backend->create("/registry/deployments/default/d1", "{}").ok());
  ASSERT_TRUE(backend->get("/registry/pods/default/p1").ok());
  ASSERT_FALSE(backend->get("/registry/pods/default/nope").ok());
  ASSERT_TRUE(backend->list("/registry/services/specs/", "", 0).ok());
  std::string text = m.render();
  EXPECT_NE(text.find("# TYPE etcd_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("etcd_request_duration_seconds_count{operation=\"create\",type=\"pods\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("etcd_request_duration_seconds_count{operation=\"create\",type=\"deployments.apps\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("etcd_request_duration_seconds_bucket{operation=\"get\",type=\"pods\",le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("etcd_requests_total{operation=\"list\",type=\"services\"} 1\n"), std::string::npos);
  // A missing key is not a storage error.
  EXPECT_EQ(text.find("etcd_request_errors_total{"), std::string::npos);
}

TEST(Metrics, WatchCountsAndStoredObjects) {
  Metrics m;
  Metrics::WatchKey pods{"", "v1", "pods", "Pod", "namespace"};
  Metrics::WatchKey deploys{"apps", "v1", "deployments", "Deployment", "cluster"};
  m.watch_opened(pods);
  m.watch_opened(pods);
  m.watch_opened(deploys);
  m.watch_closed(deploys);
  m.set_object_counter([] { return std::vector<std::pair<std::string, int64_t>>{{"pods", 7}}; });
  std::string text = m.render();
  EXPECT_NE(text.find("apiserver_longrunning_requests{component=\"apiserver\",group=\"\",resource=\"pods\","
                      "scope=\"namespace\",subresource=\"\",verb=\"WATCH\",version=\"v1\"} 2\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("apiserver_registered_watchers{group=\"\",kind=\"Pod\",version=\"v1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("apiserver_registered_watchers{group=\"apps\",kind=\"Deployment\",version=\"v1\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("apiserver_storage_objects{resource=\"pods\"} 7\n"), std::string::npos);
}

}  // namespace
}  // namespace kapi::server
