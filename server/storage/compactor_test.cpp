// The compactor reaches its target in steps of at most 10,000 revisions, so that the embedded
// store's writer never holds writes back for one long compaction.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "server/storage/storage.h"

namespace kapi::storage {
namespace {

// A memory backend that records the revisions it is asked to compact to.
class RecordingBackend : public Backend {
 public:
  Result<KeyValue> create(const std::string& k, std::string v) override { return b_->create(k, std::move(v)); }
  Result<KeyValue> get(const std::string& k, int64_t r) override { return b_->get(k, r); }
  Result<KeyValue> update(const std::string& k, std::string v, int64_t m) override { return b_->update(k, std::move(v), m); }
  Result<KeyValue> remove(const std::string& k, int64_t m) override { return b_->remove(k, m); }
  Result<ListResult> list(const std::string& p, const std::string& s, int64_t l, int64_t r) override {
    return b_->list(p, s, l, r);
  }
  Result<std::vector<Event>> events_since(const std::string& p, int64_t r) override { return b_->events_since(p, r); }
  void set_event_sink(std::function<void(const std::vector<Event>&)> f) override { b_->set_event_sink(std::move(f)); }
  int64_t current_revision() override { return b_->current_revision(); }
  int64_t compacted_revision() override { return b_->compacted_revision(); }
  Result<int64_t> compact(int64_t r) override {
    std::lock_guard l(mu_);
    steps_.push_back(r);
    return b_->compact(r);
  }
  std::vector<int64_t> steps() {
    std::lock_guard l(mu_);
    return steps_;
  }

 private:
  std::unique_ptr<Backend> b_ = new_memory_backend();
  std::mutex mu_;
  std::vector<int64_t> steps_;
};

TEST(Compactor, CompactsALongHistoryInSteps) {
  RecordingBackend b;
  ASSERT_TRUE(b.create("/a", "0").ok());
  auto compactor = start_compactor(b, std::chrono::milliseconds(150));
  for (int i = 1; i <= 25000; ++i) ASSERT_TRUE(b.update("/a", std::to_string(i), 0).ok());
  const int64_t target = b.current_revision();  // current at the first tick: the second's target
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (b.compacted_revision() < target && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  compactor->stop();
  ASSERT_GE(b.compacted_revision(), target);
  auto steps = b.steps();
  ASSERT_GE(steps.size(), 3u);
  int64_t last = 1;
  for (int64_t s : steps) {
    EXPECT_GT(s, last);
    EXPECT_LE(s - last, 10000) << "a step of more than 10,000 revisions";
    last = s;
  }
  EXPECT_EQ(b.get("/a", 0)->value, "25000");
}

}  // namespace
}  // namespace kapi::storage
