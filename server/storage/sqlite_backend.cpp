// The embedded durable Backend: DIR/kapi.db in SQLite, WAL mode, synchronous=FULL (schema in
// sqlite_schema.h).
//
// Group commit: one writer thread owns the write connection. Callers enqueue a request and wait
// on its future; the writer takes everything queued, applies it in ONE transaction (one WAL
// fsync) and answers each caller with its own result. While it waits for the fsync, the next
// batch queues up, so throughput grows with the number of concurrent writers.
// Reads use a pool of separate connections: in WAL mode they never block the writer, and each
// read transaction sees one committed snapshot.
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "server/storage/data_dir.h"
#include "server/storage/errors.h"
#include "server/storage/key_range.h"
#include "server/storage/sqlite_checkpointer.h"
#include "server/storage/sqlite_db.h"
#include "server/storage/sqlite_schema.h"
#include "server/storage/storage.h"

namespace kapi::storage {
namespace {

using sqlite::Db;
using sqlite::describe;
using sqlite::Query;

constexpr const char* kGetKv =
    "SELECT h.value, k.create_rev, k.mod_rev FROM kv k JOIN history h ON h.rev = k.mod_rev"
    " WHERE k.key=?1";
constexpr const char* kGetRevs = "SELECT create_rev, mod_rev FROM kv WHERE key=?1";
constexpr const char* kGetValueAt = "SELECT value FROM history WHERE rev=?1";
constexpr const char* kInsertKv = "INSERT INTO kv(key, create_rev, mod_rev) VALUES(?1, ?2, ?3)";
constexpr const char* kUpdateKv = "UPDATE kv SET mod_rev=?2 WHERE key=?1";
constexpr const char* kDeleteKv = "DELETE FROM kv WHERE key=?1";
constexpr const char* kInsertHistory =
    "INSERT INTO history(rev, key, type, value, create_rev, prev_mod_rev)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* kSetMeta = "UPDATE meta SET value=?2 WHERE name=?1";
// etcd's rule: history at or below the revision is dropped except each key's latest version
// there (still its value at every later revision until the next write).
constexpr const char* kCompactHistory =
    "DELETE FROM history WHERE rev<=?1 AND (type=1 OR rev < (SELECT max(h2.rev) FROM history h2"
    " WHERE h2.key=history.key AND h2.rev<=?1))";
// The state of a key at revision ?2: its latest row at or before it.
constexpr const char* kGetAt =
    "SELECT type, value, create_rev, rev FROM history WHERE key=?1 AND rev<=?2"
    " ORDER BY rev DESC LIMIT 1";
constexpr const char* kListLatest =
    "SELECT k.key, h.value, k.create_rev, k.mod_rev FROM kv k JOIN history h ON h.rev = k.mod_rev"
    " WHERE k.key>=?1 AND k.key<?2 ORDER BY k.key LIMIT ?3";
constexpr const char* kCountLatest = "SELECT count(*) FROM kv WHERE key>=?1 AND key<?2";
// Keys as of revision ?3: the latest row of each key at or before it, unless a delete.
constexpr const char* kListAt =
    "SELECT h.key, h.value, h.create_rev, h.rev FROM history h JOIN"
    " (SELECT max(rev) AS r FROM history WHERE key>=?1 AND key<?2 AND rev<=?3 GROUP BY key) m"
    " ON h.rev = m.r WHERE h.type=0 ORDER BY h.key";
constexpr const char* kEventsSince =
    "SELECT h.rev, h.key, h.type, h.value, p.value, h.create_rev, h.prev_mod_rev FROM history h"
    " LEFT JOIN history p ON p.rev = h.prev_mod_rev"
    " WHERE h.rev>?1 AND h.key>=?2 AND h.key<?3 ORDER BY h.rev";

bool is_io_error(int rc) { return (rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CORRUPT; }

struct Request {
  enum class Kind { kCreate, kUpdate, kRemove, kCompact, kInspect };
  Kind kind = Kind::kCreate;
  std::string key;
  std::string value;
  int64_t expected = 0;  // expected mod_revision; for kCompact the target revision
  std::promise<Result<KeyValue>> done;
};

class SqliteBackend : public Backend {
 public:
  SqliteBackend(std::string dir, const SqliteOptions& opts) : dir_(std::move(dir)), opts_(opts) {
    while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
    path_ = dir_ + "/kapi.db";
  }

  ~SqliteBackend() override {
    {
      std::lock_guard lk(queue_mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();  // drains what is queued first
    checkpointer_.stop();
    {
      std::lock_guard lk(pool_mu_);
      idle_.clear();
    }
    writer_.close();  // the last connection: checkpoints the WAL into kapi.db
  }

  std::string open() {
    if (auto err = ensure_dir(dir_); !err.empty()) return err;
    if (auto err = lock_.acquire(dir_); !err.empty()) return err;
    bool existed = ::access(path_.c_str(), F_OK) == 0;
    std::string err;
    if (!writer_.open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      opts_.vfs, err))
      return err;
    // Secrets live in here: owner-only (SQLite gives the -wal and -shm files the same mode).
    ::chmod(path_.c_str(), 0600);
    writer_.exec("PRAGMA busy_timeout=5000");
    std::string mode;
    if (!writer_.query_text("PRAGMA journal_mode=WAL", mode)) {
      int rc = sqlite3_extended_errcode(writer_.get());
      std::string msg = describe(writer_.get(), rc, "open " + path_);
      if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
        msg += ": the file is corrupt or not a kapi store (restore it from a backup)";
      return msg;
    }
    if (mode != "wal") return "cannot put " + path_ + " in WAL mode (journal_mode is " + mode + ")";
    // FULL: the WAL is fsync'd at every commit, so an acknowledged write survives power loss.
    if (int rc = writer_.exec("PRAGMA synchronous=FULL"); rc != SQLITE_OK)
      return describe(writer_.get(), rc, "open " + path_);
    writer_.exec("PRAGMA journal_size_limit=67108864");  // WAL shrinks back after checkpoints
    if (opts_.max_pages > 0) {
      std::string sql = "PRAGMA max_page_count=" + std::to_string(opts_.max_pages);
      writer_.exec(sql.c_str());
    }
    if (existed && opts_.verify_on_open) {
      std::string check;
      if (!writer_.query_text("PRAGMA quick_check", check))
        return describe(writer_.get(), sqlite3_extended_errcode(writer_.get()),
                        "check " + path_) +
               ": the file is corrupt (restore it from a backup)";
      if (check != "ok") return path_ + " is corrupt (" + check + "): restore it from a backup";
    }
    if (err = sqlite::init_schema(writer_, path_); !err.empty()) return err;
    int64_t rev = 0, compacted = 0;
    writer_.exec("BEGIN");
    err = sqlite::read_meta(writer_, rev, compacted);
    writer_.exec("COMMIT");
    if (!err.empty()) return path_ + ": " + err;
    rev_ = rev;
    compacted_ = compacted;
    // The data dir, kapi.lock and kapi.db may have just been created: make their names durable.
    // (SQLite itself syncs the directory when it creates the WAL.)
    if (err = fsync_dir(dir_); !err.empty()) return err;
    if (err = checkpointer_.start(path_, opts_.vfs); !err.empty()) return err;
    checkpointer_.attach(writer_);
    writer_thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "kapi-sqlite-wr");  // visible in top -H, perf
      writer_loop();
    });
    return "";
  }

