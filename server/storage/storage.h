#pragma once
// The storage interface, shaped like etcd v3 (see docs in etcd_mapping.md beside this file).
//
// One global, strictly increasing revision per store. A key's mod_revision is the revision of
// its last write and is what the API layer exposes as resourceVersion. Values are opaque bytes
// (kapi stores the object's JSON).
//
// Thread-safety: every method of Backend and WatchCache may be called from any thread.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kapi::storage {

enum class Code {
  kOk,
  kNotFound,       // key absent (or absent at the requested revision)
  kAlreadyExists,  // create of an existing key
  kConflict,       // guarded update/delete: mod_revision did not match
  kExpired,        // revision or continue token older than the compaction revision
  kTooLarge,       // value over the backend's limit
  kInternal,       // I/O or database error (message says what)
  kFutureRevision, // revision newer than the store's (k8s: "Too large resource version", 504)
};

// Largest accepted value (etcd's default --max-request-bytes); larger writes get kTooLarge.
inline constexpr size_t kDefaultMaxValueBytes = 1536 * 1024;

struct Error {
  Code code = Code::kInternal;
  std::string message;
  int64_t current_revision = 0;  // for kExpired: the compaction revision; else store revision
};

// Value-or-Error, marked must-use.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::move(v)) {}
  Result(Error e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, Error> v_;
};

struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
};

struct ListResult {
  std::vector<KeyValue> items;
  int64_t revision = 0;        // the store revision the list reflects
  std::string continue_key;    // first key not returned ("" = no more)
  int64_t remaining = 0;       // items after this page (exact)
};

struct Event {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  bool created = false;           // kPut of a key that did not exist before
  KeyValue kv;                    // for kDelete: key, last value, mod_revision = delete revision
  std::optional<KeyValue> prev;   // previous value (etcd prev_kv)
  int64_t revision() const { return kv.mod_revision; }
};

// A durable, revisioned key-value store. create/update/remove return only after the write is
// durable (fsync'd for the embedded backend).
class Backend {
 public:
  virtual ~Backend() = default;

  virtual Result<KeyValue> create(const std::string& key, std::string value) = 0;
  // revision 0 = latest.
  virtual Result<KeyValue> get(const std::string& key, int64_t revision = 0) = 0;
  // expected_mod_revision 0 = unconditional.
  virtual Result<KeyValue> update(const std::string& key, std::string value,
                                  int64_t expected_mod_revision) = 0;
  // Returns the deleted key-value with mod_revision set to the deletion's revision.
  virtual Result<KeyValue> remove(const std::string& key, int64_t expected_mod_revision) = 0;
  // Keys with the prefix, from start_key (inclusive; "" = from the prefix start), at revision
  // (0 = latest), at most limit (0 = all) items, in key order.
  virtual Result<ListResult> list(const std::string& prefix, const std::string& start_key,
                                  int64_t limit, int64_t revision = 0) = 0;
  // Every event with revision > after_revision under prefix, in revision order, up to now.
  // kExpired if after_revision < compacted_revision().
  virtual Result<std::vector<Event>> events_since(const std::string& prefix,
                                                  int64_t after_revision) = 0;
  // Subscribe to every committed event in revision order. Called on the committing thread,
  // after the commit is durable and before the writer's call returns. Only one subscriber.
  virtual void set_event_sink(std::function<void(const std::vector<Event>&)> sink) = 0;

  virtual int64_t current_revision() = 0;
  virtual int64_t compacted_revision() = 0;
  // Drop history at or below revision (kept: current values).
  virtual Result<int64_t> compact(int64_t revision) = 0;
};

// A cached object version: the stored bytes plus what selectors need, and lazily produced
// derived encodings (Table row, protobuf, ...) shared by every reader and watcher.
struct CachedObject {
  std::string key;
  std::string value;  // JSON bytes as stored
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::pair<std::string, std::string>> fields;  // e.g. {"status.phase","Running"}
  // Derived encodings, produced at most once per slot (thread-safe).
  const std::string& derived(int slot, const std::function<std::string()>& make) const;

 private:
  mutable std::shared_ptr<void> derived_;  // implementation detail of derived()
};
using ObjectPtr = std::shared_ptr<const CachedObject>;

struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark, kError };
  Type type = Type::kAdded;
  ObjectPtr object;       // for kDeleted: the last version, with mod_revision = delete revision
  ObjectPtr prev;         // the previous version (null for kAdded)
  int64_t revision = 0;   // for kBookmark: the revision the watcher is known to be current at
  Error error;            // for kError (kExpired: "too old resource version")
};

// Fills labels/fields of a CachedObject from its key and value (set per key prefix).
using AttrExtractor = std::function<void(CachedObject&)>;

