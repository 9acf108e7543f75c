// Power cut: a VFS shim over SQLite's default one remembers, per file, how to undo every write
// and truncate since that file's last fsync. "Cutting power" makes every later write/sync fail
// (the machine is gone) and then undoes all unsynced changes, leaving the files as a disk that
// honours fsync would. Every acknowledged write must still be there after reopening.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "server/storage/storage.h"
#include "server/storage/test_util.h"

namespace kapi::storage {
namespace {

using testing::TempDir;

struct Undo {
  int64_t offset;
  std::string old_bytes;  // what was at offset before
  int64_t old_size;       // file size before
};

struct PowerCut {
  std::mutex mu;
  std::map<std::string, std::vector<Undo>> unsynced;  // path -> undo records, oldest first
  std::atomic<bool> dead{false};
  std::atomic<int64_t> writes_left{-1};  // the power goes out when this reaches 0
  sqlite3_vfs* real = nullptr;
  sqlite3_vfs vfs{};
};
PowerCut g_pc;

struct ShimFile {
  sqlite3_file base;
  sqlite3_file* real;  // lives right after this struct
  std::string* path;
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->real; }

int64_t real_size(sqlite3_file* f) {
  sqlite3_int64 size = 0;
  real_of(f)->pMethods->xFileSize(real_of(f), &size);
  return size;
}

std::string read_range(sqlite3_file* f, int64_t offset, int64_t n) {
  std::string out(static_cast<size_t>(std::max<int64_t>(n, 0)), '\0');
  if (n > 0) real_of(f)->pMethods->xRead(real_of(f), out.data(), static_cast<int>(n), offset);
  return out;
}

int shim_close(sqlite3_file* f) {
  auto* s = reinterpret_cast<ShimFile*>(f);
  int rc = s->real->pMethods ? s->real->pMethods->xClose(s->real) : SQLITE_OK;
  delete s->path;
  return rc;
}
int shim_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int shim_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (g_pc.dead) return SQLITE_IOERR_WRITE;
  auto* s = reinterpret_cast<ShimFile*>(f);
  {
    std::lock_guard lk(g_pc.mu);
    int64_t size = real_size(f);
    int64_t overlap = std::min<int64_t>(off + n, size) - off;
    g_pc.unsynced[*s->path].push_back(Undo{off, read_range(f, off, overlap), size});
  }
  int rc = real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
  // The cut lands right after a write reached the page cache, before its fsync: the case
  // that loses data when a store acknowledges too early.
  if (g_pc.writes_left.fetch_sub(1) == 1) g_pc.dead = true;
  return rc;
}
int shim_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (g_pc.dead) return SQLITE_IOERR_TRUNCATE;
  auto* s = reinterpret_cast<ShimFile*>(f);
  {
    std::lock_guard lk(g_pc.mu);
    int64_t old = real_size(f);
    if (size < old) g_pc.unsynced[*s->path].push_back(Undo{size, read_range(f, size, old - size), old});
  }
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int shim_sync(sqlite3_file* f, int flags) {
  if (g_pc.dead) return SQLITE_IOERR_FSYNC;
  int rc = real_of(f)->pMethods->xSync(real_of(f), flags);
  if (rc == SQLITE_OK) {
    std::lock_guard lk(g_pc.mu);
    g_pc.unsynced.erase(*reinterpret_cast<ShimFile*>(f)->path);  // all of it is on disk now
  }
  return rc;
}
int shim_size(sqlite3_file* f, sqlite3_int64* size) { return real_of(f)->pMethods->xFileSize(real_of(f), size); }
int shim_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int shim_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int shim_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int shim_fcntl(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int shim_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int shim_device(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
// The wal-index (-shm) is shared memory, not durable data: passed through.
int shim_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, p);
}
int shim_shm_lock(sqlite3_file* f, int off, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags);
}
void shim_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int shim_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }

const sqlite3_io_methods kShimMethods = {
    2,  // no xFetch/xUnfetch: every write goes through xWrite
    shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_size, shim_lock, shim_unlock,
    shim_check_reserved, shim_fcntl, shim_sector, shim_device, shim_shm_map, shim_shm_lock,
    shim_shm_barrier, shim_shm_unmap, nullptr, nullptr};

int shim_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* s = reinterpret_cast<ShimFile*>(f);
  s->real = reinterpret_cast<sqlite3_file*>(s + 1);
  s->path = nullptr;
  f->pMethods = nullptr;
  int rc = g_pc.real->xOpen(g_pc.real, name, s->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  s->path = new std::string(name ? name : "");
  f->pMethods = &kShimMethods;
  return SQLITE_OK;
}
int shim_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  if (g_pc.dead) return SQLITE_IOERR_DELETE;
  return g_pc.real->xDelete(g_pc.real, name, sync_dir);
}
int shim_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_pc.real->xAccess(g_pc.real, name, flags, out);
}
int shim_full_path(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_pc.real->xFullPathname(g_pc.real, name, n, out);
}
int shim_randomness(sqlite3_vfs*, int n, char* out) { return g_pc.real->xRandomness(g_pc.real, n, out); }
int shim_sleep(sqlite3_vfs*, int us) { return g_pc.real->xSleep(g_pc.real, us); }
int shim_time(sqlite3_vfs*, double* out) { return g_pc.real->xCurrentTime(g_pc.real, out); }
int shim_last_error(sqlite3_vfs*, int n, char* out) { return g_pc.real->xGetLastError(g_pc.real, n, out); }
int shim_time64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_pc.real->xCurrentTimeInt64(g_pc.real, out);
}

