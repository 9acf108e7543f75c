#include "server/storage/sqlite_schema.h"

#include <cstdlib>

#include "server/storage/storage.h"

namespace kapi::storage::sqlite {
namespace {

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT NOT NULL, create_rev INTEGER NOT NULL,
                mod_rev INTEGER NOT NULL);
CREATE TABLE history(rev INTEGER PRIMARY KEY, key TEXT NOT NULL, type INTEGER NOT NULL,
                     value TEXT, prev_value TEXT, create_rev INTEGER NOT NULL,
                     prev_mod_rev INTEGER);
CREATE INDEX history_key ON history(key, rev);
CREATE TABLE meta(name TEXT PRIMARY KEY, value);
INSERT INTO meta VALUES('revision', 1), ('compacted', 0);
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
  // Version 1 is the only one so far; migrations from older versions would run here.
  db.exec("COMMIT");
  return "";
}

}  // namespace kapi::storage::sqlite
