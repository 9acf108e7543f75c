// The conformance suite: every Backend operation and error, run against both backends (the
// memory one is the reference the SQLite one must agree with).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "server/storage/storage.h"
#include "server/storage/test_util.h"

namespace kapi::storage {
namespace {

using testing::code_of;
using testing::TempDir;

class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { b_ = make(); }
  std::unique_ptr<Backend> make() {
    if (GetParam() == "memory") return new_memory_backend();
    return testing::must_open_sqlite(dir_.path());
  }
  TempDir dir_;
  std::unique_ptr<Backend> b_;
};

INSTANTIATE_TEST_SUITE_P(Backends, BackendTest, ::testing::Values("memory", "sqlite"),
                         [](const auto& info) { return info.param; });

TEST_P(BackendTest, EmptyStoreStartsAtRevisionOne) {
  EXPECT_EQ(b_->current_revision(), 1);
  EXPECT_EQ(b_->compacted_revision(), 0);
  auto l = b_->list("", "", 0);
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->items.empty());
  EXPECT_EQ(l->revision, 1);
}

TEST_P(BackendTest, CreateAndGet) {
  auto c = b_->create("/a", "v1");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->key, "/a");
  EXPECT_EQ(c->value, "v1");
  EXPECT_EQ(c->create_revision, 2);
  EXPECT_EQ(c->mod_revision, 2);
  EXPECT_EQ(b_->current_revision(), 2);
  auto g = b_->get("/a");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->value, "v1");
  EXPECT_EQ(g->mod_revision, 2);
  EXPECT_EQ(g->create_revision, 2);
}

TEST_P(BackendTest, CreateExistingIsAlreadyExists) {
  ASSERT_TRUE(b_->create("/a", "v1").ok());
  auto c = b_->create("/a", "v2");
  EXPECT_EQ(code_of(c), Code::kAlreadyExists);
  EXPECT_EQ(c.error().current_revision, 2);
  EXPECT_EQ(b_->current_revision(), 2);
  EXPECT_EQ(b_->get("/a")->value, "v1");
}

TEST_P(BackendTest, GetMissingIsNotFound) {
  EXPECT_EQ(code_of(b_->get("/nope")), Code::kNotFound);
}

TEST_P(BackendTest, UpdateUnconditionalAndGuarded) {
  ASSERT_TRUE(b_->create("/a", "v1").ok());
  auto u = b_->update("/a", "v2", 0);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->mod_revision, 3);
  EXPECT_EQ(u->create_revision, 2);
  auto g = b_->update("/a", "v3", 3);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->mod_revision, 4);
  auto stale = b_->update("/a", "v4", 3);
  EXPECT_EQ(code_of(stale), Code::kConflict);
  EXPECT_EQ(stale.error().current_revision, 4);
  EXPECT_EQ(b_->get("/a")->value, "v3");
  EXPECT_EQ(code_of(b_->update("/missing", "x", 0)), Code::kNotFound);
  EXPECT_EQ(code_of(b_->update("/missing", "x", 3)), Code::kNotFound);
  EXPECT_EQ(b_->current_revision(), 4);
}

TEST_P(BackendTest, RemoveReturnsLastValueAtDeleteRevision) {
  ASSERT_TRUE(b_->create("/a", "v1").ok());
  EXPECT_EQ(code_of(b_->remove("/a", 99)), Code::kConflict);
  auto r = b_->remove("/a", 2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value, "v1");
  EXPECT_EQ(r->mod_revision, 3);
  EXPECT_EQ(r->create_revision, 2);
  EXPECT_EQ(code_of(b_->get("/a")), Code::kNotFound);
  EXPECT_EQ(code_of(b_->remove("/a", 0)), Code::kNotFound);
  auto again = b_->create("/a", "v2");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->create_revision, 4);
}

TEST_P(BackendTest, TooLargeValueIsRejected) {
  std::string big(kDefaultMaxValueBytes + 1, 'x');
  EXPECT_EQ(code_of(b_->create("/big", big)), Code::kTooLarge);
  std::string max(kDefaultMaxValueBytes, 'x');
  ASSERT_TRUE(b_->create("/big", max).ok());
  EXPECT_EQ(code_of(b_->update("/big", big, 0)), Code::kTooLarge);
  EXPECT_EQ(b_->get("/big")->value.size(), kDefaultMaxValueBytes);
}

TEST_P(BackendTest, BinaryAndJsonValuesRoundTrip) {
  std::string bin("a\0b\xff\x01 \"x\"", 10);
  ASSERT_TRUE(b_->create("/bin", bin).ok());
  EXPECT_EQ(b_->get("/bin")->value, bin);
  ASSERT_TRUE(b_->create("/empty", "").ok());
  EXPECT_EQ(b_->get("/empty")->value, "");
}

