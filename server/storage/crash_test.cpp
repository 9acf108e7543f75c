// kill -9 in the middle of heavy concurrent writing: every write that was acknowledged must be
// there after reopening, with its value and revision, and revisions never go backwards.
// Rounds: 5, or $KAPI_CRASH_ROUNDS.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "server/storage/storage.h"
#include "server/storage/test_util.h"

namespace kapi::storage {
namespace {

using testing::must_open_sqlite;
using testing::TempDir;

constexpr int kWriters = 32;

std::string value_for(const std::string& key) { return "{\"key\":\"" + key + "\",\"pad\":\"" + std::string(300, 'p') + "\"}"; }

void write_line(int fd, const std::string& line) {
  // One write() under PIPE_BUF is atomic: lines from different threads never interleave.
  ssize_t n = ::write(fd, line.data(), line.size());
  (void)n;
}

// The child: writes until killed, acknowledging each completed write on fd.
[[noreturn]] void child_main(const std::string& dir, int round, int fd) {
  auto r = open_sqlite(dir);
  if (!r.ok()) {
    write_line(fd, "E " + r.error().message + "\n");
    _exit(1);
  }
  std::unique_ptr<Backend> b = std::move(r.value());
  write_line(fd, "R\n");
  std::vector<std::thread> ts;
  for (int t = 0; t < kWriters; ++t) {
    ts.emplace_back([&, t] {
      std::string counter = "/crash/counter/" + std::to_string(t);
      for (int i = 0;; ++i) {
        std::string key = "/crash/r" + std::to_string(round) + "/t" + std::to_string(t) + "/" + std::to_string(i);
        auto c = b->create(key, value_for(key));
        if (c.ok()) write_line(fd, "K " + key + " " + std::to_string(c->mod_revision) + "\n");
        else write_line(fd, "E " + c.error().message + "\n");
        if (i % 4 == 0) {
          auto u = b->update(counter, std::to_string(round * 1000000 + i), 0);
          if (!u.ok() && u.error().code == Code::kNotFound) u = b->create(counter, std::to_string(round * 1000000 + i));
          if (u.ok()) write_line(fd, "C " + std::to_string(t) + " " + std::to_string(round * 1000000 + i) + " " + std::to_string(u->mod_revision) + "\n");
        }
      }
    });
  }
  for (;;) pause();
}

TEST(Crash, AcknowledgedWritesSurviveKill9) {
  int rounds = 5;
  if (const char* e = getenv("KAPI_CRASH_ROUNDS")) rounds = std::max(1, atoi(e));
  TempDir dir;
  std::mt19937 rng(std::random_device{}());
  int64_t prev_rev = 1;
  std::map<int, int64_t> counter_acked;  // thread -> highest acknowledged counter value
  size_t total_acked = 0;
  for (int round = 0; round < rounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      child_main(dir.path(), round, fds[1]);
    }
    close(fds[1]);
    std::string data;
    char buf[65536];
    auto read_some = [&](int timeout_ms) {
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return true;
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) return false;
      data.append(buf, n);
      return true;
    };
    // Wait for the child to be open, then let it write for a random while (reading acks so
    // the pipe never fills), then kill it.
    auto ready_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (data.find('\n') == std::string::npos && std::chrono::steady_clock::now() < ready_deadline)
      if (!read_some(100)) break;
    ASSERT_EQ(data.rfind("R\n", 0), 0u) << "child did not start: " << data;
    auto kill_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(20 + rng() % 300);
    while (std::chrono::steady_clock::now() < kill_at) read_some(5);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    while (read_some(1000)) {
    }
    close(fds[0]);

    auto b = must_open_sqlite(dir.path());
    int64_t rev = b->current_revision();
    EXPECT_GE(rev, prev_rev) << "revision went backwards in round " << round;
    std::istringstream in(data);
    std::string line;
    size_t acked = 0;
    int64_t max_acked = 0;
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      std::string kind;
      ls >> kind;
      if (kind == "K") {
        std::string key;
        int64_t ack_rev = 0;
        ls >> key >> ack_rev;
        if (!ls) continue;  // a line cut by the kill was never fully acknowledged
        ++acked;
        max_acked = std::max(max_acked, ack_rev);
        EXPECT_GT(ack_rev, prev_rev) << key << ": revision reused after a restart";
        auto g = b->get(key);
        ASSERT_TRUE(g.ok()) << "acknowledged " << key << " @" << ack_rev << " lost in round " << round;
        EXPECT_EQ(g->value, value_for(key));
        EXPECT_EQ(g->mod_revision, ack_rev);
      } else if (kind == "C") {
        int t = 0;
        int64_t value = 0, ack_rev = 0;
        ls >> t >> value >> ack_rev;
        if (!ls) continue;
        counter_acked[t] = std::max(counter_acked[t], value);
        max_acked = std::max(max_acked, ack_rev);
      } else if (kind == "E") {
        ADD_FAILURE() << "child write failed: " << line;
      }
    }
    for (auto& [t, v] : counter_acked) {
      auto g = b->get("/crash/counter/" + std::to_string(t));
      ASSERT_TRUE(g.ok());
      EXPECT_GE(std::stoll(g->value), v) << "counter " << t << " lost an acknowledged update";
    }
    EXPECT_GE(rev, max_acked);
    // Every revision is one event in history: nothing half-applied.
    auto evs = b->events_since("", 1);
    ASSERT_TRUE(evs.ok());
    EXPECT_EQ(static_cast<int64_t>(evs->size()), rev - 1);
    total_acked += acked;
    prev_rev = rev;
  }
  EXPECT_GT(total_acked, 0u);
  std::cout << "[ info ] " << rounds << " kill -9 rounds, " << total_acked << " acknowledged creates, all present\n";
}

}  // namespace
}  // namespace kapi::storage
