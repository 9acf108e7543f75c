#pragma once
// Thin RAII over the SQLite C API: a connection with a cache of prepared statements, and a
// Query that binds/steps one of them and resets it when done. Only the SQLite backend
// includes this (sqlite3.h stays out of storage.h).
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kapi::storage::sqlite {

// "what: <sqlite message> (<code name>)", the form every SQLite error is reported in.
std::string describe(sqlite3* db, int rc, std::string_view what);

// A connection. Not thread-safe: used by one thread at a time.
class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Opens path (vfs "" = SQLite's default); on failure returns false and sets error.
  bool open(const std::string& path, int flags, const std::string& vfs, std::string& error);
  sqlite3* get() const { return db_; }
  // Runs sql (no rows wanted); returns the SQLite result code.
  int exec(const char* sql);
  // Runs a one-value query (e.g. a PRAGMA); false on error.
  bool query_text(const char* sql, std::string& out);
  // Prepared statement for sql, compiled once per connection (sql must outlive the Db: pass
  // string literals). nullptr on error (see errmsg()).
  sqlite3_stmt* stmt(const char* sql);
  std::string errmsg() const { return db_ ? sqlite3_errmsg(db_) : "no connection"; }
  void close();

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> stmts_;
};

// One use of a cached statement: bind, step, read columns; reset on destruction.
class Query {
 public:
  explicit Query(sqlite3_stmt* stmt) : stmt_(stmt), rc_(stmt ? SQLITE_OK : SQLITE_ERROR) {}
  ~Query() {
    if (stmt_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  bool valid() const { return stmt_ != nullptr; }
  Query& bind(int i, int64_t v) {
    rc_ = rc_ != SQLITE_OK ? rc_ : sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // Text is bound without copying: the view must live until the Query is done (binding a
  // temporary std::string does not compile).
  Query& bind(int i, std::string&&) = delete;
  Query& bind(int i, std::string_view v) {
    rc_ = rc_ != SQLITE_OK ? rc_ : sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  // Upper bound of a key range; "" = unbounded, bound as an empty BLOB because SQLite orders
  // every TEXT before every BLOB (so `key < ?` holds for all keys and the index still serves).
  Query& bind_upper(int i, std::string&&) = delete;
  Query& bind_upper(int i, std::string_view end) {
    if (!end.empty()) return bind(i, end);
    rc_ = rc_ != SQLITE_OK ? rc_ : sqlite3_bind_zeroblob(stmt_, i, 0);
    return *this;
  }
  Query& bind_null(int i) {
    rc_ = rc_ != SQLITE_OK ? rc_ : sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return rc_ != SQLITE_OK ? rc_ : sqlite3_step(stmt_); }
  int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::string_view text_view(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_, col)) : std::string_view();
  }

 private:
  sqlite3_stmt* stmt_;
  int rc_;
};

}  // namespace kapi::storage::sqlite
