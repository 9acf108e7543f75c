#pragma once
// The on-disk layout of DIR/kapi.db (schema_version 2). Inspect with `sqlite3 DIR/kapi.db`
// (`SELECT * FROM current` shows every live key with its JSON).
//
//   kv(key TEXT PRIMARY KEY, create_rev INTEGER, mod_rev INTEGER) WITHOUT ROWID
//       Every live key and the revision of its current value.
//   history(rev INTEGER PRIMARY KEY, key TEXT, type INTEGER, value TEXT, create_rev INTEGER,
//           prev_mod_rev INTEGER)
//       One row per write: type 0 = put (value: the object's JSON), 1 = delete (value NULL).
//       create_rev: the key's create revision (of the deleted version for a delete);
//       prev_mod_rev: the revision of the value replaced (NULL for a create). Each value is
//       stored once, here: a key's current value is its row at kv.mod_rev, and the state at
//       revision R is its latest row at or before R. Compaction at R therefore drops only rows
//       superseded at R (etcd's rule), keeping each key's latest version at or before R.
//       Index history_key(key, rev).
//   current: a view joining the two (key, value, create_rev, mod_rev).
//   meta(name TEXT PRIMARY KEY, value)
//       'schema_version' (refuses to open newer; migrates 1), 'revision' (the store revision:
//       it does not go down when history is compacted), 'compacted' (compacted revision).
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
