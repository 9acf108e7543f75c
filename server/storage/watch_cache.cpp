// The watch cache: every current object in memory (key -> ObjectPtr) plus a ring of the last
// `window` events, kept current by the backend's event sink. Gets, lists and watches are served
// from memory; an object version is built (and its labels/fields extracted) once and then
// shared by every list result and every watcher.
//
// Locking: mu_ guards the state; the sink updates it exclusively (so a write is visible to reads
// before it is acknowledged), then queues the new events for the dispatcher thread, which hands
// them to the watchers (each watcher has its own small lock and a bounded queue, so a slow
// watcher never blocks anything: it is closed instead). A watcher only takes live events
// after the revision up to which it was given its initial events, so none is seen twice.
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "server/storage/key_range.h"
#include "server/storage/storage.h"

namespace kapi::storage {
namespace {

using Filter = std::function<bool(const CachedObject&)>;

// One backend event as cached: unfiltered type, new version (the deleted one for kDeleted) and
// the version it replaced.
struct RingEvent {
  WatchEvent::Type type = WatchEvent::Type::kAdded;
  ObjectPtr object;
  ObjectPtr prev;
  int64_t revision = 0;
};

bool matches(const Filter& f, const CachedObject& o) { return !f || f(o); }

// What a watcher with filter sees of e, as in upstream's watch cache: a modification moving an
// object out of the filter is a deletion for that watcher, into it an addition.
std::optional<WatchEvent> filtered(const RingEvent& e, const Filter& f) {
  WatchEvent out;
  out.object = e.object;
  out.prev = e.prev;
  out.revision = e.revision;
  if (e.type != WatchEvent::Type::kModified) {
    if (!matches(f, *e.object)) return std::nullopt;
    out.type = e.type;
    return out;
  }
  bool now = matches(f, *e.object), before = e.prev && matches(f, *e.prev);
  if (now && before) {
    out.type = WatchEvent::Type::kModified;
  } else if (now) {
    out.type = WatchEvent::Type::kAdded;
    out.prev = nullptr;
  } else if (before) {
    out.type = WatchEvent::Type::kDeleted;  // carries the new version, as upstream does
  } else {
    return std::nullopt;
  }
  return out;
}

Error too_old(int64_t rev, int64_t oldest) {
  return {Code::kExpired,
          "too old resource version: " + std::to_string(rev) + " (" + std::to_string(oldest) + ")",
          oldest};
}

class WatcherState {
 public:
  WatcherState(std::string prefix, Filter filter, size_t buffer)
      : prefix_(std::move(prefix)), filter_(std::move(filter)), buffer_(std::max<size_t>(buffer, 1)) {}

  const std::string& prefix() const { return prefix_; }
  const Filter& filter() const { return filter_; }

  // Initial events (synthetic ADDED or replay): given before any live event, not bounded.
  void push_initial(WatchEvent ev) { initial_.push_back(std::move(ev)); }
  // Live events are taken only after this revision (set before the watcher is registered).
  void set_start(int64_t revision) { start_ = revision; }

  // Called on the dispatcher thread with events in revision order. Never blocks for long: a
  // full queue closes the watcher. One lock and one wake-up per batch, however many events.
  void offer(const std::vector<RingEvent>& events) {
    std::vector<WatchEvent> mine;
    for (const RingEvent& e : events) {
      if (e.revision <= start_ || !has_prefix(e.object->key, prefix_)) continue;
      if (auto ev = filtered(e, filter_)) mine.push_back(std::move(*ev));
    }
    if (mine.empty()) return;
    std::lock_guard lk(mu_);
    if (closed_) return;
    for (WatchEvent& ev : mine) {
      if (live_.size() >= buffer_) {
        closed_ = true;  // evicted: the client re-watches from the last revision it saw
        cv_.notify_all();
        return;
      }
      live_.push_back(std::move(ev));
    }
    cv_.notify_one();
  }

  bool next(WatchEvent& out, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    if (!cv_.wait_for(lk, timeout, [&] { return !initial_.empty() || !live_.empty() || closed_; }))
      return false;
    auto& q = !initial_.empty() ? initial_ : live_;
    if (q.empty()) return false;  // closed and drained
    out = std::move(q.front());
    q.pop_front();
    return true;
  }

