// What only the SQLite backend has: durability settings, restart, group commit, and refusing
// (with a clear message) files and directories it cannot safely use.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "server/storage/storage.h"
#include "server/storage/test_util.h"

namespace kapi::storage {
namespace {

using testing::code_of;
using testing::must_open_sqlite;
using testing::TempDir;

// Runs sql on DIR/kapi.db with a plain connection (as an operator with sqlite3 would).
std::string run_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(db_path.c_str(), &db);
  std::string out;
  auto cb = [](void* p, int n, char** vals, char**) {
    auto* s = static_cast<std::string*>(p);
    for (int i = 0; i < n; ++i) *s += (vals[i] ? vals[i] : "NULL") + std::string(i + 1 < n ? "|" : "\n");
    return 0;
  };
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), cb, &out, &err) != SQLITE_OK) {
    out = std::string("error: ") + (err ? err : "?");
    sqlite3_free(err);
  }
  sqlite3_close(db);
  return out;
}

TEST(SqliteBackend, WriterConnectionIsWalWithFullSync) {
  TempDir dir;
  auto b = must_open_sqlite(dir.path());
  auto s = sqlite_stats(*b);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->journal_mode, "wal");
  EXPECT_EQ(s->synchronous, 2);  // FULL
  auto mem = new_memory_backend();
  EXPECT_FALSE(sqlite_stats(*mem).ok());
}