class Watcher {
 public:
  virtual ~Watcher() = default;
  // Blocks up to timeout for the next event. Returns false on timeout; after the watcher is
  // closed (stop(), cache shutdown, or eviction for being too slow) returns false with
  // closed() == true once its queue is drained.
  virtual bool next(WatchEvent& out, std::chrono::milliseconds timeout) = 0;
  virtual bool closed() const = 0;
  virtual void stop() = 0;
};

struct ListOptions {
  std::string prefix;
  std::string start_key;   // continue: first key to return
  int64_t limit = 0;       // 0 = all
  int64_t revision = 0;    // 0 = latest; else exact revision (must be in the cache window)
  std::function<bool(const CachedObject&)> filter;  // selectors; null = all
};

struct CacheListResult {
  std::vector<ObjectPtr> items;
  int64_t revision = 0;
  std::string continue_key;
  int64_t remaining = 0;
};

// The watch cache: the current state of every key in memory plus a ring of recent events;
// serves gets, lists and watches. Writes go through to the Backend.
class WatchCache {
 public:
  virtual ~WatchCache() = default;
  virtual void set_extractor(const std::string& prefix, AttrExtractor extractor) = 0;
  virtual Backend& backend() = 0;
  virtual ObjectPtr get(const std::string& key) = 0;  // latest; null if absent
  virtual Result<CacheListResult> list(const ListOptions& opts) = 0;
  // from_revision 0: start with a synthetic kAdded for every current object (filtered), then
  // changes. Else events with revision > from_revision; kExpired error event if older than the
  // cache window. buffer: events queued before a slow watcher is closed.
  virtual std::shared_ptr<Watcher> watch(const std::string& prefix, int64_t from_revision,
                                         std::function<bool(const CachedObject&)> filter,
                                         size_t buffer = 1024) = 0;
  virtual int64_t revision() = 0;
  virtual void shutdown() = 0;  // closes every watcher
};

// Factories.
struct SqliteOptions {
  size_t max_value_bytes = kDefaultMaxValueBytes;
  size_t max_batch = 1024;         // most writes committed in one transaction (one fsync)
  size_t idle_read_connections = 4;  // read connections kept open between reads
  bool verify_on_open = true;      // PRAGMA quick_check at open: refuse a damaged file early
  int64_t max_pages = 0;           // test hook: > 0 caps the file (PRAGMA max_page_count)
  std::string vfs;                 // test hook: SQLite VFS name ("" = the default)
};
// Opens (creating if needed) the embedded SQLite store DIR/kapi.db. Errors (kInternal, message
// names the file): newer schema version, not a database / corrupt, unwritable dir, disk full.
// Revisions start at 1 for an empty store (like etcd); the first write gets 2.
Result<std::unique_ptr<Backend>> open_sqlite(const std::string& data_dir,
                                             const SqliteOptions& options = {});
// The schema version this build writes; open_sqlite refuses a file with a newer one.
inline constexpr int kSqliteSchemaVersion = 3;

// Inspection of a backend from open_sqlite (kInternal for any other backend).
struct SqliteStats {
  std::string journal_mode;   // of the writer connection: "wal"
  int synchronous = 0;        // of the writer connection: 2 = FULL
  int64_t transactions = 0;   // committed write transactions (= fsyncs of the WAL)
  int64_t writes = 0;         // committed create/update/remove operations
  int64_t checkpoints = 0;    // WAL checkpoints done by the background checkpointer
};
Result<SqliteStats> sqlite_stats(Backend& backend);

// Background compaction like kube-apiserver's --etcd-compaction-interval: every interval,
// compacts to the revision that was current one interval earlier (so at least one interval
// of history is always kept). Stops on stop() or destruction.
class Compactor {
 public:
  virtual ~Compactor() = default;
  virtual void stop() = 0;
  virtual int64_t compactions() const = 0;  // successful compactions so far
};
std::unique_ptr<Compactor> start_compactor(Backend& backend,
                                           std::chrono::milliseconds interval = std::chrono::minutes(5));

std::unique_ptr<Backend> new_memory_backend(size_t max_value_bytes = kDefaultMaxValueBytes);
// window: number of recent events kept in memory per cache. The cache loads every key and the
// last `window` events still in the backend's history (so watches can resume across a restart).
// extractors: as set_extractor, applied while loading (set_extractor later re-extracts the
// objects under its prefix, which copies them). Throws std::runtime_error if loading fails.
std::unique_ptr<WatchCache> new_watch_cache(
    std::unique_ptr<Backend> backend, size_t window = 100000,
    std::vector<std::pair<std::string, AttrExtractor>> extractors = {});

}  // namespace kapi::storage