  bool drained_and_closed() const {
    std::lock_guard lk(mu_);
    return closed_ && initial_.empty() && live_.empty();
  }
  bool is_closed() const {
    std::lock_guard lk(mu_);
    return closed_;
  }
  void close() {
    std::lock_guard lk(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  const std::string prefix_;
  const Filter filter_;
  const size_t buffer_;
  int64_t start_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WatchEvent> initial_, live_;
  bool closed_ = false;
};

// What watch() returns; dropping it stops the watch.
class WatcherHandle : public Watcher {
 public:
  explicit WatcherHandle(std::shared_ptr<WatcherState> s) : s_(std::move(s)) {}
  ~WatcherHandle() override { s_->close(); }
  bool next(WatchEvent& out, std::chrono::milliseconds timeout) override {
    return s_->next(out, timeout);
  }
  bool closed() const override { return s_->drained_and_closed(); }
  void stop() override { s_->close(); }

 private:
  std::shared_ptr<WatcherState> s_;
};

class CacheImpl : public WatchCache {
 public:
  CacheImpl(std::unique_ptr<Backend> backend, size_t window,
            std::vector<std::pair<std::string, AttrExtractor>> extractors)
      : backend_(std::move(backend)), window_(window) {
    for (auto& [prefix, ex] : extractors) extractors_[prefix] = std::move(ex);
    load();
    dispatcher_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "kapi-watch-fan");
      dispatch_loop();
    });
  }
  ~CacheImpl() override { shutdown(); }

  void set_extractor(const std::string& prefix, AttrExtractor extractor) override {
    std::unique_lock lk(mu_);
    extractors_[prefix] = std::move(extractor);
    // Objects are immutable (readers may hold them): re-extract into new versions, once each.
    std::unordered_map<const CachedObject*, ObjectPtr> redone;
    auto redo = [&](const ObjectPtr& o) -> ObjectPtr {
      if (!o || !has_prefix(o->key, prefix)) return o;
      auto [it, fresh] = redone.try_emplace(o.get());
      if (fresh) it->second = make_object(o->key, o->value, o->create_revision, o->mod_revision);
      return it->second;
    };
    std::vector<ObjectPtr> range;
    const std::string end = prefix_end(prefix);
    auto first = objects_.lower_bound(prefix);
    auto last = end.empty() ? objects_.end() : objects_.lower_bound(end);
    for (auto it = first; it != last; ++it) range.push_back(redo(it->second));
    objects_.erase(first, last);  // the keys are views into the old objects: re-insert
    for (auto& o : range) objects_.emplace_hint(objects_.end(), o->key, o);
    for (auto& e : ring_) {
      e.object = redo(e.object);
      e.prev = redo(e.prev);
    }
  }

  Backend& backend() override { return *backend_; }

  ObjectPtr get(const std::string& key) override {
    std::shared_lock lk(mu_);
    auto it = objects_.find(key);
    return it == objects_.end() ? nullptr : it->second;
  }

  Result<CacheListResult> list(const ListOptions& opts) override {
    std::shared_lock lk(mu_);
    CacheListResult out;
    out.revision = opts.revision ? opts.revision : revision_;
    if (out.revision > revision_)
      return Error{Code::kFutureRevision,
                   "too large resource version: " + std::to_string(out.revision) +
                       ", current: " + std::to_string(revision_),
                   revision_};
    if (out.revision < window_start_) return too_old(out.revision, window_start_);
    const std::string begin = range_begin(opts.prefix, opts.start_key), end = prefix_end(opts.prefix);
    auto in_range = [&](std::string_view k) { return end.empty() || k < end; };
    // At an older revision: the state of every key written since, found by walking the ring
    // back (the oldest later event's prev wins; null = absent then).
    std::map<std::string_view, ObjectPtr> overlay;
    for (auto it = ring_.rbegin(); it != ring_.rend() && it->revision > out.revision; ++it) {
      std::string_view k = it->object->key;
      if (k >= begin && in_range(k)) overlay[k] = it->prev;
    }
    auto emit = [&](const ObjectPtr& o) {
      if (!o || !matches(opts.filter, *o)) return;
      if (opts.limit > 0 && static_cast<int64_t>(out.items.size()) == opts.limit) {
        if (out.continue_key.empty()) out.continue_key = o->key;
        ++out.remaining;
        return;
      }
      out.items.push_back(o);
    };
    auto a = objects_.lower_bound(begin);
    auto b = overlay.begin();
    for (;;) {
      bool a_ok = a != objects_.end() && in_range(a->first), b_ok = b != overlay.end();
      if (!a_ok && !b_ok) break;
      if (b_ok && (!a_ok || b->first <= a->first)) {
        if (a_ok && a->first == b->first) ++a;
        emit(b->second);
        ++b;
      } else {
        emit(a->second);
        ++a;
      }
    }
    return out;
  }

