// Storage figures: durable writes/s of 1.5 KB values with 1, 16 and 64 concurrent writers (and
// how many writes share one fsync thanks to group commit), next to the raw fsync rate of the
// same disk; p50 of listing 10k / 100k objects from the watch cache; RSS per object and start-up
// time with 100k objects; the compaction pause at 100k objects; watch fan-out latency to 1,000 watchers (paced writes, and a burst).
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

#ifdef KAPI_BENCH_MALLOC_CONF
// The allocator settings `kapi serve` runs with (cmd/kapi/server_allocator.cpp).
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "narenas:2,dirty_decay_ms:500,muzzy_decay_ms:0";
}
#endif

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

long rss_kb() {
  FILE* f = fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// RSS per stored object, measured in fresh processes (this binary re-run with --fill / --load):
// the filling writes n 1.5 KB objects with 64 writers; the loading process opens the store with
// a watch cache and reports its RSS (cache state and event ring, SQLite's page cache and the
// allocator's overhead all included) before and after.
void fill_store(const std::string& dir, int n) {
  auto opened = open_sqlite(dir);
  if (!opened.ok()) exit(1);
  auto& b = *opened.value();
  std::string value(1536, 'v');
  std::vector<std::thread> ts;
  std::atomic<int> next{0};
  for (int t = 0; t < 64; ++t)
    ts.emplace_back([&] {
      char key[64];
      for (int i; (i = next++) < n;) {
        snprintf(key, sizeof key, "/registry/pods/ns-%02d/pod-%06d", i % 50, i);
        if (!b.create(key, value).ok()) exit(1);
      }
    });
  for (auto& t : ts) t.join();
}

void load_store(const std::string& dir, int n) {
  long before = rss_kb();
  auto t0 = Clock::now();
  auto opened = open_sqlite(dir);
  if (!opened.ok()) exit(1);
  double open_ms = seconds_since(t0) * 1000;
  t0 = Clock::now();
  auto cache = new_watch_cache(std::move(opened.value()));
  double load_ms = seconds_since(t0) * 1000;
  long after = rss_kb();
  printf("  %dk objects: RSS %.1f MB (%.1f MB before opening), %.2f KB per object\n", n / 1000,
         after / 1024.0, before / 1024.0, static_cast<double>(after - before) / n);
  printf("  start-up: open_sqlite %.0f ms (key index replay included), watch cache load %.0f ms\n",
         open_ms, load_ms);
}

void rss_per_object(const std::string& base, int n) {
  std::string dir = make_temp(base);
  std::string self = std::filesystem::read_symlink("/proc/self/exe");
  std::string args = " " + dir + " " + std::to_string(n);
  fflush(stdout);
  if (system((self + " --fill" + args).c_str()) != 0 || system((self + " --load" + args).c_str()) != 0)
    printf("  (the fill or load process failed)\n");
  std::filesystem::remove_all(dir);
}

// The writer's pause for compaction (compaction runs on the writer thread): n objects created
// then each updated once, compacted to the current revision (2n rows read, n dropped); then
// n/10 more updates and a second compaction (only the rows since the first are read).
void compaction_pause(const std::string& base, int n) {
  std::string dir = make_temp(base);
  auto opened = open_sqlite(dir);
  if (!opened.ok()) exit(1);
  auto& b = *opened.value();
  std::string value(1536, 'v');
  auto write_all = [&](int count, bool update) {
    std::vector<std::thread> ts;
    std::atomic<int> next{0};
    for (int t = 0; t < 64; ++t)
      ts.emplace_back([&] {
        char key[64];
        for (int i; (i = next++) < count;) {
          snprintf(key, sizeof key, "/registry/pods/ns-%02d/pod-%06d", i % 50, i);
          if (!(update ? b.update(key, value, 0) : b.create(key, value)).ok()) exit(1);
        }
      });
    for (auto& t : ts) t.join();
  };
  auto timed_compact = [&] {
    auto t0 = Clock::now();
    if (!b.compact(b.current_revision()).ok()) exit(1);
    return seconds_since(t0) * 1000;
  };
  write_all(n, false);
  write_all(n, true);
  double first = timed_compact();
  write_all(n / 10, true);
  double second = timed_compact();
  printf("  %dk objects: %.0f ms (%dk rows since the last compaction), %.0f ms (%dk rows)\n",
         n / 1000, first, 2 * n / 1000, second, n / 10000);
  opened.value().reset();
  std::filesystem::remove_all(dir);
}

// 1,000 watchers on one prefix; writes paced at `rate`/s (or all at once when rate is 0):
// write-to-delivery latency over every (write, watcher) pair, and the time until the last
// watcher has the last event.
void watch_fanout(const std::string& base, int watchers, int writes, double rate) {
  std::string dir = make_temp(base);
  auto opened = open_sqlite(dir);
  if (!opened.ok()) exit(1);
  auto cache = new_watch_cache(std::move(opened.value()));
  std::vector<Clock::time_point> written(writes + 1);
  std::vector<std::vector<double>> lat(watchers);
  std::atomic<int> ready{0};
  std::vector<std::thread> ts;
  std::vector<std::shared_ptr<Watcher>> ws;
  for (int w = 0; w < watchers; ++w) ws.push_back(cache->watch("/registry/pods/", cache->revision(), nullptr, 2 * writes));
  int64_t first_rev = cache->revision() + 1;
  Clock::time_point last_delivery{};
  std::mutex last_mu;
  for (int w = 0; w < watchers; ++w)
    ts.emplace_back([&, w] {
      lat[w].reserve(writes);
      WatchEvent ev;
      int got = 0;
      while (got < writes && ws[w]->next(ev, std::chrono::seconds(30))) {
        auto now = Clock::now();
        int idx = static_cast<int>(ev.revision - first_rev);
        if (ev.object) idx = static_cast<int>(ev.object->mod_revision - first_rev);
        lat[w].push_back(std::chrono::duration<double, std::milli>(now - written[idx]).count());
        ++got;
      }
      std::lock_guard lk(last_mu);
      last_delivery = std::max(last_delivery, Clock::now());
    });
  std::string value(1536, 'v');
  auto t0 = Clock::now();
  for (int i = 0; i < writes; ++i) {
    if (rate > 0) std::this_thread::sleep_until(t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / rate)));
    written[i] = Clock::now();
    if (!cache->backend().create("/registry/pods/fan/p" + std::to_string(i), value).ok()) exit(1);
  }
  for (auto& t : ts) t.join();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  size_t expected = static_cast<size_t>(watchers) * writes;
  if (rate > 0)
    printf("  %d watchers, %d writes at %.0f/s: p50 %.2f ms, p99 %.2f ms (%zu/%zu deliveries)\n", watchers, writes,
           rate, all.empty() ? 0 : all[all.size() / 2], all.empty() ? 0 : all[all.size() * 99 / 100], all.size(), expected);
  else
    printf("  %d watchers, burst of %d writes: all delivered %.0f ms after the first write (%zu/%zu deliveries)\n",
           watchers, writes, std::chrono::duration<double, std::milli>(last_delivery - t0).count(), all.size(), expected);
  for (auto& w : ws) w->stop();
  cache.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  double secs = 2;
  const char* tmp = getenv("TMPDIR");
  std::string base = tmp && *tmp ? tmp : "/tmp";
  if (argc == 4 && (!strcmp(argv[1], "--fill") || !strcmp(argv[1], "--load"))) {
    (argv[1][2] == 'f' ? fill_store : load_store)(argv[2], atoi(argv[3]));
    return 0;
  }
  bool writes_only = false;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--writes-only")) writes_only = true;
    else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) secs = atof(argv[++i]);
    else if (!strcmp(argv[i], "--dir") && i + 1 < argc) base = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--seconds S] [--dir DIR] [--writes-only]\n", argv[0]);
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
  if (writes_only) return 0;
  printf("\nwatch cache list (all objects of a prefix, 1.5 KB each):\n");
  printf("  10k objects:  p50 %.2f ms\n", list_p50_ms(10000, 51));
  printf("  100k objects: p50 %.2f ms\n", list_p50_ms(100000, 21));
  printf("\nmemory (goal <= 5 KB per object):\n");
  fflush(stdout);
  rss_per_object(base, 100000);
  printf("\ncompaction pause (the writer waits for it):\n");
  fflush(stdout);
  compaction_pause(base, 100000);
  printf("\nwatch fan-out, in-process (watch cache on SQLite; goal p99 <= 20 ms):\n");
  fflush(stdout);
  watch_fanout(base, 1000, 1000, 200);
  watch_fanout(base, 1000, 1000, 0);
  return 0;
}