void register_powercut_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_pc.real = sqlite3_vfs_find(nullptr);
    sqlite3_vfs& v = g_pc.vfs;
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(sizeof(ShimFile)) + g_pc.real->szOsFile;
    v.mxPathname = g_pc.real->mxPathname;
    v.zName = "kapi-powercut";
    v.xOpen = shim_open;
    v.xDelete = shim_delete;
    v.xAccess = shim_access;
    v.xFullPathname = shim_full_path;
    v.xRandomness = shim_randomness;
    v.xSleep = shim_sleep;
    v.xCurrentTime = shim_time;
    v.xGetLastError = shim_last_error;
    v.xCurrentTimeInt64 = shim_time64;
    sqlite3_vfs_register(&v, 0);
  });
}

// Undoes every unsynced change, newest first: each file ends as of its last fsync.
size_t undo_unsynced() {
  std::lock_guard lk(g_pc.mu);
  size_t undone = 0;
  for (auto& [path, undos] : g_pc.unsynced) {
    int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0) continue;
    for (auto it = undos.rbegin(); it != undos.rend(); ++it) {
      if (!it->old_bytes.empty() &&
          ::pwrite(fd, it->old_bytes.data(), it->old_bytes.size(), it->offset) < 0)
        ADD_FAILURE() << "pwrite " << path;
      if (::ftruncate(fd, it->old_size) != 0) ADD_FAILURE() << "ftruncate " << path;
      ++undone;
    }
    ::close(fd);
  }
  g_pc.unsynced.clear();
  return undone;
}

TEST(PowerCut, AcknowledgedWritesSurviveLosingUnsyncedData) {
  register_powercut_vfs();
  TempDir dir;
  std::mt19937 rng(std::random_device{}());
  int rounds = 3;
  if (const char* e = getenv("KAPI_CRASH_ROUNDS")) rounds = std::max(1, atoi(e));
  int64_t prev_rev = 1;
  size_t total_acked = 0, total_undone = 0;
  for (int round = 0; round < rounds; ++round) {
    g_pc.dead = false;
    g_pc.writes_left = -1;
    SqliteOptions opts;
    opts.vfs = "kapi-powercut";
    auto b = testing::must_open_sqlite(dir.path(), opts);
    g_pc.writes_left = 50 + rng() % 1500;  // counted from here: opening is not interrupted
    std::mutex mu;
    std::vector<std::pair<std::string, int64_t>> acked;
    std::vector<std::thread> ts;
    for (int t = 0; t < 16; ++t) {
      ts.emplace_back([&, t] {
        for (int i = 0;; ++i) {
          std::string key = "/pc/r" + std::to_string(round) + "/t" + std::to_string(t) + "/" + std::to_string(i);
          auto r = b->create(key, "value of " + key + std::string(500, '.'));
          if (!r.ok()) return;  // the power is out
          std::lock_guard lk(mu);
          acked.emplace_back(key, r->mod_revision);
        }
      });
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!g_pc.dead && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    g_pc.dead = true;
    // Acknowledgements that race with the cut were of commits fsync'd before it.
    for (auto& t : ts) t.join();
    b.reset();  // closing cannot write anything any more
    total_undone += undo_unsynced();

    auto reopened = testing::must_open_sqlite(dir.path());  // default VFS, quick_check on
    int64_t rev = reopened->current_revision();
    EXPECT_GE(rev, prev_rev);
    for (auto& [key, ack_rev] : acked) {
      auto g = reopened->get(key);
      ASSERT_TRUE(g.ok()) << "acknowledged " << key << " @" << ack_rev << " lost in round " << round;
      EXPECT_EQ(g->value, "value of " + key + std::string(500, '.'));
      EXPECT_EQ(g->mod_revision, ack_rev);
      EXPECT_GT(ack_rev, prev_rev);
      EXPECT_LE(ack_rev, rev);
    }
    auto evs = reopened->events_since("", 1);
    ASSERT_TRUE(evs.ok());
    EXPECT_EQ(static_cast<int64_t>(evs->size()), rev - 1);
    total_acked += acked.size();
    prev_rev = rev;
  }
  EXPECT_GT(total_acked, 0u);
  std::cout << "[ info ] " << rounds << " power cuts, " << total_acked << " acknowledged writes kept, "
            << total_undone << " unsynced writes dropped\n";
}

}  // namespace
}  // namespace kapi::storage