  Result<KeyValue> create(const std::string& key, std::string value) override {
    if (value.size() > opts_.max_value_bytes)
      return errors::too_large(key, value.size(), opts_.max_value_bytes);
    Request r;
    r.kind = Request::Kind::kCreate;
    r.key = key;
    r.value = std::move(value);
    return submit(r);
  }

  Result<KeyValue> update(const std::string& key, std::string value,
                          int64_t expected_mod_revision) override {
    if (value.size() > opts_.max_value_bytes)
      return errors::too_large(key, value.size(), opts_.max_value_bytes);
    Request r;
    r.kind = Request::Kind::kUpdate;
    r.key = key;
    r.value = std::move(value);
    r.expected = expected_mod_revision;
    return submit(r);
  }

  Result<KeyValue> remove(const std::string& key, int64_t expected_mod_revision) override {
    Request r;
    r.kind = Request::Kind::kRemove;
    r.key = key;
    r.expected = expected_mod_revision;
    return submit(r);
  }

  Result<int64_t> compact(int64_t revision) override {
    Request r;
    r.kind = Request::Kind::kCompact;
    r.expected = revision;
    auto res = submit(r);
    if (!res.ok()) return res.error();
    return res->mod_revision;
  }

  Result<SqliteStats> stats() {
    Request r;
    r.kind = Request::Kind::kInspect;
    auto res = submit(r);
    if (!res.ok()) return res.error();
    SqliteStats s;
    s.journal_mode = res->key;
    s.synchronous = static_cast<int>(res->mod_revision);
    s.transactions = transactions_.load();
    s.writes = writes_.load();
    s.checkpoints = checkpointer_.checkpoints();
    return s;
  }

