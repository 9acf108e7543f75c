#include "pkg/machinery/json_patch.h"

#include <limits>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

namespace kapi::machinery {

namespace {

using json = nlohmann::ordered_json;
using R = Result<json>;

const std::string kMissing = "missing value";
const std::string kInvalidIndex = "invalid index referenced";
const std::string kTestFailed = "test failed";

std::string go_json_kind(const json& v) {
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "bool";
  if (v.is_array()) return "array";
  return "object";
}

// strconv.Atoi with Go's error texts.
struct Atoi {
  std::optional<long long> value;
  std::string err;
};
Atoi atoi(std::string_view s) {
  auto quoted = "\"" + std::string(s) + "\"";
  size_t i = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return {std::nullopt, "strconv.Atoi: parsing " + quoted + ": invalid syntax"};
  unsigned long long acc = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return {std::nullopt, "strconv.Atoi: parsing " + quoted + ": invalid syntax"};
    if (acc > (static_cast<unsigned long long>(std::numeric_limits<long long>::max()) + 1) / 10) overflow = true;
    acc = acc * 10 + static_cast<unsigned long long>(s[i] - '0');
  }
  unsigned long long limit = static_cast<unsigned long long>(std::numeric_limits<long long>::max()) + (neg ? 1 : 0);
  if (overflow || acc > limit) return {std::nullopt, "strconv.Atoi: parsing " + quoted + ": value out of range"};
  return {neg ? static_cast<long long>(0ULL - acc) : static_cast<long long>(acc), ""};
}

std::string invalid_index(long long idx) {
  return "Unable to access invalid index: " + std::to_string(idx) + ": " + kInvalidIndex;
}

// A container (object or array) reached by findObject, plus the final decoded key.
struct Target {
  json* con = nullptr;
  std::string key;
};

// container.get: nullptr with empty error for a missing object key (upstream returns nil, nil).
struct Got {
  json* node = nullptr;
  std::string err;
};

Got con_get(json& con, const std::string& key) {
  if (con.is_object()) {
    auto it = con.find(key);
    if (it == con.end() || it->is_null()) return {nullptr, ""};  // null reads as absent upstream
    return {&*it, ""};
  }
  auto a = atoi(key);
  if (!a.value) return {nullptr, a.err};
  long long idx = *a.value, n = static_cast<long long>(con.size());
  if (idx < 0) {
    if (idx < -n) return {nullptr, invalid_index(idx)};
    idx += n;
  }
  if (idx >= n) return {nullptr, invalid_index(idx)};
  json& v = con[static_cast<size_t>(idx)];
  return {v.is_null() ? nullptr : &v, ""};
}

std::optional<std::string> con_add(json& con, const std::string& key, json val) {
  if (con.is_object()) {
    con[key] = std::move(val);
    return std::nullopt;
  }
  if (key == "-") {
    con.push_back(std::move(val));
    return std::nullopt;
  }
  auto a = atoi(key);
  if (!a.value) return "value was not a proper array index: '" + key + "': " + a.err;
  long long idx = *a.value, sz = static_cast<long long>(con.size()) + 1;
  if (idx >= sz) return invalid_index(idx);
  if (idx < 0) {
    if (idx < -sz) return invalid_index(idx);
    idx += sz;
  }
  con.insert(con.begin() + idx, std::move(val));
  return std::nullopt;
}

std::optional<std::string> con_remove(json& con, const std::string& key) {
  if (con.is_object()) {
    if (!con.contains(key)) return "Unable to remove nonexistent key: " + key + ": " + kMissing;
    con.erase(key);
    return std::nullopt;
  }
  auto a = atoi(key);
  if (!a.value) return a.err;
  long long idx = *a.value, n = static_cast<long long>(con.size());
  if (idx >= n) return invalid_index(idx);
  if (idx < 0) {
    if (idx < -n) return invalid_index(idx);
    idx += n;
  }
  con.erase(con.begin() + idx);
  return std::nullopt;
}

std::optional<std::string> con_set(json& con, const std::string& key, json val) {
  if (con.is_object()) {
    con[key] = std::move(val);
    return std::nullopt;
  }
  auto a = atoi(key);
  if (!a.value) return a.err;
  long long idx = *a.value, n = static_cast<long long>(con.size());
  if (idx < 0) {
    if (idx < -n) return invalid_index(idx);
    idx += n;
  }
  con[static_cast<size_t>(idx)] = std::move(val);
  return std::nullopt;
}

std::optional<Target> find_object(json& doc, std::string_view path) {
  std::vector<std::string> split;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    split.emplace_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (split.size() < 2) return std::nullopt;
  json* cur = &doc;
  for (size_t i = 1; i + 1 < split.size(); ++i) {
    auto got = con_get(*cur, unescape_json_pointer_token(split[i]));
    if (got.node == nullptr || !got.err.empty()) return std::nullopt;
    if (!got.node->is_object() && !got.node->is_array()) return std::nullopt;
    cur = got.node;
  }
  return Target{cur, unescape_json_pointer_token(split.back())};
}

// Operation field accessors. A JSON null reads as absent (Go decodes it to a nil pointer).
const json* field(const json& op, const char* name) {
  auto it = op.find(name);
  if (it == op.end() || it->is_null()) return nullptr;
  return &*it;
}

struct StrField {
  std::optional<std::string> value;
  std::string err;
};
StrField str_field(const json& op, const char* name, const std::string& missing_msg) {
  const json* f = field(op, name);
  if (!f) return {std::nullopt, missing_msg + ": " + kMissing};
  if (!f->is_string()) return {std::nullopt, "json: cannot unmarshal " + go_json_kind(*f) + " into Go value of type string"};
  return {f->get<std::string>(), ""};
}

// lazyNode.equal: structural for containers, textual for scalars.
bool node_equal(const json& a, const json& b) {
  if (a.is_object()) {
    if (!b.is_object() || a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto jt = b.find(it.key());
      if (jt == b.end()) return false;
      if (it->is_null() != jt->is_null()) return false;
      if (!it->is_null() && !node_equal(*it, *jt)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (!b.is_array() || a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!node_equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (b.is_object() || b.is_array()) return false;
  return a.dump() == b.dump();
}

std::optional<std::string> op_add(json& doc, const json& op) {
  auto path = str_field(op, "path", "operation missing path field");
  if (!path.value) return "add operation failed to decode path: " + kMissing;
  auto t = find_object(doc, *path.value);
  if (!t) return "add operation does not apply: doc is missing path: \"" + *path.value + "\": " + kMissing;
  const json* v = field(op, "value");
  if (auto err = con_add(*t->con, t->key, v ? *v : json(nullptr))) return "error in add for path: '" + *path.value + "': " + *err;
  return std::nullopt;
}

std::optional<std::string> op_remove(json& doc, const json& op) {
  auto path = str_field(op, "path", "operation missing path field");
  if (!path.value) return "remove operation failed to decode path: " + kMissing;
  auto t = find_object(doc, *path.value);
  if (!t) return "remove operation does not apply: doc is missing path: \"" + *path.value + "\": " + kMissing;
  if (auto err = con_remove(*t->con, t->key)) return "error in remove for path: '" + *path.value + "': " + *err;
  return std::nullopt;
}

std::optional<std::string> op_replace(json& doc, const json& op) {
  auto path = str_field(op, "path", "operation missing path field");
  if (!path.value) return "replace operation failed to decode path: " + path.err;
  const json* v = field(op, "value");
  if (path.value->empty()) {
    // Upstream wraps a nil error here, so a scalar value is silently ignored.
    if (v && (v->is_object() || v->is_array())) doc = *v;
    return std::nullopt;
  }
  auto t = find_object(doc, *path.value);
  if (!t) return "replace operation does not apply: doc is missing path: " + *path.value + ": " + kMissing;
  if (!con_get(*t->con, t->key).err.empty()) {
    return "replace operation does not apply: doc is missing key: " + *path.value + ": " + kMissing;
  }
  if (auto err = con_set(*t->con, t->key, v ? *v : json(nullptr))) {
    return "error in remove for path: '" + *path.value + "': " + *err;
  }
  return std::nullopt;
}

std::optional<std::string> op_move(json& doc, const json& op) {
  auto from = str_field(op, "from", "operation, missing from field");
  if (!from.value) return "move operation failed to decode from: " + from.err;
  auto t = find_object(doc, *from.value);
  if (!t) return "move operation does not apply: doc is missing from path: " + *from.value + ": " + kMissing;
  auto got = con_get(*t->con, t->key);
  if (!got.err.empty()) return "error in move for path: '" + t->key + "': " + got.err;
  json val = got.node ? *got.node : json(nullptr);
  if (auto err = con_remove(*t->con, t->key)) return "error in move for path: '" + t->key + "': " + *err;
  auto path = str_field(op, "path", "operation missing path field");
  if (!path.value) return "move operation failed to decode path: " + path.err;
  auto d = find_object(doc, *path.value);
  if (!d) return "move operation does not apply: doc is missing destination path: " + *path.value + ": " + kMissing;
  if (auto err = con_add(*d->con, d->key, std::move(val))) return "error in move for path: '" + *path.value + "': " + *err;
  return std::nullopt;
}

std::optional<std::string> op_copy(json& doc, const json& op) {
  auto from = str_field(op, "from", "operation, missing from field");
  if (!from.value) return "copy operation failed to decode from: " + from.err;
  auto t = find_object(doc, *from.value);
  if (!t) return "copy operation does not apply: doc is missing from path: " + *from.value + ": " + kMissing;
  auto got = con_get(*t->con, t->key);
  if (!got.err.empty()) return "error in copy for from: '" + *from.value + "': " + got.err;
  json val = got.node ? *got.node : json(nullptr);  // a missing key copies as null upstream
  auto path = str_field(op, "path", "operation missing path field");
  if (!path.value) return "copy operation failed to decode path: " + kMissing;
  auto d = find_object(doc, *path.value);
  if (!d) return "copy operation does not apply: doc is missing destination path: " + *path.value + ": " + kMissing;
  if (auto err = con_add(*d->con, d->key, std::move(val))) return "error while adding value during copy: " + *err;
  return std::nullopt;
}

std::optional<std::string> op_test(json& doc, const json& op) {
  auto path = str_field(op, "path", "operation missing path field");
  if (!path.value) return "test operation failed to decode path: " + path.err;
  const json* v = field(op, "value");
  auto failed = "testing value " + *path.value + " failed: " + kTestFailed;
  if (path.value->empty()) {
    if (v && node_equal(doc, *v)) return std::nullopt;
    return failed;
  }
  auto t = find_object(doc, *path.value);
  if (!t) return "test operation does not apply: is missing path: " + *path.value + ": " + kMissing;
  auto got = con_get(*t->con, t->key);
  if (!got.err.empty()) return "error in test for path: '" + *path.value + "': " + got.err;
  if (got.node == nullptr) return v == nullptr ? std::nullopt : std::optional<std::string>(failed);
  if (v == nullptr) return failed;
  if (node_equal(*got.node, *v)) return std::nullopt;
  return failed;
}

// pruneNulls: drops null members of objects, recursively; array elements stay.
void prune_nulls(json& n) {
  if (n.is_object()) {
    for (auto it = n.begin(); it != n.end();) {
      if (it->is_null()) {
        it = n.erase(it);
      } else {
        prune_nulls(*it);
        ++it;
      }
    }
  } else if (n.is_array()) {
    for (auto& e : n) {
      if (!e.is_null()) prune_nulls(e);
    }
  }
}

void merge_docs(json& doc, const json& patch);

json merge_node(json cur, json patch) {
  if (!cur.is_object()) {
    prune_nulls(patch);
    return patch;
  }
  if (!patch.is_object()) return patch;
  merge_docs(cur, patch);
  return cur;
}

void merge_docs(json& doc, const json& patch) {
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it->is_null()) {
      doc.erase(it.key());
      continue;
    }
    auto cur = doc.find(it.key());
    if (cur == doc.end() || cur->is_null()) {
      json v = *it;
      prune_nulls(v);
      doc[it.key()] = std::move(v);
    } else {
      *cur = merge_node(std::move(*cur), *it);
    }
  }
}

bool values_match(const json& a, const json& b) {
  if (a.type() != b.type() && !(a.is_number() && b.is_number())) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = b.begin(); it != b.end(); ++it) {
      auto jt = a.find(it.key());
      if (jt == a.end() || !values_match(*jt, *it)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!values_match(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

json get_diff(const json& a, const json& b) {
  json into = json::object();
  for (auto it = b.begin(); it != b.end(); ++it) {
    auto av = a.find(it.key());
    if (av == a.end()) {
      into[it.key()] = *it;
      continue;
    }
    bool same_type = av->type() == it->type() || (av->is_number() && it->is_number());
    if (!same_type) {
      into[it.key()] = *it;
      continue;
    }
    if (av->is_object()) {
      json d = get_diff(*av, *it);
      if (!d.empty()) into[it.key()] = std::move(d);
    } else if (!values_match(*av, *it)) {
      into[it.key()] = *it;
    }
  }
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (!b.contains(it.key())) into[it.key()] = nullptr;
  }
  return into;
}

}  // namespace

std::string escape_json_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape_json_pointer_token(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

Result<json> apply_json_patch(const json& doc, const json& patch) {
  if (!patch.is_array()) {
    return R::failure("json: cannot unmarshal " + go_json_kind(patch) + " into Go value of type jsonpatch.Patch");
  }
  for (const auto& op : patch) {
    if (!op.is_object()) {
      return R::failure("json: cannot unmarshal " + go_json_kind(op) + " into Go value of type jsonpatch.Operation");
    }
  }
  if (!doc.is_object() && !doc.is_array()) {
    return R::failure("json: cannot unmarshal " + go_json_kind(doc) + " into Go value of type jsonpatch.partialDoc");
  }
  json out = doc;
  for (const auto& op : patch) {
    const json* kind = field(op, "op");
    std::string k = kind && kind->is_string() ? kind->get<std::string>() : "unknown";
    std::optional<std::string> err;
    if (k == "add") {
      err = op_add(out, op);
    } else if (k == "remove") {
      err = op_remove(out, op);
    } else if (k == "replace") {
      err = op_replace(out, op);
    } else if (k == "move") {
      err = op_move(out, op);
    } else if (k == "test") {
      err = op_test(out, op);
    } else if (k == "copy") {
      err = op_copy(out, op);
    } else {
      err = "Unexpected kind: " + k;
    }
    if (err) return R::failure(*err);
  }
  return out;
}

Result<json> apply_merge_patch(const json& doc, const json& patch) {
  if (doc.is_null()) return R::failure("Invalid JSON Document");
  if (patch.is_null()) return R::failure("Invalid JSON Patch");
  if (!doc.is_object() || !patch.is_object()) {
    json out = patch;
    if (patch.is_object()) {
      prune_nulls(out);
      return out;
    }
    if (!patch.is_array()) return R::failure("Invalid JSON Patch");
    prune_nulls(out);
    return out;
  }
  json out = doc;
  merge_docs(out, patch);
  return out;
}

Result<json> create_merge_patch(const json& original, const json& modified) {
  if (original.is_array() && modified.is_array()) {
    if (original.size() != modified.size()) return R::failure("Invalid JSON Document");
    json out = json::array();
    for (size_t i = 0; i < original.size(); ++i) {
      if (!original[i].is_object() || !modified[i].is_object()) return R::failure("Invalid JSON Document");
      out.push_back(get_diff(original[i], modified[i]));
    }
    return out;
  }
  if (original.is_array() || modified.is_array()) return R::failure("Mismatched JSON Documents");
  if (!original.is_object() || !modified.is_object()) return R::failure("Invalid JSON Document");
  return get_diff(original, modified);
}

}  // namespace kapi::machinery
