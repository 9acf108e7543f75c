#pragma once
// The live keys of the embedded store and the revisions of their current versions, in key
// order, kept in memory (schema version 3 has no per-key table: a commit only appends to
// `history`, so every page it writes is sequential). Built at open by replaying history, then
// kept current by the writer, which publishes each committed batch.
//
// Thread-safety: one writer thread mutates (publish); it may call find() without a lock since
// nothing else mutates. Readers go through a ReadLock (shared), which pins one revision: the
// index does not change while a ReadLock is held.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kapi::storage::sqlite {

struct KeyRevs {
  int64_t create_rev = 0;
  int64_t mod_rev = 0;  // also the history rowid that holds the value
};

// A batch's changes before publishing: key -> new state (nullopt = deleted).
using KeyChanges = std::unordered_map<std::string, std::optional<KeyRevs>>;

class KeyIndex {
 public:
  // --- building (before any reader or writer runs) ---
  void replay_put(const std::string& key, KeyRevs revs) { keys_[key] = revs; }
  void replay_delete(const std::string& key) { keys_.erase(key); }
  void set_revision(int64_t rev) { rev_ = rev; }

  // --- the writer thread ---
  // The state of key after `staged` (the batch so far) is applied.
  std::optional<KeyRevs> find(const std::string& key, const KeyChanges& staged) const;
  // Applies a committed batch and moves the index to revision (exclusive lock, held briefly).
  void publish(const KeyChanges& changes, int64_t revision);

  // --- readers ---
  class ReadLock {
   public:
    explicit ReadLock(const KeyIndex& index) : index_(index), lock_(index.mu_) {}
    int64_t revision() const { return index_.rev_; }
    std::optional<KeyRevs> find(const std::string& key) const;
    // Keys in [begin, end) (end "" = unbounded), in key order: at most limit (0 = all) into
    // out; returns how many keys of the range were left out.
    int64_t range(const std::string& begin, const std::string& end, int64_t limit,
                  std::vector<std::pair<std::string, KeyRevs>>& out) const;

   private:
    const KeyIndex& index_;
    std::shared_lock<std::shared_mutex> lock_;
  };

  size_t size() const { return keys_.size(); }  // REQUIRES: writer thread or a ReadLock

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, KeyRevs, std::less<>> keys_;
  int64_t rev_ = 0;  // the store revision the index reflects (guarded by mu_)
};

}  // namespace kapi::storage::sqlite