TEST(SqliteBackend, CreatesPrivateDataDirAndReadableSchema) {
  TempDir dir;
  std::string data = dir.sub("a/b/data");
  {
    auto b = must_open_sqlite(data);
    ASSERT_TRUE(b->create("/registry/pods/default/p1", R"({"kind":"Pod"})").ok());
  }
  struct stat st;
  ASSERT_EQ(stat(data.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  std::string db = data + "/kapi.db";
  ASSERT_EQ(stat(db.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "Secrets are stored here";
  EXPECT_EQ(run_sql(db, "SELECT key, value, typeof(value), create_rev, mod_rev FROM current"),
            "/registry/pods/default/p1|{\"kind\":\"Pod\"}|text|2|2\n");
  EXPECT_EQ(run_sql(db, "SELECT value FROM meta WHERE name='schema_version'"), "3\n");
  EXPECT_EQ(run_sql(db, "SELECT rev, key, type, prev_mod_rev FROM history"),
            "2|/registry/pods/default/p1|0|NULL\n");
}

TEST(SqliteBackend, WalIsCheckpointedOffTheWriterAndStaysBounded) {
  TempDir dir;
  auto b = must_open_sqlite(dir.path());
  std::string value(3000, 'v');
  // 16 writers x 300 objects of 3 KB: about 30 MB of WAL frames if nothing were checkpointed.
  std::vector<std::thread> ts;
  for (int t = 0; t < 16; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) ASSERT_TRUE(b->create("/k/" + std::to_string(t) + "/" + std::to_string(i), value).ok());
    });
  for (auto& t : ts) t.join();
  auto s = sqlite_stats(*b);
  ASSERT_TRUE(s.ok());
  EXPECT_GT(s->checkpoints, 0);
  struct stat st;
  ASSERT_EQ(stat((dir.path() + "/kapi.db-wal").c_str(), &st), 0);
  EXPECT_LT(st.st_size, 20 * 1024 * 1024) << "the WAL restarts after checkpoints";
}

TEST(SqliteBackend, ReopenKeepsDataRevisionsAndHistory) {
  TempDir dir;
  {
    auto b = must_open_sqlite(dir.path());
    ASSERT_TRUE(b->create("/a", "v1").ok());    // 2
    ASSERT_TRUE(b->update("/a", "v2", 2).ok()); // 3
    ASSERT_TRUE(b->create("/b", "b1").ok());    // 4
    ASSERT_TRUE(b->remove("/b", 4).ok());       // 5
    ASSERT_TRUE(b->compact(2).ok());
  }
  auto b = must_open_sqlite(dir.path());
  EXPECT_EQ(b->current_revision(), 5);
  EXPECT_EQ(b->compacted_revision(), 2);
  EXPECT_EQ(b->get("/a")->value, "v2");
  EXPECT_EQ(code_of(b->get("/b")), Code::kNotFound);
  EXPECT_EQ(b->get("/a", 2)->value, "v1");
  EXPECT_EQ(b->get("/b", 4)->value, "b1");
  auto evs = b->events_since("", 2);  // a watch resuming after the restart
  ASSERT_TRUE(evs.ok());
  ASSERT_EQ(evs->size(), 3u);
  EXPECT_EQ((*evs)[2].type, Event::Type::kDelete);
  EXPECT_EQ(code_of(b->events_since("", 1)), Code::kExpired);
  EXPECT_EQ(b->create("/c", "c")->mod_revision, 6);
}

TEST(SqliteBackend, SecondOpenOfSameDirIsRefused) {
  TempDir dir;
  auto b = must_open_sqlite(dir.path());
  auto again = open_sqlite(dir.path());
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("in use"), std::string::npos) << again.error().message;
}

TEST(SqliteBackend, EachValueIsStoredOnce) {
  TempDir dir;
  {
    auto b = must_open_sqlite(dir.path());
    auto c = b->create("/k", "v1");
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(b->update("/k", "v2", c->mod_revision).ok());
  }
  std::string db = dir.sub("kapi.db");
  EXPECT_EQ(run_sql(db, "SELECT count(*) FROM pragma_table_info('kv') WHERE name='value'"), "0\n");
  EXPECT_EQ(run_sql(db, "SELECT rev, value, prev_mod_rev FROM history ORDER BY rev"), "2|v1|NULL\n3|v2|2\n");
}

// A store written by schema version 1 (values in kv and history, replaced values in
// history.prev_value, history at or below the compacted revision dropped) opens with every
// value, every revision's state and the events after the compacted revision intact.
TEST(SqliteBackend, SchemaVersion1IsMigrated) {
  TempDir dir;
  std::string db = dir.sub("kapi.db");
  EXPECT_EQ(run_sql(db, R"sql(
    CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT NOT NULL, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL);
    CREATE TABLE history(rev INTEGER PRIMARY KEY, key TEXT NOT NULL, type INTEGER NOT NULL,
                         value TEXT, prev_value TEXT, create_rev INTEGER NOT NULL, prev_mod_rev INTEGER);
    CREATE INDEX history_key ON history(key, rev);
    CREATE TABLE meta(name TEXT PRIMARY KEY, value);
    INSERT INTO meta VALUES('revision', 6), ('compacted', 4), ('schema_version', 1);
    -- /a created at 2, updated at 5; /b created at 3, deleted at 6; /c created at 4 (all compacted to 4)
    INSERT INTO kv VALUES('/a', 'a5', 2, 5), ('/c', 'c4', 4, 4);
    INSERT INTO history VALUES(5, '/a', 0, 'a5', 'a2', 2, 2), (6, '/b', 1, NULL, 'b3', 3, 3);
  )sql"), "");
  auto b = must_open_sqlite(dir.path());
  EXPECT_EQ(run_sql(db, "SELECT value FROM meta WHERE name='schema_version'"), "3\n");
  EXPECT_EQ(b->get("/a", 0)->value, "a5");
  EXPECT_EQ(b->get("/c", 0)->value, "c4");
  EXPECT_EQ(b->get("/a", 4)->value, "a2");
  EXPECT_EQ(b->get("/b", 5)->value, "b3");
  EXPECT_EQ(code_of(b->get("/b", 6)), Code::kNotFound);
  auto evs = b->events_since("/", 4);
  ASSERT_TRUE(evs.ok());
  ASSERT_EQ(evs->size(), 2u);
  EXPECT_EQ((*evs)[0].prev->value, "a2");
  EXPECT_EQ((*evs)[1].kv.value, "b3");  // a delete carries the last value
  auto l = b->list("/", "", 0, 5);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->items.size(), 3u);
  EXPECT_EQ(l->items[1].value, "b3");
}

TEST(SqliteBackend, CompactionKeepsEachKeysLatestVersion) {
  TempDir dir;
  auto b = must_open_sqlite(dir.path());
  auto a = b->create("/a", "a1");        // 2
  ASSERT_TRUE(b->create("/b", "b1").ok());  // 3
  auto a2 = b->update("/a", "a2", a->mod_revision);  // 4
  ASSERT_TRUE(b->remove("/b", 3).ok());  // 5
  ASSERT_TRUE(b->update("/a", "a3", a2->mod_revision).ok());  // 6
  ASSERT_TRUE(b->compact(5).ok());
  EXPECT_EQ(run_sql(dir.sub("kapi.db"), "SELECT rev, key, type FROM history ORDER BY rev"),
            "4|/a|0\n6|/a|0\n");
  EXPECT_EQ(b->get("/a", 5)->value, "a2");
  EXPECT_EQ(code_of(b->get("/b", 5)), Code::kNotFound);
  auto evs = b->events_since("/", 5);
  ASSERT_TRUE(evs.ok());
  ASSERT_EQ(evs->size(), 1u);
  EXPECT_EQ((*evs)[0].prev->value, "a2");
}

