// The embedded durable Backend: DIR/kapi.db in SQLite, WAL mode, synchronous=FULL (schema in
// sqlite_schema.h).
//
// Group commit: one writer thread owns the write connection. Callers enqueue a request and wait
// on its future; the writer takes everything queued, applies it in ONE transaction (one WAL
// fsync) and answers each caller with its own result. While it waits for the fsync, the next
// batch queues up, so throughput grows with the number of concurrent writers.
// Reads use a pool of separate connections: in WAL mode they never block the writer, and each
// read transaction sees one committed snapshot.
// A write only appends to `history` (schema version 3): the live keys are in memory
// (sqlite_key_index.h), which the writer publishes right after each commit. A read pairs the
// index with a snapshot of the same revision, so every read is consistent at one revision.
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "server/storage/data_dir.h"
#include "server/storage/errors.h"
#include "server/storage/key_range.h"
#include "server/storage/sqlite_checkpointer.h"
#include "server/storage/sqlite_db.h"
#include "server/storage/sqlite_key_index.h"
#include "server/storage/sqlite_schema.h"
#include "server/storage/storage.h"

namespace kapi::storage {
namespace {

using sqlite::Db;
using sqlite::describe;
using sqlite::Query;

using sqlite::KeyChanges;
using sqlite::KeyIndex;
using sqlite::KeyRevs;

constexpr const char* kGetValueAt = "SELECT value FROM history WHERE rev=?1";
constexpr const char* kInsertHistory =
    "INSERT INTO history(rev, key, type, value, create_rev, prev_mod_rev)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* kSetMeta = "UPDATE meta SET value=?2 WHERE name=?1";
// Replayed at open to rebuild the key index.
constexpr const char* kReplay = "SELECT key, type, create_rev, rev FROM history ORDER BY rev";
// etcd's rule: history at or below the revision ?2 is dropped except each key's latest version
// there. The versions superseded at or below it are exactly the prev_mod_rev of the rows at or
// below it (a put is followed by an update or delete naming it), and everything at or below
// the previous compaction ?1 already obeys the rule, so only the rows in (?1, ?2] are read:
// the pause grows with the writes since the last compaction, not with the store.
constexpr const char* kCompactSuperseded =
    "DELETE FROM history WHERE rev IN (SELECT prev_mod_rev FROM history"
    " WHERE rev>?1 AND rev<=?2 AND prev_mod_rev IS NOT NULL)";
constexpr const char* kCompactTombstones =
    "DELETE FROM history WHERE rev>?1 AND rev<=?2 AND type=1";
// The state of keys at an older revision R: a key's first write after R names its version at R
// (create_rev, prev_mod_rev), or its absence (a create); a key not written after R is as the
// index has it. Rows after R are never compacted while R is readable.
constexpr const char* kFirstWriteAfter =
    "SELECT type, create_rev, prev_mod_rev FROM history WHERE rev>?2 AND key=?1"
    " ORDER BY rev LIMIT 1";
constexpr const char* kWritesAfter =
    "SELECT key, type, create_rev, prev_mod_rev FROM history WHERE rev>?3 AND key>=?1 AND key<?2"
    " ORDER BY rev";
constexpr const char* kEventsSince =
    "SELECT h.rev, h.key, h.type, h.value, p.value, h.create_rev, h.prev_mod_rev FROM history h"
    " LEFT JOIN history p ON p.rev = h.prev_mod_rev"
    " WHERE h.rev>?1 AND h.key>=?2 AND h.key<?3 ORDER BY h.rev";

// A key's state just before a history row (columns type, create_rev, prev_mod_rev from col).
std::optional<KeyRevs> state_before(const Query& q, int col) {
  if (q.int64(col) == 0 && q.is_null(col + 2)) return std::nullopt;  // a create: absent before
  return KeyRevs{q.int64(col + 1), q.int64(col + 2)};
}

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
    if (err.empty()) err = replay_history();
    writer_.exec("COMMIT");
    if (!err.empty()) return path_ + ": " + err;
    index_.set_revision(rev);
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

