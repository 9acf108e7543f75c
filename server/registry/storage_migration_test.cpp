#include "server/registry/storage_migration.h"

#include <gtest/gtest.h>

namespace kapi::server {
namespace {

TEST(StorageMigration, EventsV1MoveToTheSharedStorageInTheCoreShape) {
  auto backend = storage::new_memory_backend();
  ASSERT_TRUE(backend->create("/registry/events.k8s.io/events/ns/e1",
                              R"({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e1","namespace":"ns"},)"
                              R"("eventTime":"2024-01-01T00:00:00.000000Z","reportingController":"ctl","reason":"R",)"
                              R"("regarding":{"kind":"Pod","name":"p"},"note":"hi","type":"Normal"})").ok());
  ASSERT_TRUE(backend->create("/registry/events.k8s.io/events/ns/taken", R"({"kind":"Event","metadata":{"name":"taken"}})").ok());
  ASSERT_TRUE(backend->create("/registry/events/ns/taken", R"({"kind":"Event","apiVersion":"v1"})").ok());
  EXPECT_EQ(migrate_events_v1_storage(*backend), 1);
  auto moved = backend->get("/registry/events/ns/e1");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->value,
            R"({"kind":"Event","apiVersion":"v1","metadata":{"name":"e1","namespace":"ns","creationTimestamp":null},)"
            R"("involvedObject":{"kind":"Pod","name":"p"},"reason":"R","message":"hi","source":{},"firstTimestamp":null,)"
            R"("lastTimestamp":null,"type":"Normal","eventTime":"2024-01-01T00:00:00.000000Z",)"
            R"("reportingComponent":"ctl","reportingInstance":""})");
  EXPECT_EQ(backend->get("/registry/events/ns/taken")->value, R"({"kind":"Event","apiVersion":"v1"})");
  auto old = backend->list("/registry/events.k8s.io/", "", 0);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(old->items.empty());
  EXPECT_EQ(migrate_events_v1_storage(*backend), 0);
}

}  // namespace
}  // namespace kapi::server
