#include "server/storage/sqlite_db.h"

namespace kapi::storage::sqlite {

std::string describe(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  // The connection's message is more precise than the code's, when it is about this error.
  if (db && (sqlite3_extended_errcode(db) == rc || sqlite3_errcode(db) == rc))
    msg += sqlite3_errmsg(db);
  else
    msg += sqlite3_errstr(rc);
  msg += " (sqlite code " + std::to_string(rc) + ")";
  return msg;
}

Db::~Db() { close(); }

void Db::close() {
  for (auto& [sql, s] : stmts_) sqlite3_finalize(s);
  stmts_.clear();
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

bool Db::open(const std::string& path, int flags, const std::string& vfs, std::string& error) {
  close();
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    error = describe(db_, rc, "open " + path);
    close();
    return false;
  }
  sqlite3_extended_result_codes(db_, 1);
  return true;
}

int Db::exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

bool Db::query_text(const char* sql, std::string& out) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) return false;
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    out = p ? p : "";
  }
  sqlite3_finalize(s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

sqlite3_stmt* Db::stmt(const char* sql) {
  auto it = stmts_.find(sql);
  if (it != stmts_.end()) return it->second;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
    return nullptr;
  stmts_.emplace(sql, s);
  return s;
}

}  // namespace kapi::storage::sqlite
