#pragma once
// The on-disk layout of DIR/kapi.db (schema_version 3). Inspect with `sqlite3 DIR/kapi.db`
// (`SELECT * FROM current` shows every live key with its JSON).
//
//   history(rev INTEGER PRIMARY KEY, key TEXT, type INTEGER, value TEXT, create_rev INTEGER,
//           prev_mod_rev INTEGER)
//       One row per write: type 0 = put (value: the object's JSON), 1 = delete (value NULL).
//       create_rev: the key's create revision (of the deleted version for a delete);
//       prev_mod_rev: the revision of the value replaced (NULL for a create). Each value is
//       stored once, here, and this is the only table a write touches: rows are appended in
//       rev order, so a commit writes sequential pages only. There is deliberately no index on
//       key: the live keys and their (create_rev, mod_rev) live in memory (sqlite_key_index.h),
//       rebuilt at open by replaying history; older states come from rows after the revision
//       (the first write of a key after R names its state at R through prev_mod_rev).
//       Compaction at R drops only rows superseded at R (etcd's rule), keeping each key's latest
//       version at or before R: the superseded rows are exactly the prev_mod_rev of rows <= R.
//   current: a view (key, value, create_rev, mod_rev) of each key's latest row unless a delete.
//   meta(name TEXT PRIMARY KEY, value)
//       'schema_version' (refuses to open newer; migrates 1 and 2), 'revision' (the store
//       revision: it does not go down when history is compacted), 'compacted' (compacted revision).
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
