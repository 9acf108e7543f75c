// Storage figures: durable writes/s of 1.5 KB values with 1, 16 and 64 concurrent writers (and
// how many writes share one fsync thanks to group commit), next to the raw fsync rate of the
// same disk; and p50 of listing 10k / 100k objects from the watch cache.
//
//   storage_bench [--seconds S] [--dir DIR]     (DIR: where the temp stores go; default $TMPDIR or /tmp)
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "server/storage/storage.h"

using namespace kapi::storage;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string make_temp(const std::string& base) {
  std::string tmpl = base + "/kapi-bench-XXXXXX";
  if (!mkdtemp(tmpl.data())) {
    perror("mkdtemp");
    exit(1);
  }
  return tmpl;
}

// write(4 KB) + fsync in a loop, one thread: what one durable commit costs on this disk.
double raw_fsync_rate(const std::string& dir, double secs) {
  std::string path = dir + "/fsync.bin";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    perror("open");
    exit(1);
  }
  std::string block(4096, 'f');
  int64_t n = 0;
  auto t0 = Clock::now();
  while (seconds_since(t0) < secs) {
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) || ::fsync(fd) != 0) {
      perror("write/fsync");
      exit(1);
    }
    ++n;
  }
  double rate = n / seconds_since(t0);
  ::close(fd);
  ::unlink(path.c_str());
  return rate;
}

struct WriteFigures {
  double writes_per_s = 0;
  double writes_per_txn = 0;
  double p50_ms = 0, p99_ms = 0;
};

WriteFigures durable_writes(const std::string& base, int writers, double secs) {
  std::string dir = make_temp(base);
  auto opened = open_sqlite(dir);
  if (!opened.ok()) {
    fprintf(stderr, "open_sqlite: %s\n", opened.error().message.c_str());
    exit(1);
  }
  auto& b = *opened.value();
  std::string value(1536, 'v');
  auto before = sqlite_stats(b).value();
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> lat(writers);
  std::vector<std::thread> ts;
  auto t0 = Clock::now();
  for (int t = 0; t < writers; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        auto s = Clock::now();
        auto r = b.create("/bench/" + std::to_string(t) + "/" + std::to_string(i), value);
        if (!r.ok()) {
          fprintf(stderr, "write failed: %s\n", r.error().message.c_str());
          exit(1);
        }
        lat[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(secs));
  stop = true;
  for (auto& t : ts) t.join();
  double elapsed = seconds_since(t0);
  auto after = sqlite_stats(b).value();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  WriteFigures f;
  int64_t writes = after.writes - before.writes, txns = after.transactions - before.transactions;
  f.writes_per_s = writes / elapsed;
  f.writes_per_txn = txns ? static_cast<double>(writes) / txns : 0;
  if (!all.empty()) {
    f.p50_ms = all[all.size() / 2];
    f.p99_ms = all[all.size() * 99 / 100];
  }
  opened.value().reset();
  std::filesystem::remove_all(dir);
  return f;
}

double list_p50_ms(int objects, int reps) {
  auto backend = new_memory_backend();
  std::string value(1536, 'v');
  char key[64];
  for (int i = 0; i < objects; ++i) {
    snprintf(key, sizeof key, "/registry/pods/ns-%02d/pod-%06d", i % 50, i);
    if (!backend->create(key, value).ok()) exit(1);
  }
  auto cache = new_watch_cache(std::move(backend), 1000);
  ListOptions lo;
  lo.prefix = "/registry/pods/";
  std::vector<double> ms;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    auto l = cache->list(lo);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!l.ok() || static_cast<int>(l->items.size()) != objects) exit(1);
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  double secs = 2;
  const char* tmp = getenv("TMPDIR");
  std::string base = tmp && *tmp ? tmp : "/tmp";
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--seconds") && i + 1 < argc) secs = atof(argv[++i]);
    else if (!strcmp(argv[i], "--dir") && i + 1 < argc) base = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--seconds S] [--dir DIR]\n", argv[0]);
      return 2;
    }
  }
  std::string scratch = make_temp(base);
  printf("raw fsync rate (write 4 KB + fsync, 1 thread): %.0f /s\n", raw_fsync_rate(scratch, secs));
  std::filesystem::remove_all(scratch);
  printf("\ndurable sqlite writes, 1.5 KB values (%s):\n", base.c_str());
  printf("%8s %12s %14s %10s %10s\n", "writers", "writes/s", "writes/fsync", "p50 ms", "p99 ms");
  for (int writers : {1, 16, 64}) {
    auto f = durable_writes(base, writers, secs);
    printf("%8d %12.0f %14.1f %10.2f %10.2f\n", writers, f.writes_per_s, f.writes_per_txn, f.p50_ms, f.p99_ms);
    fflush(stdout);
  }
  printf("\nwatch cache list (all objects of a prefix, 1.5 KB each):\n");
  printf("  10k objects:  p50 %.2f ms\n", list_p50_ms(10000, 51));
  printf("  100k objects: p50 %.2f ms\n", list_p50_ms(100000, 21));
  return 0;
}
