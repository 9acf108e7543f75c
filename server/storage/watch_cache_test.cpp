// The watch cache: lists from memory (latest and at a revision in the window), watches (initial
// state, resume, too old, filters, slow-watcher eviction), derived encodings, memory per object.
#include <gtest/gtest.h>
#include <malloc.h>

#include <atomic>
#include <thread>

#include "server/storage/storage.h"
#include "server/storage/test_util.h"

namespace kapi::storage {
namespace {

using namespace std::chrono_literals;
using testing::code_of;
using testing::TempDir;

// Values look like "<label>:<payload>"; the extractor puts <label> in labels["app"].
void app_label(CachedObject& o) {
  auto colon = o.value.find(':');
  if (colon != std::string::npos) o.labels.emplace_back("app", o.value.substr(0, colon));
}
bool is_web(const CachedObject& o) { return !o.labels.empty() && o.labels[0].second == "web"; }

std::unique_ptr<WatchCache> memory_cache(size_t window = 1000) {
  return new_watch_cache(new_memory_backend(), window, {{"/", app_label}});
}

std::vector<WatchEvent> drain(Watcher& w, size_t want, std::chrono::milliseconds timeout = 2s) {
  std::vector<WatchEvent> out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  WatchEvent ev;
  while (out.size() < want && std::chrono::steady_clock::now() < deadline)
    if (w.next(ev, 20ms)) out.push_back(ev);
  return out;
}

std::string types(const std::vector<WatchEvent>& evs) {
  std::string s;
  for (auto& e : evs) {
    static const char* names[] = {"A", "M", "D", "B", "E"};
    s += names[static_cast<int>(e.type)];
    if (e.object) s += e.object->key;
    s += " ";
  }
  return s;
}

TEST(WatchCache, LoadsExistingStateAndServesGetsAndLists) {
  auto backend = new_memory_backend();
  ASSERT_TRUE(backend->create("/p/a", "web:1").ok());
  ASSERT_TRUE(backend->create("/p/b", "db:1").ok());
  auto cache = new_watch_cache(std::move(backend), 100, {{"/p/", app_label}});
  EXPECT_EQ(cache->revision(), 3);
  auto a = cache->get("/p/a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->value, "web:1");
  ASSERT_EQ(a->labels.size(), 1u);
  EXPECT_EQ(a->labels[0].second, "web");
  EXPECT_FALSE(cache->get("/p/zz"));
  // Writes go through the backend and are visible in the cache when they return.
  auto c = cache->backend().create("/p/c", "web:2");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(cache->revision(), c->mod_revision);
  EXPECT_EQ(cache->get("/p/c")->mod_revision, 4);
  ListOptions lo;
  lo.prefix = "/p/";
  lo.filter = is_web;
  auto l = cache->list(lo);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->items.size(), 2u);
  EXPECT_EQ(l->items[0]->key, "/p/a");
  EXPECT_EQ(l->items[1]->key, "/p/c");
  EXPECT_EQ(l->revision, 4);
  EXPECT_EQ(l->items[0].get(), cache->get("/p/a").get()) << "lists share the cached object";
}

TEST(WatchCache, ListPagesAndAtRevisionInWindow) {
  auto cache = memory_cache(1000);
  Backend& b = cache->backend();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(b.create("/l/" + std::to_string(i), "v:0").ok());  // 2..11
  int64_t r11 = cache->revision();
  ASSERT_TRUE(b.update("/l/3", "v:1", 0).ok());  // 12
  ASSERT_TRUE(b.remove("/l/5", 0).ok());         // 13
  ASSERT_TRUE(b.create("/l/55", "v:0").ok());    // 14
  ListOptions lo;
  lo.prefix = "/l/";
  lo.limit = 4;
  auto p1 = cache->list(lo);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->items.size(), 4u);
  EXPECT_EQ(p1->continue_key, "/l/4");
  EXPECT_EQ(p1->remaining, 6);
  // At revision 11: the state before the last three writes, paged.
  lo.revision = r11;
  std::vector<ObjectPtr> all;
  std::string start;
  do {
    lo.start_key = start;
    auto p = cache->list(lo);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->revision, r11);
    all.insert(all.end(), p->items.begin(), p->items.end());
    start = p->continue_key;
  } while (!start.empty());
  ASSERT_EQ(all.size(), 10u);
  EXPECT_EQ(all[3]->key, "/l/3");
  EXPECT_EQ(all[3]->value, "v:0");
  EXPECT_EQ(all[5]->key, "/l/5");
  lo.revision = 12;
  lo.limit = 0;
  lo.start_key = "";
  auto at12 = cache->list(lo);
  ASSERT_TRUE(at12.ok());
  EXPECT_EQ(at12->items.size(), 10u);
  EXPECT_EQ(at12->items[3]->value, "v:1");
  lo.revision = 99;
  EXPECT_EQ(code_of(cache->list(lo)), Code::kFutureRevision);
}

