#pragma once
// The on-disk layout of DIR/kapi.db (schema_version 1). Inspect with `sqlite3 DIR/kapi.db`.
//
//   kv(key TEXT PRIMARY KEY, value TEXT, create_rev INTEGER, mod_rev INTEGER)
//       The current value of every live key. value is the object's JSON as stored.
//   history(rev INTEGER PRIMARY KEY, key TEXT, type INTEGER, value TEXT, prev_value TEXT,
//           create_rev INTEGER, prev_mod_rev INTEGER)
//       One row per write (every revision after the compacted one): type 0 = put, 1 = delete.
//       value: the new value (NULL for a delete). prev_value/prev_mod_rev: the value replaced
//       (NULL for a create). create_rev: the key's create revision (of the deleted version for
//       a delete). The state of a key at revision R is read from its first row after R (its
//       prev_*), or from kv when it has none: so only rows after the compacted revision are
//       needed. Index history_key(key, rev).
//   meta(name TEXT PRIMARY KEY, value)
//       'schema_version' (refuses to open newer), 'revision' (the store revision: it does not
//       go down when history is compacted), 'compacted' (compacted revision).
#include <cstdint>
#include <string>

#include "server/storage/sqlite_db.h"

namespace kapi::storage::sqlite {

// Creates the schema in an empty database, or checks the version of an existing one.
// Returns "" or an error message naming path.
std::string init_schema(Db& db, const std::string& path);

// Reads meta revision/compacted (inside the caller's transaction). Returns "" or an error.
std::string read_meta(Db& db, int64_t& revision, int64_t& compacted);

}  // namespace kapi::storage::sqlite