TEST_P(BackendTest, GetAtRevision) {
  ASSERT_TRUE(b_->create("/a", "v1").ok());    // 2
  ASSERT_TRUE(b_->update("/a", "v2", 0).ok()); // 3
  ASSERT_TRUE(b_->create("/b", "b1").ok());    // 4
  ASSERT_TRUE(b_->remove("/a", 0).ok());       // 5
  EXPECT_EQ(code_of(b_->get("/a", 1)), Code::kNotFound);
  EXPECT_EQ(b_->get("/a", 2)->value, "v1");
  EXPECT_EQ(b_->get("/a", 2)->mod_revision, 2);
  EXPECT_EQ(b_->get("/a", 3)->value, "v2");
  EXPECT_EQ(b_->get("/a", 4)->value, "v2");
  EXPECT_EQ(b_->get("/a", 4)->mod_revision, 3);
  EXPECT_EQ(code_of(b_->get("/a", 5)), Code::kNotFound);
  EXPECT_EQ(code_of(b_->get("/b", 3)), Code::kNotFound);
  EXPECT_EQ(b_->get("/b", 5)->value, "b1");
  EXPECT_EQ(code_of(b_->get("/a", 6)), Code::kFutureRevision);
}

TEST_P(BackendTest, ListPagesWithContinueAndRemaining) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(b_->create("/p/" + std::to_string(i), "v").ok());
  ASSERT_TRUE(b_->create("/pz", "other").ok());
  ASSERT_TRUE(b_->create("/o", "other").ok());
  auto all = b_->list("/p/", "", 0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 10u);
  EXPECT_EQ(all->continue_key, "");
  EXPECT_EQ(all->remaining, 0);
  EXPECT_EQ(all->revision, b_->current_revision());

  std::vector<std::string> seen;
  std::string start;
  int pages = 0;
  int64_t rev = 0;
  do {
    auto page = b_->list("/p/", start, 3, rev);
    ASSERT_TRUE(page.ok());
    rev = page->revision;
    for (auto& kv : page->items) seen.push_back(kv.key);
    EXPECT_EQ(page->remaining, 10 - static_cast<int64_t>(seen.size()));
    start = page->continue_key;
    ++pages;
    ASSERT_TRUE(b_->create("/p/x" + std::to_string(pages), "later").ok());  // not in rev's list
  } while (!start.empty());
  EXPECT_EQ(pages, 4);
  ASSERT_EQ(seen.size(), 10u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.front(), "/p/0");

  auto first = b_->list("/p/", "", 3);
  EXPECT_EQ(first->continue_key, "/p/3");
  EXPECT_EQ(first->remaining, 14 - 3 - 0);  // 10 + 4 later ones
  auto everything = b_->list("", "", 0);
  EXPECT_EQ(everything->items.size(), 16u);
}

TEST_P(BackendTest, ListAtFutureRevisionIsError) {
  EXPECT_EQ(code_of(b_->list("", "", 0, 5)), Code::kFutureRevision);
}

TEST_P(BackendTest, EventsSinceCarryPrevAndCreated) {
  ASSERT_TRUE(b_->create("/a", "v1").ok());    // 2
  ASSERT_TRUE(b_->update("/a", "v2", 2).ok()); // 3
  ASSERT_TRUE(b_->create("/b", "b1").ok());    // 4
  ASSERT_TRUE(b_->remove("/a", 3).ok());       // 5
  auto evs = b_->events_since("", 1);
  ASSERT_TRUE(evs.ok());
  ASSERT_EQ(evs->size(), 4u);
  auto& e = *evs;
  EXPECT_EQ(e[0].type, Event::Type::kPut);
  EXPECT_TRUE(e[0].created);
  EXPECT_FALSE(e[0].prev);
  EXPECT_EQ(e[0].revision(), 2);
  EXPECT_FALSE(e[1].created);
  ASSERT_TRUE(e[1].prev);
  EXPECT_EQ(e[1].prev->value, "v1");
  EXPECT_EQ(e[1].prev->mod_revision, 2);
  EXPECT_EQ(e[1].kv.value, "v2");
  EXPECT_EQ(e[1].kv.create_revision, 2);
  EXPECT_EQ(e[3].type, Event::Type::kDelete);
  EXPECT_EQ(e[3].kv.key, "/a");
  EXPECT_EQ(e[3].kv.value, "v2");
  EXPECT_EQ(e[3].kv.mod_revision, 5);
  EXPECT_EQ(e[3].kv.create_revision, 2);
  ASSERT_TRUE(e[3].prev);
  EXPECT_EQ(e[3].prev->mod_revision, 3);

  auto only_b = b_->events_since("/b", 0);
  ASSERT_TRUE(only_b.ok());
  ASSERT_EQ(only_b->size(), 1u);
  EXPECT_EQ((*only_b)[0].revision(), 4);
  EXPECT_TRUE(b_->events_since("", 5)->empty());
  EXPECT_TRUE(b_->events_since("", 50)->empty());
}