TEST(WatchCache, ListOlderThanWindowIsExpired) {
  auto cache = memory_cache(3);
  Backend& b = cache->backend();
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(b.create("/w/" + std::to_string(i), "v:0").ok());  // 2..7
  ListOptions lo;
  lo.revision = 4;  // window holds 5,6,7: revision 4 is still known (oldest - 1)
  EXPECT_TRUE(cache->list(lo).ok());
  lo.revision = 3;
  auto r = cache->list(lo);
  ASSERT_EQ(code_of(r), Code::kExpired);
  EXPECT_EQ(r.error().message, "too old resource version: 3 (4)");
}

TEST(WatchCache, WatchFromZeroSendsStateThenChangesInOrder) {
  auto cache = memory_cache();
  Backend& b = cache->backend();
  ASSERT_TRUE(b.create("/w/a", "web:1").ok());
  ASSERT_TRUE(b.create("/w/b", "web:1").ok());
  ASSERT_TRUE(b.create("/x/c", "web:1").ok());
  auto w = cache->watch("/w/", 0, nullptr);
  ASSERT_TRUE(b.update("/w/a", "web:2", 0).ok());
  ASSERT_TRUE(b.create("/x/d", "web:1").ok());
  ASSERT_TRUE(b.remove("/w/b", 0).ok());
  auto evs = drain(*w, 4);
  EXPECT_EQ(types(evs), "A/w/a A/w/b M/w/a D/w/b ");
  ASSERT_EQ(evs.size(), 4u);
  EXPECT_EQ(evs[2].prev->value, "web:1");
  EXPECT_EQ(evs[2].object->value, "web:2");
  EXPECT_EQ(evs[3].object->mod_revision, 7);
  EXPECT_EQ(evs[3].revision, 7);
  EXPECT_EQ(evs[3].object->value, "web:1");
  WatchEvent ev;
  EXPECT_FALSE(w->next(ev, 10ms));
  EXPECT_FALSE(w->closed());
  w->stop();
  EXPECT_FALSE(w->next(ev, 10ms));
  EXPECT_TRUE(w->closed());
}

TEST(WatchCache, WatchResumesFromRevision) {
  auto cache = memory_cache();
  Backend& b = cache->backend();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(b.create("/r/" + std::to_string(i), "web:1").ok());  // 2..6
  auto w = cache->watch("/r/", 4, nullptr);
  ASSERT_TRUE(b.create("/r/9", "web:1").ok());  // 7
  auto evs = drain(*w, 3);
  ASSERT_EQ(evs.size(), 3u);
  EXPECT_EQ(evs[0].revision, 5);
  EXPECT_EQ(evs[1].revision, 6);
  EXPECT_EQ(evs[2].revision, 7);
  // A revision in the future: only what comes after it.
  auto future = cache->watch("/r/", 8, nullptr);
  ASSERT_TRUE(b.create("/r/10", "web:1").ok());  // 8: skipped
  ASSERT_TRUE(b.create("/r/11", "web:1").ok());  // 9
  auto fe = drain(*future, 1);
  ASSERT_EQ(fe.size(), 1u);
  EXPECT_EQ(fe[0].revision, 9);
}

TEST(WatchCache, WatchOlderThanWindowGetsExpiredErrorAndCloses) {
  auto cache = memory_cache(2);
  Backend& b = cache->backend();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(b.create("/o/" + std::to_string(i), "v:1").ok());  // 2..6
  auto w = cache->watch("/o/", 2, nullptr);
  WatchEvent ev;
  ASSERT_TRUE(w->next(ev, 100ms));
  EXPECT_EQ(ev.type, WatchEvent::Type::kError);
  EXPECT_EQ(ev.error.code, Code::kExpired);
  EXPECT_EQ(ev.error.message, "too old resource version: 2 (4)");
  EXPECT_FALSE(w->next(ev, 10ms));
  EXPECT_TRUE(w->closed());
  auto ok = cache->watch("/o/", 4, nullptr);
  EXPECT_EQ(drain(*ok, 2).size(), 2u);
}

