// Periodic compaction, as kube-apiserver's --etcd-compaction-interval: at each tick, compact to
// the revision that was current at the previous tick, so the last interval of history (what a
// watch resuming after a short disconnect needs) is always kept.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/storage/storage.h"

namespace kapi::storage {
namespace {

class PeriodicCompactor : public Compactor {
 public:
  PeriodicCompactor(Backend& backend, std::chrono::milliseconds interval)
      : backend_(backend), interval_(interval), thread_([this] { run(); }) {}
  ~PeriodicCompactor() override { stop(); }

  void stop() override {
    {
      std::lock_guard lk(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

  int64_t compactions() const override { return compactions_.load(); }

 private:
  void run() {
    int64_t previous = backend_.current_revision();
    std::unique_lock lk(mu_);
    while (!cv_.wait_for(lk, interval_, [&] { return stopping_; })) {
      lk.unlock();
      int64_t now = backend_.current_revision();
      if (previous > backend_.compacted_revision()) {
        // In steps, as etcd compacts in batches: the embedded store's writer does a step at a
        // time between write batches, so a long history costs no single long pause.
        // kExpired only if someone else compacted further meanwhile: nothing to do then.
        bool ok = true;
        for (int64_t step = backend_.compacted_revision(); ok && step < previous && !stopping();) {
          step = std::min(previous, step + kStepRevisions);
          ok = backend_.compact(step).ok();
        }
        if (ok) compactions_.fetch_add(1);
      }
      previous = now;
      lk.lock();
    }
  }

  static constexpr int64_t kStepRevisions = 10000;

  bool stopping() {
    std::lock_guard l(mu_);
    return stopping_;
  }

  Backend& backend_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<int64_t> compactions_{0};
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace

std::unique_ptr<Compactor> start_compactor(Backend& backend, std::chrono::milliseconds interval) {
  return std::make_unique<PeriodicCompactor>(backend, interval);
}

}  // namespace kapi::storage