// A store written by schema version 2 (a kv table and a history(key, rev) index beside
// history) opens as version 3: both are dropped, and every state, event and CAS check is as before.
TEST(SqliteBackend, SchemaVersion2IsMigrated) {
  TempDir dir;
  std::string db = dir.sub("kapi.db");
  EXPECT_EQ(run_sql(db, R"sql(
    CREATE TABLE kv(key TEXT PRIMARY KEY, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE history(rev INTEGER PRIMARY KEY, key TEXT NOT NULL, type INTEGER NOT NULL,
                         value TEXT, create_rev INTEGER NOT NULL, prev_mod_rev INTEGER);
    CREATE INDEX history_key ON history(key, rev);
    CREATE VIEW current AS
      SELECT kv.key, history.value, kv.create_rev, kv.mod_rev FROM kv JOIN history ON history.rev = kv.mod_rev;
    CREATE TABLE meta(name TEXT PRIMARY KEY, value);
    INSERT INTO meta VALUES('revision', 8), ('compacted', 3), ('schema_version', 2);
    -- /a created 2, updated 5; /b created 3, deleted 6, re-created 7; /c created 4, deleted 8.
    -- Compacted to 3 (nothing was superseded at or below 3).
    INSERT INTO history VALUES(2, '/a', 0, 'a2', 2, NULL), (3, '/b', 0, 'b3', 3, NULL),
      (4, '/c', 0, 'c4', 4, NULL), (5, '/a', 0, 'a5', 2, 2), (6, '/b', 1, NULL, 3, 3),
      (7, '/b', 0, 'b7', 7, NULL), (8, '/c', 1, NULL, 4, 4);
    INSERT INTO kv VALUES('/a', 2, 5), ('/b', 7, 7);
  )sql"), "");
  auto b = must_open_sqlite(dir.path());
  EXPECT_EQ(run_sql(db, "SELECT value FROM meta WHERE name='schema_version'"), "3\n");
  EXPECT_EQ(run_sql(db, "SELECT name FROM sqlite_schema ORDER BY name"), "current\nhistory\nmeta\nsqlite_autoindex_meta_1\n");
  EXPECT_EQ(run_sql(db, "SELECT * FROM current"), "/a|a5|2|5\n/b|b7|7|7\n");
  EXPECT_EQ(b->current_revision(), 8);
  EXPECT_EQ(b->compacted_revision(), 3);
  EXPECT_EQ(b->get("/a")->value, "a5");
  EXPECT_EQ(b->get("/b")->create_revision, 7);
  EXPECT_EQ(code_of(b->get("/c")), Code::kNotFound);
  EXPECT_EQ(b->get("/a", 4)->value, "a2");
  EXPECT_EQ(b->get("/b", 5)->value, "b3");
  EXPECT_EQ(code_of(b->get("/b", 6)), Code::kNotFound);
  EXPECT_EQ(b->get("/c", 7)->value, "c4");
  auto l = b->list("/", "", 2, 4);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->items.size(), 2u);
  EXPECT_EQ(l->continue_key, "/c");
  EXPECT_EQ(l->remaining, 1);
  EXPECT_EQ(code_of(b->update("/b", "x", 3)), Code::kConflict);
  EXPECT_EQ(code_of(b->create("/b", "x")), Code::kAlreadyExists);
  EXPECT_EQ(b->create("/c", "c9")->mod_revision, 9);
  auto evs = b->events_since("/", 5);
  ASSERT_TRUE(evs.ok());
  ASSERT_EQ(evs->size(), 4u);
  EXPECT_EQ((*evs)[0].kv.value, "b3");  // the delete of /b at 6
  EXPECT_TRUE((*evs)[1].created);
}

// The key index is rebuilt from history at open: deletes, re-creates and compactions replay
// to the same state at every readable revision (recorded before the restart).
TEST(SqliteBackend, KeyIndexIsRebuiltAtOpen) {
  TempDir dir;
  auto snapshot = [](Backend& b) {
    std::string out;
    for (int64_t r = b.compacted_revision(); r <= b.current_revision(); ++r) {
      auto l = b.list("/", "", 0, r);
      if (!l.ok()) return "error: " + l.error().message;
      out += "@" + std::to_string(r) + ":";
      for (auto& kv : l->items)
        out += " " + kv.key + "=" + kv.value + "/" + std::to_string(kv.create_revision) + "/" +
               std::to_string(kv.mod_revision);
      out += "\n";
    }
    return out;
  };
  std::string before;
  {
    auto b = must_open_sqlite(dir.path());
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 6; ++i) {
        std::string k = "/k/" + std::to_string(i);
        auto g = b->get(k);
        Result<KeyValue> w = !g.ok()                  ? b->create(k, "v" + std::to_string(round))
                             : (i + round) % 3 == 0 ? b->remove(k, g->mod_revision)
                                                    : b->update(k, "u" + std::to_string(round), g->mod_revision);
        ASSERT_TRUE(w.ok()) << w.error().message;
      }
      if (round == 1) {
        ASSERT_TRUE(b->compact(b->current_revision() - 3).ok());
      }
    }
    before = snapshot(*b);
  }
  auto b = must_open_sqlite(dir.path());
  EXPECT_EQ(snapshot(*b), before);
  auto l = b->list("/k/", "", 0);
  ASSERT_TRUE(l.ok());
  for (auto& kv : l->items) {
    EXPECT_EQ(code_of(b->create(kv.key, "again")), Code::kAlreadyExists);
    EXPECT_EQ(code_of(b->update(kv.key, "stale", kv.mod_revision - 1)), Code::kConflict);
    EXPECT_TRUE(b->update(kv.key, "fresh", kv.mod_revision).ok());
  }
}