  Result<KeyValue> get(const std::string& key, int64_t revision) override {
    Reader rd(*this);
    if (!rd.db) return internal(rd.error);
    Db& db = *rd.db;
    if (revision == 0) {  // one statement: its own consistent snapshot
      Query q(db.stmt(kGetKv));
      int rc = q.bind(1, key).step();
      if (rc == SQLITE_ROW) return KeyValue{key, q.text(0), q.int64(1), q.int64(2)};
      if (rc == SQLITE_DONE) return errors::not_found(key, rev_);
      return internal(describe(db.get(), rc, "get " + key));
    }
    ReadTxn txn(db);
    int64_t cur = 0, compacted = 0;
    if (auto err = txn.begin(cur, compacted); !err.empty()) return internal(err);
    if (revision > cur) return errors::future(revision, cur);
    if (revision < compacted) return errors::compacted(revision, compacted);
    Query q(db.stmt(kGetAt));
    int rc = q.bind(1, key).bind(2, revision).step();
    if (rc == SQLITE_ROW) {
      if (q.int64(0) == 1) return errors::not_found(key, cur);  // deleted by then
      return KeyValue{key, q.text(1), q.int64(2), q.int64(3)};
    }
    if (rc == SQLITE_DONE) return errors::not_found(key, cur);
    return internal(describe(db.get(), rc, "get " + key));
  }

  Result<ListResult> list(const std::string& prefix, const std::string& start_key, int64_t limit,
                          int64_t revision) override {
    Reader rd(*this);
    if (!rd.db) return internal(rd.error);
    Db& db = *rd.db;
    ReadTxn txn(db);
    int64_t cur = 0, compacted = 0;
    if (auto err = txn.begin(cur, compacted); !err.empty()) return internal(err);
    if (revision > cur) return errors::future(revision, cur);
    if (revision && revision < compacted) return errors::compacted(revision, compacted);
    ListResult out;
    out.revision = revision ? revision : cur;
    const std::string begin = range_begin(prefix, start_key), end = prefix_end(prefix);
    const bool latest = out.revision == cur;
    {
      Query q(db.stmt(latest ? kListLatest : kListAt));
      q.bind(1, begin).bind_upper(2, end);
      if (latest)
        q.bind(3, limit > 0 ? limit + 1 : int64_t{-1});  // one more tells whether there is a next page
      else
        q.bind(3, out.revision);
      int rc;
      while ((rc = q.step()) == SQLITE_ROW) {
        if (limit > 0 && static_cast<int64_t>(out.items.size()) == limit) {
          if (out.continue_key.empty()) out.continue_key = q.text(0);
          if (latest) break;  // counted below, by the index
          ++out.remaining;
          continue;
        }
        out.items.push_back(KeyValue{q.text(0), q.text(1), q.int64(2), q.int64(3)});
      }
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return internal(describe(db.get(), rc, "list " + prefix));
    }
    if (latest && !out.continue_key.empty()) {
      Query q(db.stmt(kCountLatest));
      int rc = q.bind(1, out.continue_key).bind_upper(2, end).step();
      if (rc != SQLITE_ROW) return internal(describe(db.get(), rc, "list " + prefix));
      out.remaining = q.int64(0);
    }
    return out;
  }

