#pragma once
// Moves WAL checkpoints off the writer thread. SQLite's auto-checkpoint runs inside the commit
// that crosses the threshold, so the single writer would stop accepting writes while pages are
// copied into kapi.db and fsync'd. Here the writer only notices the WAL size (sqlite3_wal_hook)
// and pokes this thread, which checkpoints PASSIVE-ly on its own connection while the writer
// goes on appending to the WAL (see kWriterPages for how the WAL still restarts). Durability is unchanged: commits are still fsync'd to the WAL.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "server/storage/sqlite_db.h"

namespace kapi::storage::sqlite {

class WalCheckpointer {
 public:
  // WAL pages after which a checkpoint is started (SQLite's own default threshold).
  static constexpr int kPokePages = 1000;
  // WAL pages after which the writer finishes the checkpoint itself. A PASSIVE checkpoint
  // racing a busy writer never catches up with the WAL's end, and the WAL restarts from its
  // beginning only after a complete one; the writer's own copies just the frames the thread
  // has not backfilled yet, so its pause stays short.
  static constexpr int kWriterPages = 4000;

  WalCheckpointer() = default;
  ~WalCheckpointer() { stop(); }
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Opens the thread's connection and starts it; "" or an error message.
  std::string start(const std::string& path, const std::string& vfs);
  // Installs the WAL hook on the writer connection (turns off its auto-checkpoint).
  void attach(Db& writer);
  void poke();
  void stop();
  int64_t checkpoints() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void run();

  Db db_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ = false, stopping_ = false;
  int64_t checkpoints_ = 0;
};

}  // namespace kapi::storage::sqlite