// Compaction reads only the rows since the previous one, yet still drops the versions they
// supersede at or below the new revision, however old (etcd's rule over two compactions).
TEST(SqliteBackend, SecondCompactionDropsVersionsSupersededSinceTheFirst) {
  TempDir dir;
  auto b = must_open_sqlite(dir.path());
  ASSERT_TRUE(b->create("/a", "a2").ok());         // 2
  ASSERT_TRUE(b->create("/c", "c3").ok());         // 3
  ASSERT_TRUE(b->compact(3).ok());
  ASSERT_TRUE(b->update("/a", "a4", 2).ok());      // 4: supersedes 2 (below the first compaction)
  ASSERT_TRUE(b->create("/b", "b5").ok());         // 5
  ASSERT_TRUE(b->remove("/b", 5).ok());            // 6
  ASSERT_TRUE(b->remove("/c", 3).ok());            // 7
  ASSERT_TRUE(b->create("/c", "c8").ok());         // 8
  ASSERT_TRUE(b->compact(7).ok());
  EXPECT_EQ(run_sql(dir.sub("kapi.db"), "SELECT rev, key, type FROM history ORDER BY rev"),
            "4|/a|0\n8|/c|0\n");
  EXPECT_EQ(b->get("/a", 7)->value, "a4");
  EXPECT_EQ(code_of(b->get("/c", 7)), Code::kNotFound);
  EXPECT_EQ(code_of(b->get("/b", 7)), Code::kNotFound);
  EXPECT_EQ(code_of(b->get("/a", 6)), Code::kExpired);
  auto l = b->list("/", "", 0, 7);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->items.size(), 1u);
  EXPECT_EQ(l->items[0].key, "/a");
}

// Reads run beside the writer and see one revision: a list taken while keys are created one
// by one holds exactly the keys created up to its revision.
TEST(SqliteBackend, ReadsAreConsistentWhileWriting) {
  TempDir dir;
  auto b = must_open_sqlite(dir.path());
  const int64_t base = b->current_revision();
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 400; ++i) ASSERT_TRUE(b->create("/s/" + std::to_string(10000 + i), "v").ok());
    done = true;
  });
  int lists = 0;
  while (!done || lists == 0) {
    auto l = b->list("/s/", "", 0);
    ASSERT_TRUE(l.ok()) << l.error().message;
    ASSERT_EQ(static_cast<int64_t>(l->items.size()), l->revision - base);
    for (auto& kv : l->items) ASSERT_LE(kv.mod_revision, l->revision);
    auto p = b->list("/s/", "", 5);
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(static_cast<int64_t>(p->items.size()) + p->remaining, p->revision - base);
    ++lists;
  }
  writer.join();
}

