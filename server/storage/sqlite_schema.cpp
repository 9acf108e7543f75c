#include "server/storage/sqlite_schema.h"

#include <cstdlib>

#include "server/storage/storage.h"

namespace kapi::storage::sqlite {
namespace {

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE history(rev INTEGER PRIMARY KEY, key TEXT NOT NULL, type INTEGER NOT NULL,
                     value TEXT, create_rev INTEGER NOT NULL, prev_mod_rev INTEGER);
CREATE TABLE meta(name TEXT PRIMARY KEY, value);
INSERT INTO meta VALUES('revision', 1), ('compacted', 0);
)sql";

// For people with sqlite3 (kapi itself reads through its in-memory key index): each key's
// latest row, unless a delete. SQLite takes a bare column of a max() aggregate from the row
// with the maximum, so this is one sort of history, not a lookup per key.
constexpr const char* kCreateCurrentView = R"sql(
CREATE VIEW current AS SELECT key, value, create_rev, mod_rev FROM
  (SELECT key, value, create_rev, type, max(rev) AS mod_rev FROM history GROUP BY key)
  WHERE type = 0;
)sql";

// Version 1 kept each value twice or thrice (kv.value, history.value, history.prev_value).
// Every current value moves to the history row of its revision, and each replaced value a
// later row still remembers gets its own row back (version 1's compaction dropped them).
constexpr const char* kMigrateFrom1 = R"sql(
INSERT OR REPLACE INTO history(rev, key, type, value, prev_value, create_rev, prev_mod_rev)
  SELECT kv.mod_rev, kv.key, 0, kv.value, h.prev_value, kv.create_rev, h.prev_mod_rev
  FROM kv LEFT JOIN history h ON h.rev = kv.mod_rev;
INSERT OR IGNORE INTO history(rev, key, type, value, prev_value, create_rev, prev_mod_rev)
  SELECT h.prev_mod_rev, h.key, 0, h.prev_value, NULL, h.create_rev, NULL FROM history h
  WHERE h.prev_mod_rev IS NOT NULL;
ALTER TABLE history DROP COLUMN prev_value;
CREATE TABLE kv2(key TEXT PRIMARY KEY, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL)
  WITHOUT ROWID;
INSERT INTO kv2 SELECT key, create_rev, mod_rev FROM kv;
DROP TABLE kv;
ALTER TABLE kv2 RENAME TO kv;
CREATE VIEW current AS
  SELECT kv.key, history.value, kv.create_rev, kv.mod_rev FROM kv JOIN history ON history.rev = kv.mod_rev;
UPDATE meta SET value = 2 WHERE name = 'schema_version';
)sql";

// Version 2 kept a kv table and a history(key, rev) index, each written at a random position
// by every write. Version 3 keeps the live keys in memory (rebuilt from history at open), so
// both go; history itself is unchanged. (The current view is then created anew.)
constexpr const char* kMigrateFrom2 = R"sql(
DROP VIEW current;
DROP INDEX history_key;
DROP TABLE kv;
UPDATE meta SET value = 3 WHERE name = 'schema_version';
)sql";

}  // namespace

std::string read_meta(Db& db, int64_t& revision, int64_t& compacted) {
  Query q(db.stmt(
      "SELECT (SELECT value FROM meta WHERE name='revision'),"
      " (SELECT value FROM meta WHERE name='compacted')"));
  int rc = q.step();
  if (rc != SQLITE_ROW) return describe(db.get(), rc, "read meta");
  if (q.is_null(0) || q.is_null(1)) return "meta table lacks revision/compacted";
  revision = q.int64(0);
  compacted = q.int64(1);
  return "";
}

std::string init_schema(Db& db, const std::string& path) {
  // IMMEDIATE: the check and the creation are one atomic step.
  if (int rc = db.exec("BEGIN IMMEDIATE"); rc != SQLITE_OK) return describe(db.get(), rc, "open " + path);
  auto fail = [&](std::string msg) {
    db.exec("ROLLBACK");
    return msg;
  };
  std::string tables;
  if (!db.query_text("SELECT count(*) FROM sqlite_schema", tables))
    return fail(describe(db.get(), db.exec("SELECT 1 FROM sqlite_schema"), "open " + path));
  if (tables == "0") {
    if (int rc = db.exec(kCreateSchema); rc != SQLITE_OK)
      return fail(describe(db.get(), rc, "create schema in " + path));
    if (int rc = db.exec(kCreateCurrentView); rc != SQLITE_OK)
      return fail(describe(db.get(), rc, "create schema in " + path));
    std::string version_sql = "INSERT INTO meta VALUES('schema_version', " +
                              std::to_string(kSqliteSchemaVersion) + ")";
    if (int rc = db.exec(version_sql.c_str()); rc != SQLITE_OK)
      return fail(describe(db.get(), rc, "create schema in " + path));
    if (int rc = db.exec("COMMIT"); rc != SQLITE_OK)
      return fail(describe(db.get(), rc, "create schema in " + path));
    return "";
  }
  std::string has_meta;
  db.query_text("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='meta'", has_meta);
  if (has_meta != "1") return fail(path + " is an SQLite database but not a kapi store (no meta table)");
  std::string version;
  if (!db.query_text("SELECT value FROM meta WHERE name='schema_version'", version) || version.empty())
    return fail(path + ": meta table has no schema_version");
  long v = std::strtol(version.c_str(), nullptr, 10);
  if (v > kSqliteSchemaVersion)
    return fail(path + " has schema version " + version + ", newer than this kapi supports (" +
                std::to_string(kSqliteSchemaVersion) + "): upgrade kapi or use a backup");
  if (v < 1) return fail(path + " has unknown schema version " + version);
  // Each step runs in this one transaction: a crash mid-migration leaves the old version.
  if (v == 1) {
    if (int rc = db.exec(kMigrateFrom1); rc != SQLITE_OK)
      return fail(describe(db.get(), rc, "migrate " + path + " from schema version 1"));
  }
  if (v <= 2) {
    if (int rc = db.exec(kMigrateFrom2); rc != SQLITE_OK)
      return fail(describe(db.get(), rc, "migrate " + path + " from schema version 2"));
    if (int rc = db.exec(kCreateCurrentView); rc != SQLITE_OK)
      return fail(describe(db.get(), rc, "migrate " + path + " from schema version 2"));
  }
  if (int rc = db.exec("COMMIT"); rc != SQLITE_OK) return fail(describe(db.get(), rc, "open " + path));
  return "";
}

}  // namespace kapi::storage::sqlite