TEST_P(BackendTest, CompactDropsHistoryKeepsValues) {
  ASSERT_TRUE(b_->create("/a", "v1").ok());    // 2
  ASSERT_TRUE(b_->update("/a", "v2", 0).ok()); // 3
  ASSERT_TRUE(b_->create("/b", "b1").ok());    // 4
  ASSERT_TRUE(b_->update("/a", "v3", 0).ok()); // 5
  EXPECT_EQ(code_of(b_->compact(9)), Code::kFutureRevision);
  auto c = b_->compact(4);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, 4);
  EXPECT_EQ(b_->compacted_revision(), 4);
  EXPECT_EQ(code_of(b_->compact(4)), Code::kExpired);
  EXPECT_EQ(code_of(b_->compact(3)), Code::kExpired);
  auto old = b_->get("/a", 3);
  EXPECT_EQ(code_of(old), Code::kExpired);
  EXPECT_EQ(old.error().current_revision, 4);
  EXPECT_EQ(code_of(b_->list("", "", 0, 2)), Code::kExpired);
  EXPECT_EQ(code_of(b_->events_since("", 3)), Code::kExpired);
  // The state at the compacted revision itself is still known.
  EXPECT_EQ(b_->get("/a", 4)->value, "v2");
  auto l = b_->list("", "", 0, 4);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->items.size(), 2u);
  EXPECT_EQ(l->items[0].value, "v2");
  auto evs = b_->events_since("", 4);
  ASSERT_TRUE(evs.ok());
  ASSERT_EQ(evs->size(), 1u);
  EXPECT_EQ((*evs)[0].prev->value, "v2");
  EXPECT_EQ(b_->get("/b")->value, "b1");
  EXPECT_EQ(b_->current_revision(), 5);
  EXPECT_EQ(b_->create("/c", "c")->mod_revision, 6);
}

// Random operations against a model; then every revision's state through get and paged list,
// and the event log through events_since, before and after a compaction.
TEST_P(BackendTest, MatchesModelAtEveryRevision) {
  std::mt19937 rng(42);
  std::map<std::string, KeyValue> state;
  std::map<int64_t, std::map<std::string, KeyValue>> at{{1, {}}};
  int64_t rev = 1;
  std::vector<std::string> keys = {"/m/a", "/m/b", "/m/c", "/m/d", "/m/e", "/n/x", "/m"};
  for (int i = 0; i < 150; ++i) {
    const std::string& k = keys[rng() % keys.size()];
    std::string v = "value-" + std::to_string(i);
    auto it = state.find(k);
    int op = rng() % 4;
    int64_t expected = 0;
    if (rng() % 2 && it != state.end()) expected = it->second.mod_revision - (rng() % 3 == 0);
    Result<KeyValue> r = Error{};
    Code want = Code::kOk;
    if (op == 0) {
      r = b_->create(k, v);
      if (it != state.end()) want = Code::kAlreadyExists;
    } else if (op == 3) {
      r = b_->remove(k, expected);
      if (it == state.end()) want = Code::kNotFound;
      else if (expected && expected != it->second.mod_revision) want = Code::kConflict;
    } else {
      r = b_->update(k, v, expected);
      if (it == state.end()) want = Code::kNotFound;
      else if (expected && expected != it->second.mod_revision) want = Code::kConflict;
    }
    ASSERT_EQ(code_of(r), want) << "op " << i << " on " << k;
    if (want != Code::kOk) continue;
    ++rev;
    ASSERT_EQ(r->mod_revision, rev);
    if (op == 3) {
      state.erase(k);
    } else {
      int64_t create = it == state.end() ? rev : it->second.create_revision;
      state[k] = KeyValue{k, v, create, rev};
    }
    at[rev] = state;
  }
  ASSERT_EQ(b_->current_revision(), rev);

  auto check_from = [&](int64_t from) {
    for (int64_t r = from; r <= rev; ++r) {
      const auto& want = at[r];
      for (const auto& k : keys) {
        auto g = b_->get(k, r);
        auto w = want.find(k);
        if (w == want.end()) {
          ASSERT_EQ(code_of(g), Code::kNotFound) << k << "@" << r;
        } else {
          ASSERT_TRUE(g.ok()) << k << "@" << r;
          ASSERT_EQ(g->value, w->second.value);
          ASSERT_EQ(g->mod_revision, w->second.mod_revision);
          ASSERT_EQ(g->create_revision, w->second.create_revision);
        }
      }
      std::vector<KeyValue> got;
      std::string start;
      do {
        auto page = b_->list("/m", start, 2, r);
        ASSERT_TRUE(page.ok()) << page.error().message;
        ASSERT_EQ(page->revision, r);
        got.insert(got.end(), page->items.begin(), page->items.end());
        int64_t left = 0;
        for (auto& [k, kv] : want) left += k.rfind("/m", 0) == 0 && (got.empty() || k > got.back().key);
        ASSERT_EQ(page->remaining, left);
        start = page->continue_key;
      } while (!start.empty());
      std::vector<KeyValue> expect;
      for (auto& [k, kv] : want)
        if (k.rfind("/m", 0) == 0) expect.push_back(kv);
      ASSERT_EQ(got.size(), expect.size()) << "@" << r;
      for (size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].key, expect[i].key);
        ASSERT_EQ(got[i].value, expect[i].value);
        ASSERT_EQ(got[i].mod_revision, expect[i].mod_revision);
      }
    }
  };
  check_from(1);
  int64_t mid = rev / 2;
  ASSERT_TRUE(b_->compact(mid).ok());
  EXPECT_EQ(code_of(b_->get("/m/a", mid - 1)), Code::kExpired);
  check_from(mid);
  auto evs = b_->events_since("", mid);
  ASSERT_TRUE(evs.ok());
  ASSERT_EQ(static_cast<int64_t>(evs->size()), rev - mid);
  for (size_t i = 0; i < evs->size(); ++i) EXPECT_EQ((*evs)[i].revision(), mid + 1 + static_cast<int64_t>(i));
}

