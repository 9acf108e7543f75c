// In-memory Backend with the same semantics as the SQLite one (used by fast tests and as the
// reference in the conformance suite). Nothing is durable.
#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>

#include "server/storage/errors.h"
#include "server/storage/key_range.h"
#include "server/storage/storage.h"

namespace kapi::storage {
namespace {

class MemoryBackend : public Backend {
 public:
  explicit MemoryBackend(size_t max_value_bytes) : max_value_bytes_(max_value_bytes) {}

  Result<KeyValue> create(const std::string& key, std::string value) override {
    if (value.size() > max_value_bytes_) return errors::too_large(key, value.size(), max_value_bytes_);
    return write([&](Event& ev) -> Result<KeyValue> {
      if (kv_.count(key)) return errors::already_exists(key, rev_);
      int64_t rev = rev_ + 1;
      ev.created = true;
      ev.kv = KeyValue{key, std::move(value), rev, rev};
      return ev.kv;
    });
  }

  Result<KeyValue> update(const std::string& key, std::string value,
                          int64_t expected_mod_revision) override {
    if (value.size() > max_value_bytes_) return errors::too_large(key, value.size(), max_value_bytes_);
    return write([&](Event& ev) -> Result<KeyValue> {
      auto it = kv_.find(key);
      if (it == kv_.end()) return errors::not_found(key, rev_);
      if (expected_mod_revision && it->second.mod_revision != expected_mod_revision)
        return errors::conflict(key, expected_mod_revision, it->second.mod_revision, rev_);
      ev.prev = it->second;
      ev.kv = KeyValue{key, std::move(value), it->second.create_revision, rev_ + 1};
      return ev.kv;
    });
  }

  Result<KeyValue> remove(const std::string& key, int64_t expected_mod_revision) override {
    return write([&](Event& ev) -> Result<KeyValue> {
      auto it = kv_.find(key);
      if (it == kv_.end()) return errors::not_found(key, rev_);
      if (expected_mod_revision && it->second.mod_revision != expected_mod_revision)
        return errors::conflict(key, expected_mod_revision, it->second.mod_revision, rev_);
      ev.type = Event::Type::kDelete;
      ev.prev = it->second;
      ev.kv = it->second;
      ev.kv.mod_revision = rev_ + 1;
      return ev.kv;
    });
  }

  Result<KeyValue> get(const std::string& key, int64_t revision) override {
    std::shared_lock lk(mu_);
    if (auto err = check_revision(revision)) return *err;
    if (auto kv = at_revision(key, revision ? revision : rev_)) return *kv;
    return errors::not_found(key, rev_);
  }

  Result<ListResult> list(const std::string& prefix, const std::string& start_key, int64_t limit,
                          int64_t revision) override {
    std::shared_lock lk(mu_);
    if (auto err = check_revision(revision)) return *err;
    ListResult out;
    out.revision = revision ? revision : rev_;
    std::string begin = range_begin(prefix, start_key), end = prefix_end(prefix);
    auto in_range = [&](const std::string& k) { return k >= begin && (end.empty() || k < end); };
    // The keys as of out.revision: current ones untouched since, plus the state before the
    // first later write of every key written after it.
    std::map<std::string, const KeyValue*> state;
    for (auto it = kv_.lower_bound(begin); it != kv_.end() && in_range(it->first); ++it)
      if (it->second.mod_revision <= out.revision) state.emplace(it->first, &it->second);
    if (out.revision != rev_) {
      for (auto it = key_revs_.lower_bound(begin); it != key_revs_.end() && in_range(it->first);
           ++it) {
        const Event* first = first_after(it->second, out.revision);
        if (first && first->prev) state.emplace(it->first, &*first->prev);
      }
    }
    for (auto& [k, kv] : state) {
      if (limit > 0 && static_cast<int64_t>(out.items.size()) == limit) {
        if (out.continue_key.empty()) out.continue_key = k;
        ++out.remaining;
        continue;
      }
      out.items.push_back(*kv);
    }
    return out;
  }