  std::shared_ptr<Watcher> watch(const std::string& prefix, int64_t from_revision, Filter filter,
                                 size_t buffer) override {
    auto w = std::make_shared<WatcherState>(prefix, std::move(filter), buffer);
    auto handle = std::make_shared<WatcherHandle>(w);
    std::unique_lock lk(mu_);
    if (shut_) {
      w->close();
      return handle;
    }
    if (from_revision == 0) {
      const std::string end = prefix_end(prefix);
      for (auto it = objects_.lower_bound(prefix);
           it != objects_.end() && (end.empty() || it->first < end); ++it) {
        if (!matches(w->filter(), *it->second)) continue;
        WatchEvent ev;
        ev.type = WatchEvent::Type::kAdded;
        ev.object = it->second;
        ev.revision = it->second->mod_revision;
        w->push_initial(std::move(ev));
      }
      w->set_start(revision_);
    } else if (from_revision < window_start_) {
      WatchEvent ev;
      ev.type = WatchEvent::Type::kError;
      ev.revision = revision_;
      ev.error = too_old(from_revision, window_start_);
      w->push_initial(std::move(ev));
      w->close();
      return handle;
    } else {
      auto it = std::upper_bound(ring_.begin(), ring_.end(), from_revision,
                                 [](int64_t r, const RingEvent& e) { return r < e.revision; });
      for (; it != ring_.end(); ++it) {
        if (!has_prefix(it->object->key, prefix)) continue;
        if (auto ev = filtered(*it, w->filter())) w->push_initial(std::move(*ev));
      }
      w->set_start(std::max(from_revision, revision_));
    }
    watchers_.push_back(w);
    return handle;
  }

  int64_t revision() override { return revision_atomic_.load(); }

  void shutdown() override {
    backend_->set_event_sink(nullptr);  // outside mu_: a sink call in progress may wait for it
    std::vector<std::shared_ptr<WatcherState>> ws;
    {
      std::unique_lock lk(mu_);
      shut_ = true;
      ws.swap(watchers_);
    }
    {
      std::lock_guard dl(dispatch_mu_);
      dispatch_stop_ = true;
    }
    dispatch_cv_.notify_all();
    if (dispatcher_.joinable() && dispatcher_.get_id() != std::this_thread::get_id()) dispatcher_.join();
    for (auto& w : ws) w->close();
  }

 private:
  ObjectPtr make_object(std::string key, std::string value, int64_t create_rev, int64_t mod_rev) const {
    auto o = std::make_shared<CachedObject>();
    o->key = std::move(key);
    o->value = std::move(value);
    o->create_revision = create_rev;
    o->mod_revision = mod_rev;
    if (const AttrExtractor* ex = extractor_for(o->key)) {
      try {
        (*ex)(*o);
      } catch (...) {
        // An unparsable object still caches (selectors just see no labels/fields).
        o->labels.clear();
        o->fields.clear();
      }
    }
    return o;
  }

  // The version a delete leaves in events: the last one, at the delete's revision. Labels and
  // fields are the last version's (no re-extraction); derived encodings are not shared.
  static ObjectPtr deleted_version(const CachedObject& last, int64_t revision) {
    auto o = std::make_shared<CachedObject>();
    o->key = last.key;
    o->value = last.value;
    o->create_revision = last.create_revision;
    o->mod_revision = revision;
    o->labels = last.labels;
    o->fields = last.fields;
    return o;
  }

  const AttrExtractor* extractor_for(const std::string& key) const {
    const AttrExtractor* best = nullptr;
    size_t best_len = 0;
    for (auto& [prefix, ex] : extractors_) {
      if (ex && has_prefix(key, prefix) && (!best || prefix.size() >= best_len)) {
        best = &ex;
        best_len = prefix.size();
      }
    }
    return best;
  }