TEST(WatchCache, FilterTransitionsBecomeAddedAndDeleted) {
  auto cache = memory_cache();
  Backend& b = cache->backend();
  ASSERT_TRUE(b.create("/f/a", "db:1").ok());
  auto w = cache->watch("/f/", 0, is_web);
  ASSERT_TRUE(b.update("/f/a", "db:2", 0).ok());   // neither: skipped
  ASSERT_TRUE(b.update("/f/a", "web:3", 0).ok());  // enters: ADDED
  ASSERT_TRUE(b.update("/f/a", "web:4", 0).ok());  // MODIFIED
  ASSERT_TRUE(b.update("/f/a", "db:5", 0).ok());   // leaves: DELETED with the new object
  ASSERT_TRUE(b.remove("/f/a", 0).ok());           // not matching: skipped
  ASSERT_TRUE(b.create("/f/b", "web:1").ok());
  ASSERT_TRUE(b.remove("/f/b", 0).ok());
  auto evs = drain(*w, 5);
  EXPECT_EQ(types(evs), "A/f/a M/f/a D/f/a A/f/b D/f/b ");
  ASSERT_EQ(evs.size(), 5u);
  EXPECT_EQ(evs[0].object->value, "web:3");
  EXPECT_FALSE(evs[0].prev);
  EXPECT_EQ(evs[2].object->value, "db:5");
  EXPECT_EQ(evs[2].prev->value, "web:4");
  // Resuming replays with the same filter semantics.
  auto replay = cache->watch("/f/", 3, is_web);
  EXPECT_EQ(types(drain(*replay, 5)), "A/f/a M/f/a D/f/a A/f/b D/f/b ");
}

TEST(WatchCache, SlowWatcherIsEvictedOthersUnaffected) {
  auto cache = memory_cache();
  Backend& b = cache->backend();
  auto slow = cache->watch("/e/", 0, nullptr, 5);
  auto fast = cache->watch("/e/", 0, nullptr, 100);
  std::atomic<int> got{0};
  std::thread reader([&] {
    WatchEvent ev;
    while (got < 50)
      if (fast->next(ev, 1s)) ++got;
      else if (fast->closed()) break;
  });
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(b.create("/e/" + std::to_string(i), "v:1").ok());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s) << "writers must not wait for watchers";
  reader.join();
  EXPECT_EQ(got, 50);
  EXPECT_FALSE(fast->closed());
  // The slow one got the first `buffer` events, then was closed.
  auto evs = drain(*slow, 100, 200ms);
  EXPECT_EQ(evs.size(), 5u);
  EXPECT_TRUE(slow->closed());
}

TEST(WatchCache, ShutdownClosesWatchers) {
  auto cache = memory_cache();
  auto w = cache->watch("", 0, nullptr);
  cache->shutdown();
  WatchEvent ev;
  EXPECT_FALSE(w->next(ev, 10ms));
  EXPECT_TRUE(w->closed());
  auto late = cache->watch("", 0, nullptr);
  EXPECT_FALSE(late->next(ev, 10ms));
  EXPECT_TRUE(late->closed());
}

TEST(WatchCache, WatchersShareEventObjects) {
  auto cache = memory_cache();
  auto w1 = cache->watch("/s/", 0, nullptr);
  auto w2 = cache->watch("/s/", 0, nullptr);
  ASSERT_TRUE(cache->backend().create("/s/a", "v:1").ok());
  auto e1 = drain(*w1, 1), e2 = drain(*w2, 1);
  ASSERT_EQ(e1.size(), 1u);
  ASSERT_EQ(e2.size(), 1u);
  EXPECT_EQ(e1[0].object.get(), e2[0].object.get());
  EXPECT_EQ(e1[0].object.get(), cache->get("/s/a").get());
}

