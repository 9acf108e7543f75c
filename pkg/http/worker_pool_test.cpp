#include "pkg/http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

namespace kapi::http {
namespace {

using namespace std::chrono_literals;

// Jobs that block until released, like watches holding their connection's thread.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> running{0}, done{0};
  void job() {
    ++running;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return open; });
    ++done;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mu);
    open = true;
    cv.notify_all();
  }
};

bool wait_for(const std::function<bool()>& cond) {
  for (int i = 0; i < 500 && !cond(); ++i) std::this_thread::sleep_for(10ms);
  return cond();
}

TEST(WorkerPool, GrowsSoThatBlockedJobsNeverQueue) {
  WorkerPool pool(1000);
  Gate gate;
  for (int i = 0; i < 250; ++i) pool.enqueue([&] { gate.job(); });
  EXPECT_TRUE(wait_for([&] { return gate.running == 250; }));
  EXPECT_EQ(pool.threads(), 250u);
  gate.release();
  EXPECT_TRUE(wait_for([&] { return gate.done == 250; }));
  // Idle threads are kept and reused.
  std::atomic<int> more{0};
  for (int i = 0; i < 10; ++i) pool.enqueue([&] { ++more; });
  EXPECT_TRUE(wait_for([&] { return more == 10; }));
  EXPECT_EQ(pool.threads(), 250u);
}

TEST(WorkerPool, StopsGrowingAtTheMaximumAndQueues) {
  WorkerPool pool(3);
  Gate gate;
  for (int i = 0; i < 5; ++i) pool.enqueue([&] { gate.job(); });
  EXPECT_TRUE(wait_for([&] { return gate.running == 3; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(gate.running, 3);
  EXPECT_EQ(pool.threads(), 3u);
  gate.release();
  EXPECT_TRUE(wait_for([&] { return gate.done == 5; }));
}

TEST(WorkerPool, ShutdownRunsQueuedJobsAndJoins) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(1);
    pool.enqueue([&] {
      std::this_thread::sleep_for(50ms);
      ++ran;
    });
    pool.enqueue([&] { ++ran; });
    pool.shutdown();
    EXPECT_EQ(ran, 2);
    pool.enqueue([&] { ++ran; });  // after shutdown: runs right here
    EXPECT_EQ(ran, 3);
  }
}

}  // namespace
}  // namespace kapi::http