  void load() {
    // Subscribe first, buffering: events committed from now on are applied after the list
    // (those the list already reflects are skipped by revision). No cache lock is held while
    // calling the backend, so lock order is always backend -> cache.
    {
      std::lock_guard pl(pending_mu_);
      loading_ = true;
    }
    backend_->set_event_sink([this](const std::vector<Event>& evs) { on_events(evs); });
    std::optional<Result<ListResult>> all;
    for (int attempt = 0; attempt < 3; ++attempt) {
      all.emplace(backend_->list("", "", 0, 0));
      if (all->ok()) break;
    }
    if (!all->ok()) {
      backend_->set_event_sink(nullptr);
      throw std::runtime_error("watch cache: initial list failed: " + all->error().message);
    }
    int64_t list_rev = all->value().revision;
    int64_t compacted = backend_->compacted_revision();
    std::optional<Result<std::vector<Event>>> history;
    int64_t from = std::max(list_rev - static_cast<int64_t>(window_), compacted);
    if (window_ > 0 && from < list_rev) history.emplace(backend_->events_since("", from));
    {
      std::unique_lock lk(mu_);
      for (KeyValue& kv : all->value().items) {
        auto o = make_object(std::move(kv.key), std::move(kv.value), kv.create_revision,
                             kv.mod_revision);
        objects_.emplace_hint(objects_.end(), o->key, o);
      }
      revision_ = list_rev;
      revision_atomic_ = revision_;
      window_start_ = revision_;
      all.reset();
      // Best effort: without history the window starts now.
      if (history && history->ok()) prefill_ring(from, history->value());
    }
    std::lock_guard pl(pending_mu_);
    apply_events(pending_);
    pending_.clear();
    loading_ = false;
  }

  // Loads the last `window` events of the backend's history (events after `from`), so that a
  // watch resuming from a revision before a restart can continue.
  void prefill_ring(int64_t from, const std::vector<Event>& evs) {
    // One object per (key, mod_revision): consecutive events share versions, and the latest
    // versions are the ones in objects_.
    std::map<std::pair<std::string_view, int64_t>, ObjectPtr> versions;
    auto version = [&](const KeyValue& kv) -> ObjectPtr {
      auto it = objects_.find(kv.key);
      if (it != objects_.end() && it->second->mod_revision == kv.mod_revision) return it->second;
      auto& slot = versions[{kv.key, kv.mod_revision}];
      if (!slot) slot = make_object(kv.key, kv.value, kv.create_revision, kv.mod_revision);
      return slot;
    };
    for (const Event& ev : evs) {
      if (ev.revision() > revision_) break;  // comes through the sink
      RingEvent re;
      re.revision = ev.revision();
      if (ev.prev) re.prev = version(*ev.prev);
      if (ev.type == Event::Type::kDelete) {
        re.type = WatchEvent::Type::kDeleted;
        re.object = re.prev ? deleted_version(*re.prev, re.revision)
                            : make_object(ev.kv.key, ev.kv.value, ev.kv.create_revision, re.revision);
      } else {
        re.type = re.prev ? WatchEvent::Type::kModified : WatchEvent::Type::kAdded;
        re.object = version(ev.kv);
      }
      ring_.push_back(std::move(re));
    }
    window_start_ = from;
    trim_ring();
  }

  void trim_ring() {
    while (ring_.size() > window_) {
      window_start_ = ring_.front().revision;
      ring_.pop_front();
    }
  }

  // The backend's sink (calls are serialized by the backend).
  void on_events(const std::vector<Event>& evs) {
    {
      std::lock_guard pl(pending_mu_);
      if (loading_) {
        pending_.insert(pending_.end(), evs.begin(), evs.end());
        return;
      }
    }
    apply_events(evs);
  }