TEST_P(BackendTest, SinkSeesEveryEventInOrderBeforeTheWriteReturns) {
  std::mutex mu;
  std::vector<int64_t> seen;
  b_->set_event_sink([&](const std::vector<Event>& evs) {
    std::lock_guard lk(mu);
    for (auto& e : evs) seen.push_back(e.revision());
  });
  std::atomic<bool> ok{true};
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto r = b_->create("/s/" + std::to_string(t) + "/" + std::to_string(i), "v");
        if (!r.ok()) {
          ok = false;
          continue;
        }
        std::lock_guard lk(mu);
        if (std::find(seen.begin(), seen.end(), r->mod_revision) == seen.end()) ok = false;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_TRUE(ok);
  ASSERT_EQ(seen.size(), 200u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 2 + static_cast<int64_t>(i));
  b_->set_event_sink(nullptr);
  ASSERT_TRUE(b_->create("/after", "v").ok());
  EXPECT_EQ(seen.size(), 200u);
}

// Concurrent creates of one key: each caller gets its own result, exactly one wins.
TEST_P(BackendTest, ConcurrentCreatesOfOneKeyOneWins) {
  std::atomic<int> won{0}, exists{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 16; ++t) {
    ts.emplace_back([&, t] {
      auto r = b_->create("/race", "t" + std::to_string(t));
      if (r.ok()) ++won;
      else if (r.error().code == Code::kAlreadyExists) ++exists;
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(exists, 15);
}

// 8 threads x 200 guarded increments of one counter, retrying on conflict: none is lost.
TEST_P(BackendTest, CasRaceCounterIsExact) {
  ASSERT_TRUE(b_->create("/counter", "0").ok());
  std::atomic<int> conflicts{0}, errors{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        for (;;) {
          auto cur = b_->get("/counter");
          if (!cur.ok()) {
            ++errors;
            return;
          }
          auto next = std::to_string(std::stoi(cur->value) + 1);
          auto u = b_->update("/counter", next, cur->mod_revision);
          if (u.ok()) break;
          if (u.error().code != Code::kConflict) {
            ++errors;
            return;
          }
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(b_->get("/counter")->value, "1600");
  EXPECT_EQ(b_->current_revision(), 2 + 1600);
}

TEST_P(BackendTest, CompactorKeepsOneIntervalOfHistory) {
  ASSERT_TRUE(b_->create("/a", "0").ok());
  auto compactor = start_compactor(*b_, std::chrono::milliseconds(60));
  for (int i = 1; i <= 30; ++i) {
    ASSERT_TRUE(b_->update("/a", std::to_string(i), 0).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // History of at least the last interval is kept.
  int64_t before = b_->current_revision();
  EXPECT_LT(b_->compacted_revision(), before);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (compactor->compactions() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(compactor->compactions(), 2);
  EXPECT_GT(b_->compacted_revision(), 2);
  compactor->stop();
  int64_t n = compactor->compactions();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(compactor->compactions(), n);
}

}  // namespace
}  // namespace kapi::storage