TEST(SqliteBackend, NewerSchemaVersionIsRefused) {
  TempDir dir;
  { auto b = must_open_sqlite(dir.path()); }
  run_sql(dir.sub("kapi.db"), "UPDATE meta SET value=99 WHERE name='schema_version'");
  auto r = open_sqlite(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kInternal);
  EXPECT_NE(r.error().message.find("schema version 99, newer"), std::string::npos)
      << r.error().message;
}

TEST(SqliteBackend, GarbageFileIsRefused) {
  TempDir dir;
  std::ofstream(dir.sub("kapi.db")) << std::string(8192, 'g');
  auto r = open_sqlite(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a database"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("kapi.db"), std::string::npos);
}

TEST(SqliteBackend, CorruptPagesAreRefused) {
  TempDir dir;
  {
    auto b = must_open_sqlite(dir.path());
    for (int i = 0; i < 50; ++i)
      ASSERT_TRUE(b->create("/k/" + std::to_string(i), std::string(1500, 'a' + i % 26)).ok());
  }
  {
    std::fstream f(dir.sub("kapi.db"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 2);  // pages 3 to 5: b-tree pages (headers included), past the file header
    std::string junk(4096 * 3, '\x5a');
    f.write(junk.data(), junk.size());
  }
  auto r = open_sqlite(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("corrupt"), std::string::npos) << r.error().message;
}

TEST(SqliteBackend, OtherSqliteDatabaseIsRefused) {
  TempDir dir;
  run_sql(dir.sub("kapi.db"), "CREATE TABLE t(x)");
  auto r = open_sqlite(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a kapi store"), std::string::npos) << r.error().message;
}

TEST(SqliteBackend, DataDirUnderAFileIsRefused) {
  TempDir dir;
  std::ofstream(dir.sub("file")) << "x";
  auto r = open_sqlite(dir.sub("file/data"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("file/data"), std::string::npos) << r.error().message;
}

// Root ignores permissions, so the child drops to "nobody" before opening.
TEST(SqliteBackend, UnwritableDirIsRefused) {
  TempDir dir;
  std::string data = dir.sub("data");
  ASSERT_EQ(mkdir(data.c_str(), 0755), 0);
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    auto r = open_sqlite(data);
    if (r.ok()) _exit(1);
    _exit(r.error().message.find(data) != std::string::npos ? 0 : 2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: opened an unwritable dir; 2: message lacks the path";
}

// A full disk (simulated with max_page_count) fails the write loudly; what was acknowledged
// before stays, and the store works again once there is room.
TEST(SqliteBackend, FullDiskFailsWritesWithoutLosingAcknowledgedOnes) {
  TempDir dir;
  int64_t last_ok = 0;
  int acked = 0;
  {
    SqliteOptions opts;
    opts.max_pages = 40;
    auto b = must_open_sqlite(dir.path(), opts);
    Error err;
    for (int i = 0; i < 1000; ++i) {
      auto r = b->create("/k/" + std::to_string(i), std::string(1500, 'v'));
      if (!r.ok()) {
        err = r.error();
        break;
      }
      last_ok = r->mod_revision;
      ++acked;
    }
    ASSERT_GT(acked, 0);
    ASSERT_LT(acked, 1000);
    EXPECT_EQ(err.code, Code::kInternal);
    EXPECT_NE(err.message.find("full"), std::string::npos) << err.message;
    EXPECT_EQ(b->current_revision(), last_ok);
    EXPECT_EQ(code_of(b->get("/k/" + std::to_string(acked))), Code::kNotFound);
    EXPECT_TRUE(b->get("/k/0").ok());
  }
  auto b = must_open_sqlite(dir.path());
  EXPECT_EQ(b->current_revision(), last_ok);
  auto l = b->list("/k/", "", 0);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(static_cast<int>(l->items.size()), acked);
  EXPECT_TRUE(b->create("/k/more", "v").ok());
}

// Concurrent writers share transactions (and so fsyncs).
TEST(SqliteBackend, GroupCommitBatchesConcurrentWriters) {
  TempDir dir;
  auto b = must_open_sqlite(dir.path());
  std::vector<std::thread> ts;
  std::atomic<int> failed{0};
  for (int t = 0; t < 32; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i)
        if (!b->create("/g/" + std::to_string(t) + "/" + std::to_string(i), std::string(1500, 'x')).ok())
          ++failed;
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(failed, 0);
  auto s = sqlite_stats(*b);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->writes, 640);
  EXPECT_LT(s->transactions, s->writes);
  std::cout << "[ info ] 640 writes in " << s->transactions << " transactions\n";
}

}  // namespace
}  // namespace kapi::storage