  Result<std::vector<Event>> events_since(const std::string& prefix,
                                          int64_t after_revision) override {
    std::shared_lock lk(mu_);
    if (after_revision < compacted_) return errors::compacted(after_revision, compacted_);
    std::vector<Event> out;
    for (const Event& ev : history_)
      if (ev.revision() > after_revision && has_prefix(ev.kv.key, prefix)) out.push_back(ev);
    return out;
  }

  void set_event_sink(std::function<void(const std::vector<Event>&)> sink) override {
    std::lock_guard order(order_mu_);
    sink_ = std::move(sink);
  }

  int64_t current_revision() override {
    std::shared_lock lk(mu_);
    return rev_;
  }
  int64_t compacted_revision() override {
    std::shared_lock lk(mu_);
    return compacted_;
  }

  Result<int64_t> compact(int64_t revision) override {
    std::lock_guard order(order_mu_);
    std::unique_lock lk(mu_);
    if (revision > rev_) return errors::future(revision, rev_);
    if (revision <= compacted_) return errors::compacted(revision, compacted_);
    while (!history_.empty() && history_.front().revision() <= revision) {
      auto it = key_revs_.find(history_.front().kv.key);
      it->second.pop_front();  // the oldest revision of that key is this event's
      if (it->second.empty()) key_revs_.erase(it);
      history_.pop_front();
    }
    compacted_ = revision;
    return revision;
  }

 private:
  // Applies one write under the locks; fn fills the event (kv.mod_revision = rev_ + 1) or
  // returns an error. The sink runs after the state is updated and before returning.
  template <typename Fn>
  Result<KeyValue> write(Fn fn) {
    std::lock_guard order(order_mu_);  // sink calls stay in revision order
    std::vector<Event> events(1);
    Event& ev = events[0];
    {
      std::unique_lock lk(mu_);
      Result<KeyValue> r = fn(ev);
      if (!r.ok()) return r;
      ++rev_;
      if (ev.type == Event::Type::kDelete)
        kv_.erase(ev.kv.key);
      else
        kv_[ev.kv.key] = ev.kv;
      key_revs_[ev.kv.key].push_back(rev_);
      history_.push_back(ev);
    }
    if (sink_) sink_(events);
    return ev.kv;
  }

  std::optional<Error> check_revision(int64_t revision) const {
    if (revision == 0) return std::nullopt;
    if (revision > rev_) return errors::future(revision, rev_);
    if (revision < compacted_) return errors::compacted(revision, compacted_);
    return std::nullopt;
  }

  const Event* first_after(const std::deque<int64_t>& revs, int64_t revision) const {
    auto it = std::upper_bound(revs.begin(), revs.end(), revision);
    if (it == revs.end()) return nullptr;
    return &history_[*it - history_.front().revision()];  // revisions are contiguous
  }

  // The key's value at revision (>= compacted_): the state before its first later write, or
  // the current value when it was not written since.
  std::optional<KeyValue> at_revision(const std::string& key, int64_t revision) const {
    if (auto it = key_revs_.find(key); it != key_revs_.end()) {
      if (const Event* first = first_after(it->second, revision)) return first->prev;
    }
    auto it = kv_.find(key);
    if (it == kv_.end()) return std::nullopt;
    return it->second;
  }

  const size_t max_value_bytes_;
  std::mutex order_mu_;
  std::shared_mutex mu_;
  std::map<std::string, KeyValue> kv_;
  std::deque<Event> history_;                            // revisions (compacted_, rev_]
  std::map<std::string, std::deque<int64_t>> key_revs_;  // key -> its revisions in history_
  int64_t rev_ = 1;  // like etcd, an empty store is at revision 1
  int64_t compacted_ = 0;
  std::function<void(const std::vector<Event>&)> sink_;
};

}  // namespace

std::unique_ptr<Backend> new_memory_backend(size_t max_value_bytes) {
  return std::make_unique<MemoryBackend>(max_value_bytes);
}

}  // namespace kapi::storage