  // Rebuilds the key index: puts set a key's revisions, deletes erase it.
  std::string replay_history() {
    Query q(writer_.stmt(kReplay));
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      if (q.int64(1) == 0)
        index_.replay_put(q.text(0), KeyRevs{q.int64(2), q.int64(3)});
      else
        index_.replay_delete(q.text(0));
    }
    return rc == SQLITE_DONE ? "" : describe(writer_.get(), rc, "read history");
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
    ReadTxn txn(db);
    std::optional<KeyIndex::ReadLock> index;
    int64_t cur = 0, compacted = 0;
    if (auto err = begin_snapshot(txn, index, cur, compacted); !err.empty()) return internal(err);
    std::optional<KeyRevs> revs = index->find(key);
    index.reset();
    if (revision > cur) return errors::future(revision, cur);
    if (revision && revision < compacted) return errors::compacted(revision, compacted);
    if (revision && revision < cur && !(revs && revs->mod_rev <= revision)) {
      // Written after revision (or absent now): its first write after revision tells.
      Query q(db.stmt(kFirstWriteAfter));
      int rc = q.bind(1, key).bind(2, revision).step();
      if (rc == SQLITE_ROW)
        revs = state_before(q, 0);
      else if (rc == SQLITE_DONE)
        revs.reset();
      else
        return internal(describe(db.get(), rc, "get " + key));
    }
    if (!revs) return errors::not_found(key, cur);
    auto value = read_value(db, revs->mod_rev, key);
    if (!value.ok()) return value.error();
    return KeyValue{key, std::move(*value), revs->create_rev, revs->mod_rev};
  }