  Result<std::vector<Event>> events_since(const std::string& prefix,
                                          int64_t after_revision) override {
    Reader rd(*this);
    if (!rd.db) return internal(rd.error);
    Db& db = *rd.db;
    ReadTxn txn(db);
    int64_t cur = 0, compacted = 0;
    if (auto err = txn.begin(cur, compacted); !err.empty()) return internal(err);
    if (after_revision < compacted) return errors::compacted(after_revision, compacted);
    std::vector<Event> out;
    const std::string end = prefix_end(prefix);  // bound without copy: must outlive q
    Query q(db.stmt(kEventsSince));
    q.bind(1, after_revision).bind(2, prefix).bind_upper(3, end);
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      Event ev;
      int64_t rev = q.int64(0), create_rev = q.int64(5);
      std::string key = q.text(1);
      if (!q.is_null(6)) ev.prev = KeyValue{key, q.text(4), create_rev, q.int64(6)};
      if (q.int64(2) == 1) {
        ev.type = Event::Type::kDelete;
        ev.kv = KeyValue{std::move(key), q.text(4), create_rev, rev};
      } else {
        ev.created = !ev.prev.has_value();
        ev.kv = KeyValue{std::move(key), q.text(3), create_rev, rev};
      }
      out.push_back(std::move(ev));
    }
    if (rc != SQLITE_DONE) return internal(describe(db.get(), rc, "events since " + std::to_string(after_revision)));
    return out;
  }

  void set_event_sink(std::function<void(const std::vector<Event>&)> sink) override {
    std::lock_guard lk(sink_mu_);  // waits for a sink call in progress
    sink_ = std::move(sink);
  }

  int64_t current_revision() override { return rev_.load(); }
  int64_t compacted_revision() override { return compacted_.load(); }

 private:
  Error internal(std::string msg) const { return Error{Code::kInternal, std::move(msg), rev_.load()}; }

  // --- reads -----------------------------------------------------------------------------

  // A pooled read connection for the duration of one call.
  struct Reader {
    explicit Reader(SqliteBackend& b) : backend(b) { db = b.acquire_reader(error); }
    ~Reader() {
      if (db) backend.release_reader(std::move(db));
    }
    SqliteBackend& backend;
    std::unique_ptr<Db> db;
    std::string error;
  };

  // A read transaction: every query in it sees the same committed snapshot.
  struct ReadTxn {
    explicit ReadTxn(Db& d) : db(d) {}
    ~ReadTxn() {
      if (open) db.exec("COMMIT");
    }
    std::string begin(int64_t& cur, int64_t& compacted) {
      if (int rc = db.exec("BEGIN"); rc != SQLITE_OK) return describe(db.get(), rc, "begin read");
      open = true;
      return sqlite::read_meta(db, cur, compacted);  // the first read fixes the snapshot
    }
    Db& db;
    bool open = false;
  };

