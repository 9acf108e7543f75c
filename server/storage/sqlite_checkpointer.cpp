#include "server/storage/sqlite_checkpointer.h"

#include <pthread.h>

namespace kapi::storage::sqlite {

std::string WalCheckpointer::start(const std::string& path, const std::string& vfs) {
  std::string err;
  if (!db_.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, vfs, err)) return err;
  db_.exec("PRAGMA busy_timeout=5000");
  db_.exec("PRAGMA synchronous=FULL");  // the checkpoint fsyncs kapi.db before the WAL is reused
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "kapi-sqlite-ckpt");
    run();
  });
  return "";
}

void WalCheckpointer::attach(Db& writer) {
  sqlite3_wal_autocheckpoint(writer.get(), 0);
  sqlite3_wal_hook(writer.get(), &WalCheckpointer::on_commit, this);
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (wal_pages >= kWriterPages) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages >= kPokePages) {
    c->poke();
  }
  return SQLITE_OK;
}

void WalCheckpointer::poke() {
  {
    std::lock_guard lk(mu_);
    if (poked_) return;
    poked_ = true;
  }
  cv_.notify_one();
}

void WalCheckpointer::stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  db_.close();
}

int64_t WalCheckpointer::checkpoints() const {
  std::lock_guard lk(mu_);
  return checkpoints_;
}

void WalCheckpointer::run() {
  std::unique_lock lk(mu_);
  for (;;) {
    cv_.wait(lk, [&] { return poked_ || stopping_; });
    if (stopping_) return;
    poked_ = false;
    lk.unlock();
    // PASSIVE: copies what no reader still needs, never blocks the writer. A failure (e.g. a
    // full disk) leaves the WAL longer; the writer reports its own errors on its next commit.
    int rc = sqlite3_wal_checkpoint_v2(db_.get(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lk.lock();
    if (rc == SQLITE_OK) ++checkpoints_;
  }
}

}  // namespace kapi::storage::sqlite