  Result<ListResult> list(const std::string& prefix, const std::string& start_key, int64_t limit,
                          int64_t revision) override {
    Reader rd(*this);
    if (!rd.db) return internal(rd.error);
    Db& db = *rd.db;
    ReadTxn txn(db);
    std::optional<KeyIndex::ReadLock> index;
    int64_t cur = 0, compacted = 0;
    if (auto err = begin_snapshot(txn, index, cur, compacted); !err.empty()) return internal(err);
    if (revision > cur) return errors::future(revision, cur);
    if (revision && revision < compacted) return errors::compacted(revision, compacted);
    ListResult out;
    out.revision = revision ? revision : cur;
    const std::string begin = range_begin(prefix, start_key), end = prefix_end(prefix);
    std::vector<std::pair<std::string, KeyRevs>> keys;
    if (out.revision == cur) {
      // One more than the page tells the continue key.
      int64_t left = index->range(begin, end, limit > 0 ? limit + 1 : 0, keys);
      index.reset();
      if (limit > 0 && static_cast<int64_t>(keys.size()) > limit) {
        out.continue_key = keys[limit].first;
        out.remaining = left + 1;
        keys.resize(limit);
      }
    } else {
      index->range(begin, end, 0, keys);
      index.reset();
      auto at = states_at(db, begin, end, out.revision, keys);
      if (!at.ok()) return at.error();
      keys.clear();
      for (auto& [key, revs] : *at) {
        if (limit > 0 && static_cast<int64_t>(keys.size()) == limit) {
          if (out.continue_key.empty()) out.continue_key = key;
          ++out.remaining;
          continue;
        }
        keys.emplace_back(key, revs);
      }
    }
    out.items.reserve(keys.size());
    for (auto& [key, revs] : keys) {
      auto value = read_value(db, revs.mod_rev, key);
      if (!value.ok()) return value.error();
      out.items.push_back(
          KeyValue{std::move(key), std::move(*value), revs.create_rev, revs.mod_rev});
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
    void end() {
      if (open) db.exec("COMMIT");
      open = false;
    }
    Db& db;
    bool open = false;
  };

  // Begins txn at the revision the key index is at, with the index read-locked, so that keys
  // from the index and rows from the snapshot agree. The writer publishes a batch to the index
  // right after committing it, so the two differ only for that moment: then try again.
  std::string begin_snapshot(ReadTxn& txn, std::optional<KeyIndex::ReadLock>& index, int64_t& cur,
                             int64_t& compacted) {
    for (int attempt = 0;; ++attempt) {
      index.emplace(index_);
      if (auto err = txn.begin(cur, compacted); !err.empty()) return err;
      if (cur == index->revision()) return "";
      index.reset();
      txn.end();
      if (attempt < 8)
        std::this_thread::yield();
      else
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  }

  // The value of the history row rev (a version the snapshot must hold).
  Result<std::string> read_value(Db& db, int64_t rev, const std::string& key) {
    Query q(db.stmt(kGetValueAt));
    int rc = q.bind(1, rev).step();
    if (rc == SQLITE_ROW) return q.text(0);
    if (rc == SQLITE_DONE)
      return internal(path_ + ": history row " + std::to_string(rev) + " of " + key +
                      " is missing");
    return internal(describe(db.get(), rc, "read " + key));
  }

  // The keys in [begin, end) at revision (older than the snapshot's), from `now` (the index's
  // keys in that range) and the writes after revision, in key order.
  Result<std::map<std::string, KeyRevs>> states_at(
      Db& db, const std::string& begin, const std::string& end, int64_t revision,
      std::vector<std::pair<std::string, KeyRevs>>& now) {
    std::map<std::string, KeyRevs> at;
    for (auto& [key, revs] : now) at.emplace_hint(at.end(), std::move(key), revs);
    std::unordered_set<std::string> seen;  // keys whose first write after revision was applied
    Query q(db.stmt(kWritesAfter));
    q.bind(1, begin).bind_upper(2, end).bind(3, revision);
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      std::string key = q.text(0);
      if (!seen.insert(key).second) continue;
      if (auto revs = state_before(q, 1))
        at[std::move(key)] = *revs;
      else
        at.erase(key);
    }
    if (rc != SQLITE_DONE)
      return internal(describe(db.get(), rc, "list at " + std::to_string(revision)));
    return at;
  }

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
    KeyChanges staged;  // published to the index only once the batch is durable
    int64_t rev = rev_.load(), compacted = compacted_.load();
    int fail_rc = SQLITE_OK;
    std::string fail;
    if (int rc = writer_.exec("BEGIN IMMEDIATE"); rc != SQLITE_OK) {
      fail_rc = rc;
      fail = describe(writer_.get(), rc, "begin write on " + path_);
    }
    for (size_t i = 0; i < writes.size() && fail.empty(); ++i)
      results[i] = apply(*writes[i], rev, compacted, staged, events, fail_rc, fail);
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
    index_.publish(staged, rev);
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
  Result<KeyValue> apply(Request& r, int64_t& rev, int64_t& compacted, KeyChanges& staged,
                         std::vector<Event>& events, int& fail_rc, std::string& fail) {
    auto sql_error = [&](int rc, const std::string& what) -> Result<KeyValue> {
      fail_rc = rc;
      fail = describe(writer_.get(), rc, what + " in " + path_);
      return internal(fail);
    };
    if (r.kind == Request::Kind::kCompact) {
      if (r.expected > rev) return errors::future(r.expected, rev);
      if (r.expected <= compacted) return errors::compacted(r.expected, compacted);
      for (const char* sql : {kCompactSuperseded, kCompactTombstones}) {
        Query q(writer_.stmt(sql));
        if (int rc = q.bind(1, compacted).bind(2, r.expected).step(); rc != SQLITE_DONE)
          return sql_error(rc, "compact");
      }
      compacted = r.expected;
      KeyValue kv;
      kv.mod_revision = compacted;
      return kv;
    }
    std::optional<KeyValue> cur;  // its value is read below, only when the write replaces it
    if (auto revs = index_.find(r.key, staged))
      cur = KeyValue{r.key, std::string(), revs->create_rev, revs->mod_rev};
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
    if (ev.type == Event::Type::kDelete)
      staged[r.key].reset();
    else
      staged[r.key] = KeyRevs{ev.kv.create_revision, next};
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
  Db writer_;       // used by the writer thread only (and by open() before it starts)
  KeyIndex index_;  // mutated by the writer thread only (and by open() before it starts)
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