  std::unique_ptr<Db> acquire_reader(std::string& error) {
    {
      std::lock_guard lk(pool_mu_);
      if (!idle_.empty()) {
        auto db = std::move(idle_.back());
        idle_.pop_back();
        return db;
      }
    }
    auto db = std::make_unique<Db>();
    if (!db->open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, opts_.vfs, error))
      return nullptr;
    db->exec("PRAGMA busy_timeout=5000");
    db->exec("PRAGMA query_only=1");
    return db;
  }

  void release_reader(std::unique_ptr<Db> db) {
    std::lock_guard lk(pool_mu_);
    if (idle_.size() < opts_.idle_read_connections) idle_.push_back(std::move(db));
  }

  // --- writes ----------------------------------------------------------------------------

  Result<KeyValue> submit(Request& r) {
    auto fut = r.done.get_future();
    {
      std::lock_guard lk(queue_mu_);
      if (stopping_) return internal(path_ + ": the store is closed");
      queue_.push_back(&r);
    }
    queue_cv_.notify_one();
    return fut.get();
  }

  void writer_loop() {
    std::vector<Request*> batch;
    for (;;) {
      {
        std::unique_lock lk(queue_mu_);
        queue_cv_.wait(lk, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) return;  // stopping, and everything queued was answered
        size_t n = std::min(queue_.size(), std::max<size_t>(opts_.max_batch, 1));
        batch.assign(queue_.begin(), queue_.begin() + n);
        queue_.erase(queue_.begin(), queue_.begin() + n);
      }
      run_batch(batch);
    }
  }

  // Applies the batch in one transaction; answers every request.
  void run_batch(const std::vector<Request*>& batch) {
    std::vector<Request*> writes;
    for (Request* r : batch) {
      if (r->kind == Request::Kind::kInspect)
        inspect(*r);
      else
        writes.push_back(r);
    }
    if (writes.empty()) return;
    if (!fatal_.empty()) {
      for (Request* r : writes) r->done.set_value(internal(fatal_));
      return;
    }
    std::vector<std::optional<Result<KeyValue>>> results(writes.size());
    std::vector<Event> events;
    int64_t rev = rev_.load(), compacted = compacted_.load();
    int fail_rc = SQLITE_OK;
    std::string fail;
    if (int rc = writer_.exec("BEGIN IMMEDIATE"); rc != SQLITE_OK) {
      fail_rc = rc;
      fail = describe(writer_.get(), rc, "begin write on " + path_);
    }
    for (size_t i = 0; i < writes.size() && fail.empty(); ++i)
      results[i] = apply(*writes[i], rev, compacted, events, fail_rc, fail);
    if (fail.empty() && rev != rev_.load()) fail_rc = set_meta("revision", rev, fail);
    if (fail.empty() && compacted != compacted_.load()) fail_rc = set_meta("compacted", compacted, fail);
    if (fail.empty()) {
      if (int rc = writer_.exec("COMMIT"); rc != SQLITE_OK) {
        fail_rc = rc;
        fail = describe(writer_.get(), rc, "commit to " + path_);
      }
    }
    if (!fail.empty()) {
      // Nothing of the batch is applied: every caller gets the error (none is acknowledged).
      if (!sqlite3_get_autocommit(writer_.get())) writer_.exec("ROLLBACK");
      if (is_io_error(fail_rc))  // after a failed write/fsync the file state is unknown
        fatal_ = fail + "; the store refuses writes until restarted";
      for (Request* r : writes) r->done.set_value(internal(fail));
      return;
    }
    rev_.store(rev);
    compacted_.store(compacted);
    transactions_.fetch_add(1);
    writes_.fetch_add(static_cast<int64_t>(events.size()));
    {
      std::lock_guard lk(sink_mu_);
      if (sink_ && !events.empty()) sink_(events);
    }
    for (size_t i = 0; i < writes.size(); ++i) writes[i]->done.set_value(std::move(*results[i]));
  }

  int set_meta(const char* name, int64_t value, std::string& fail) {
    Query q(writer_.stmt(kSetMeta));
    int rc = q.bind(1, std::string_view(name)).bind(2, value).step();
    if (rc == SQLITE_DONE) return SQLITE_OK;
    fail = describe(writer_.get(), rc, "write meta to " + path_);
    return rc;
  }

  // One operation inside the batch transaction. Logical outcomes (conflict, not found, ...)
  // are results; an SQLite error sets fail (the whole batch is then rolled back).
  Result<KeyValue> apply(Request& r, int64_t& rev, int64_t& compacted, std::vector<Event>& events,
                         int& fail_rc, std::string& fail) {
    auto sql_error = [&](int rc, const std::string& what) -> Result<KeyValue> {
      fail_rc = rc;
      fail = describe(writer_.get(), rc, what + " in " + path_);
      return internal(fail);
    };
    if (r.kind == Request::Kind::kCompact) {
      if (r.expected > rev) return errors::future(r.expected, rev);
      if (r.expected <= compacted) return errors::compacted(r.expected, compacted);
      Query q(writer_.stmt(kCompactHistory));
      if (int rc = q.bind(1, r.expected).step(); rc != SQLITE_DONE) return sql_error(rc, "compact");
      compacted = r.expected;
      KeyValue kv;
      kv.mod_revision = compacted;
      return kv;
    }
    std::optional<KeyValue> cur;  // its value is read below, only when the write replaces it
    {
      Query q(writer_.stmt(kGetRevs));
      int rc = q.bind(1, r.key).step();
      if (rc == SQLITE_ROW)
        cur = KeyValue{r.key, std::string(), q.int64(0), q.int64(1)};
      else if (rc != SQLITE_DONE)
        return sql_error(rc, "read " + r.key);
    }
    Event ev;
    const int64_t next = rev + 1;
    switch (r.kind) {
      case Request::Kind::kCreate:
        if (cur) return errors::already_exists(r.key, rev);
        ev.created = true;
        ev.kv = KeyValue{r.key, std::string(), next, next};
        break;
      case Request::Kind::kUpdate:
        if (!cur) return errors::not_found(r.key, rev);
        if (r.expected && cur->mod_revision != r.expected)
          return errors::conflict(r.key, r.expected, cur->mod_revision, rev);
        ev.kv = KeyValue{r.key, std::string(), cur->create_revision, next};
        break;
      default:  // kRemove
        if (!cur) return errors::not_found(r.key, rev);
        if (r.expected && cur->mod_revision != r.expected)
          return errors::conflict(r.key, r.expected, cur->mod_revision, rev);
        ev.type = Event::Type::kDelete;
        ev.kv = KeyValue{r.key, std::string(), cur->create_revision, next};
        break;
    }
    if (cur) {  // the replaced value, for the event's prev (and a delete's last version)
      Query q(writer_.stmt(kGetValueAt));
      int rc = q.bind(1, cur->mod_revision).step();
      if (rc == SQLITE_ROW)
        cur->value = q.text(0);
      else
        return sql_error(rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "read the value of " + r.key);
    }
    {
      Query q(writer_.stmt(r.kind == Request::Kind::kCreate   ? kInsertKv
                           : r.kind == Request::Kind::kUpdate ? kUpdateKv
                                                              : kDeleteKv));
      q.bind(1, r.key);
      if (r.kind == Request::Kind::kCreate) q.bind(2, next).bind(3, next);
      if (r.kind == Request::Kind::kUpdate) q.bind(2, next);
      if (int rc = q.step(); rc != SQLITE_DONE) return sql_error(rc, "write " + r.key);
    }
    {
      Query q(writer_.stmt(kInsertHistory));
      q.bind(1, next).bind(2, r.key).bind(3, int64_t{ev.type == Event::Type::kDelete ? 1 : 0});
      if (ev.type == Event::Type::kDelete)
        q.bind_null(4);
      else
        q.bind(4, r.value);
      if (cur)
        q.bind(5, cur->create_revision).bind(6, cur->mod_revision);
      else
        q.bind(5, next).bind_null(6);
      if (int rc = q.step(); rc != SQLITE_DONE) return sql_error(rc, "write history of " + r.key);
    }
    rev = next;
    ev.kv.value = ev.type == Event::Type::kDelete ? cur->value : std::move(r.value);
    ev.prev = std::move(cur);
    KeyValue result = ev.kv;
    events.push_back(std::move(ev));
    return result;
  }

  void inspect(Request& r) {
    KeyValue kv;
    std::string sync;
    if (!writer_.query_text("PRAGMA journal_mode", kv.key) ||
        !writer_.query_text("PRAGMA synchronous", sync)) {
      r.done.set_value(internal(describe(writer_.get(), sqlite3_extended_errcode(writer_.get()),
                                         "inspect " + path_)));
      return;
    }
    kv.mod_revision = std::strtoll(sync.c_str(), nullptr, 10);
    r.done.set_value(std::move(kv));
  }

  std::string dir_, path_;
  const SqliteOptions opts_;
  DirLock lock_;
  Db writer_;  // used by the writer thread only (and by open() before it starts)
  sqlite::WalCheckpointer checkpointer_;
  std::thread writer_thread_;
  std::atomic<int64_t> rev_{0}, compacted_{0};
  std::atomic<int64_t> transactions_{0}, writes_{0};
  std::string fatal_;  // writer thread only: set after an I/O error

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Request*> queue_;
  bool stopping_ = false;

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Db>> idle_;

  std::mutex sink_mu_;
  std::function<void(const std::vector<Event>&)> sink_;
};

}  // namespace

Result<std::unique_ptr<Backend>> open_sqlite(const std::string& data_dir,
                                             const SqliteOptions& options) {
  auto b = std::make_unique<SqliteBackend>(data_dir, options);
  if (auto err = b->open(); !err.empty()) return Error{Code::kInternal, err, 0};
  return std::unique_ptr<Backend>(std::move(b));
}

Result<SqliteStats> sqlite_stats(Backend& backend) {
  auto* b = dynamic_cast<SqliteBackend*>(&backend);
  if (!b) return Error{Code::kInternal, "not an SQLite backend", 0};
  return b->stats();
}

}  // namespace kapi::storage