  void apply_events(const std::vector<Event>& evs) {
    std::vector<RingEvent> fresh;
    // New versions are built (extractors may parse JSON) before the exclusive section, so
    // lists are not held up by it.
    std::vector<ObjectPtr> built(evs.size());
    {
      std::shared_lock lk(mu_);
      for (size_t i = 0; i < evs.size(); ++i) {
        const KeyValue& kv = evs[i].kv;
        if (evs[i].type == Event::Type::kPut && kv.mod_revision > revision_)
          built[i] = make_object(kv.key, kv.value, kv.create_revision, kv.mod_revision);
      }
    }
    {
      std::unique_lock lk(mu_);
      if (shut_) return;
      for (size_t i = 0; i < evs.size(); ++i) {
        const Event& ev = evs[i];
        if (ev.revision() <= revision_) continue;  // already in the initial list
        RingEvent re;
        re.revision = ev.revision();
        auto it = objects_.find(ev.kv.key);
        if (it != objects_.end())
          re.prev = it->second;  // the cached version: shared, not rebuilt
        else if (ev.prev)
          re.prev = make_object(ev.prev->key, ev.prev->value, ev.prev->create_revision,
                                ev.prev->mod_revision);
        if (ev.type == Event::Type::kDelete) {
          re.type = WatchEvent::Type::kDeleted;
          re.object = re.prev ? deleted_version(*re.prev, re.revision)
                              : make_object(ev.kv.key, ev.kv.value, ev.kv.create_revision, re.revision);
          if (it != objects_.end()) objects_.erase(it);
        } else {
          re.type = re.prev ? WatchEvent::Type::kModified : WatchEvent::Type::kAdded;
          re.object = built[i] ? std::move(built[i])
                               : make_object(ev.kv.key, ev.kv.value, ev.kv.create_revision,
                                             ev.kv.mod_revision);
          auto hint = it != objects_.end() ? objects_.erase(it) : objects_.lower_bound(re.object->key);
          objects_.emplace_hint(hint, re.object->key, re.object);  // key: a view into the object
        }
        revision_ = re.revision;
        ring_.push_back(re);
        trim_ring();
        fresh.push_back(std::move(re));
      }
      revision_atomic_ = revision_;
    }
    if (fresh.empty()) return;
    {
      std::lock_guard dl(dispatch_mu_);
      dispatch_q_.insert(dispatch_q_.end(), std::make_move_iterator(fresh.begin()),
                         std::make_move_iterator(fresh.end()));
    }
    dispatch_cv_.notify_one();
  }

  // Fans events out to the watchers off the committing thread, so neither a write's latency
  // nor the writer's throughput depends on how many watchers there are. Events that pile up
  // while a round runs go out together in the next one (one wake-up per watcher per round).
  void dispatch_loop() {
    std::vector<RingEvent> batch;
    std::vector<std::shared_ptr<WatcherState>> ws;
    for (;;) {
      {
        std::unique_lock dl(dispatch_mu_);
        dispatch_cv_.wait(dl, [&] { return !dispatch_q_.empty() || dispatch_stop_; });
        if (dispatch_stop_) return;
        batch.swap(dispatch_q_);
      }
      {
        std::unique_lock lk(mu_);
        std::erase_if(watchers_, [](const auto& w) { return w->is_closed(); });
        ws = watchers_;
      }
      for (auto& w : ws) w->offer(batch);
      ws.clear();
      batch.clear();
    }
  }

  std::unique_ptr<Backend> backend_;  // first: destroyed last
  const size_t window_;
  std::shared_mutex mu_;
  std::map<std::string, AttrExtractor> extractors_;
  std::map<std::string_view, ObjectPtr> objects_;  // keys view each object's own key
  std::deque<RingEvent> ring_;
  int64_t revision_ = 0;
  int64_t window_start_ = 0;  // ring_ holds every event after this revision
  std::atomic<int64_t> revision_atomic_{0};
  std::vector<std::shared_ptr<WatcherState>> watchers_;
  bool shut_ = false;
  std::mutex pending_mu_;  // guards the two below; taken before mu_
  bool loading_ = false;
  std::vector<Event> pending_;  // events that arrived during load()
  std::mutex dispatch_mu_;       // guards the two below
  std::condition_variable dispatch_cv_;
  std::vector<RingEvent> dispatch_q_;  // applied, not yet handed to the watchers
  bool dispatch_stop_ = false;
  std::thread dispatcher_;
};

}  // namespace

std::unique_ptr<WatchCache> new_watch_cache(std::unique_ptr<Backend> backend, size_t window,
                                            std::vector<std::pair<std::string, AttrExtractor>> extractors) {
  return std::make_unique<CacheImpl>(std::move(backend), window, std::move(extractors));
}

}  // namespace kapi::storage
