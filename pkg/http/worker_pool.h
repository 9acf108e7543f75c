#pragma once
// The threads that serve connections: one per connection for its whole life (a watch holds its
// thread for hours), so the pool grows on demand up to a maximum and keeps its idle threads.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kapi::http {

class WorkerPool {
 public:
  explicit WorkerPool(size_t max_threads) : max_(max_threads) {}
  ~WorkerPool() { shutdown(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs fn on an idle thread, on a new one while fewer than max exist, else when one is free
  // (after shutdown(): on the calling thread).
  void enqueue(std::function<void()> fn);
  // Runs the jobs still queued, then joins every thread. Thread-safe; later calls do nothing.
  void shutdown();

  size_t threads() const;

 private:
  void work();

  const size_t max_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace kapi::http