TEST(WatchCache, DerivedIsComputedOncePerSlot) {
  auto cache = memory_cache();
  ASSERT_TRUE(cache->backend().create("/d/a", "v:1").ok());
  ObjectPtr o = cache->get("/d/a");
  std::atomic<int> calls{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        const std::string& s = o->derived(1, [&] {
          ++calls;
          std::this_thread::sleep_for(1ms);
          return std::string("table-row");
        });
        if (s != "table-row") ++calls;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(o->derived(2, [] { return std::string("proto"); }), "proto");
  EXPECT_EQ(o->derived(1, [] { return std::string("other"); }), "table-row");
  EXPECT_THROW(o->derived(8, [] { return std::string(); }), std::out_of_range);
}

TEST(WatchCache, SetExtractorReextractsLoadedObjects) {
  auto backend = new_memory_backend();
  ASSERT_TRUE(backend->create("/x/a", "web:1").ok());
  auto cache = new_watch_cache(std::move(backend), 100);
  EXPECT_TRUE(cache->get("/x/a")->labels.empty());
  cache->set_extractor("/x/", app_label);
  ASSERT_EQ(cache->get("/x/a")->labels.size(), 1u);
  ListOptions lo;
  lo.filter = is_web;
  EXPECT_EQ(cache->list(lo)->items.size(), 1u);
}

// A watch can resume across a restart: the cache reloads recent history from the store.
TEST(WatchCache, ResumeAfterRestartFromSqliteHistory) {
  TempDir dir;
  int64_t seen = 0;
  {
    auto cache = new_watch_cache(testing::must_open_sqlite(dir.path()), 100, {{"/", app_label}});
    ASSERT_TRUE(cache->backend().create("/z/a", "web:1").ok());
    seen = cache->revision();
    ASSERT_TRUE(cache->backend().update("/z/a", "web:2", 0).ok());
    ASSERT_TRUE(cache->backend().create("/z/b", "db:1").ok());
  }
  auto cache = new_watch_cache(testing::must_open_sqlite(dir.path()), 100, {{"/", app_label}});
  auto w = cache->watch("/z/", seen, is_web);
  ASSERT_TRUE(cache->backend().update("/z/b", "web:2", 0).ok());
  auto evs = drain(*w, 2);
  EXPECT_EQ(types(evs), "M/z/a A/z/b ");
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].prev.get() != nullptr, true);
  EXPECT_EQ(evs[0].object.get(), cache->get("/z/a").get()) << "history shares current versions";
  ListOptions lo;
  lo.revision = seen;
  auto old = cache->list(lo);
  ASSERT_TRUE(old.ok()) << old.error().message;
  ASSERT_EQ(old->items.size(), 1u);
  EXPECT_EQ(old->items[0]->value, "web:1");
}

// Events reach the cache in revision order under concurrent writers; the cache's view equals
// the backend's.
TEST(WatchCache, ConcurrentWritersKeepCacheConsistent) {
  TempDir dir;
  auto cache = new_watch_cache(testing::must_open_sqlite(dir.path()), 10000);
  auto w = cache->watch("", 0, nullptr, 100000);
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        std::string k = "/c/" + std::to_string(t) + "/" + std::to_string(i % 5);
        if (!cache->backend().update(k, std::to_string(i), 0).ok()) (void)cache->backend().create(k, std::to_string(i));
      }
    });
  }
  for (auto& t : ts) t.join();
  auto evs = drain(*w, 240);
  ASSERT_EQ(evs.size(), 240u);
  for (size_t i = 1; i < evs.size(); ++i) ASSERT_EQ(evs[i].revision, evs[i - 1].revision + 1);
  auto l = cache->list({});
  auto bl = cache->backend().list("", "", 0);
  ASSERT_EQ(l->items.size(), bl->items.size());
  for (size_t i = 0; i < bl->items.size(); ++i) {
    EXPECT_EQ(l->items[i]->key, bl->items[i].key);
    EXPECT_EQ(l->items[i]->value, bl->items[i].value);
    EXPECT_EQ(l->items[i]->mod_revision, bl->items[i].mod_revision);
  }
}

// Memory: a stored 1.5 KB object costs <= 5 KB in the cache; 100k-object lists are fast.
TEST(WatchCache, MemoryPerObjectAndLargeListSpeed) {
  constexpr int kObjects = 100000;
  auto backend = new_memory_backend();
  std::string value(1500, 'x');
  for (int i = 0; i < kObjects; ++i) {
    char key[64];
    snprintf(key, sizeof key, "/registry/pods/ns-%02d/pod-%06d", i % 50, i);
    ASSERT_TRUE(backend->create(key, "web:" + value).ok());
  }
  malloc_trim(0);
  size_t before = mallinfo2().uordblks;
  auto cache = new_watch_cache(std::move(backend), 100000, {{"/registry/", app_label}});
  malloc_trim(0);
  size_t after = mallinfo2().uordblks;
  double per_object = static_cast<double>(after - before) / kObjects;
  std::cout << "[ info ] cache bytes per 1.5 KB object: " << per_object << "\n";
  EXPECT_LE(per_object, 5000);

  auto t0 = std::chrono::steady_clock::now();
  ListOptions lo;
  lo.prefix = "/registry/pods/";
  auto l = cache->list(lo);
  auto dt = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->items.size(), static_cast<size_t>(kObjects));
  std::cout << "[ info ] list of 100k from the cache: "
            << std::chrono::duration<double, std::milli>(dt).count() << " ms\n";
  EXPECT_LT(dt, 1s);
}

}  // namespace
}  // namespace kapi::storage
