#include "server/storage_metrics.h"

#include <chrono>

#include "server/registry/resource.h"

namespace kapi::server {
namespace {

// The group-resource a key belongs to: the longest matching storage prefix.
std::string type_of(const std::string& key) {
  const ResourceInfo* best = nullptr;
  for (const auto& r : all_resources())
    if (r.stored() && key.compare(0, r.storage_prefix.size(), r.storage_prefix) == 0 &&
        (!best || r.storage_prefix.size() > best->storage_prefix.size()))
      best = &r;
  if (!best) return "unknown";
  return best->group.empty() ? best->resource : best->resource + "." + best->group;
}

class InstrumentedBackend : public storage::Backend {
 public:
  InstrumentedBackend(std::unique_ptr<storage::Backend> inner, Metrics& m) : inner_(std::move(inner)), m_(m) {}

 private:
  // Defined before its users: its return type is deduced.
  template <typename F>
  auto timed(const char* op, const std::string& key, F&& f) {
    auto start = std::chrono::steady_clock::now();
    auto r = f();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Expected outcomes (absent key, lost race) are not storage errors.
    bool failed = !r.ok() && r.error().code != storage::Code::kNotFound && r.error().code != storage::Code::kConflict &&
                  r.error().code != storage::Code::kAlreadyExists;
    m_.observe_storage(op, type_of(key), secs, failed);
    return r;
  }

 public:
  storage::Result<storage::KeyValue> create(const std::string& key, std::string value) override {
    return timed("create", key, [&] { return inner_->create(key, std::move(value)); });
  }
  storage::Result<storage::KeyValue> get(const std::string& key, int64_t revision) override {
    return timed("get", key, [&] { return inner_->get(key, revision); });
  }
  storage::Result<storage::KeyValue> update(const std::string& key, std::string value, int64_t expected) override {
    return timed("update", key, [&] { return inner_->update(key, std::move(value), expected); });
  }
  storage::Result<storage::KeyValue> remove(const std::string& key, int64_t expected) override {
    return timed("delete", key, [&] { return inner_->remove(key, expected); });
  }
  storage::Result<storage::ListResult> list(const std::string& prefix, const std::string& start_key, int64_t limit,
                                            int64_t revision) override {
    return timed("list", prefix, [&] { return inner_->list(prefix, start_key, limit, revision); });
  }
  storage::Result<std::vector<storage::Event>> events_since(const std::string& prefix, int64_t after) override {
    return inner_->events_since(prefix, after);
  }
  void set_event_sink(std::function<void(const std::vector<storage::Event>&)> sink) override {
    inner_->set_event_sink(std::move(sink));
  }
  int64_t current_revision() override { return inner_->current_revision(); }
  int64_t compacted_revision() override { return inner_->compacted_revision(); }
  storage::Result<int64_t> compact(int64_t revision) override { return inner_->compact(revision); }

 private:
  std::unique_ptr<storage::Backend> inner_;
  Metrics& m_;
};

}  // namespace

std::unique_ptr<storage::Backend> instrument_backend(std::unique_ptr<storage::Backend> inner, Metrics& metrics) {
  return std::make_unique<InstrumentedBackend>(std::move(inner), metrics);
}

}  // namespace kapi::server
