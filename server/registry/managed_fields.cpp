#include "server/registry/managed_fields.h"

#include <nlohmann/json.hpp>

#include "pkg/machinery/duration.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace kapi::server {

using runtime::Field;
using runtime::Kind;
using runtime::StructType;
using runtime::Type;

namespace {

const Type* deref(const Type* t) { return t && t->kind == Kind::kPointer ? t->elem : t; }

Json set_of(const Json& v, const Type* t, const Field* f = nullptr);

}  // namespace

namespace {

std::string item_key(const Json& item, const std::vector<std::string>& keys) {
  Json k = Json::object();
  for (const auto& key : keys)
    if (item.is_object() && item.contains(key)) k[key] = item[key];
  return "k:" + k.dump();
}

Json set_of(const Json& v, const Type* t, const Field* f) {
  t = deref(t);
  if (!t || v.is_null()) return Json::object();
  if (t->kind == Kind::kStruct && v.is_object()) {
    if (t->st->atomic) return Json::object();
    Json out = Json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      const Field* cf = t->st->find(it.key());
      out["f:" + it.key()] = set_of(it.value(), cf ? cf->type : nullptr, cf);
    }
    return out;
  }
  if (t->kind == Kind::kMap && v.is_object()) {
    if (f && f->map_type == "atomic") return Json::object();
    Json out = Json::object();
    for (auto it = v.begin(); it != v.end(); ++it) out["f:" + it.key()] = set_of(it.value(), t->elem, nullptr);
    return out;
  }
  if (t->kind == Kind::kSlice && v.is_array() && f) {
    if (f->list_type == "map" && !f->list_keys.empty()) {
      Json out = Json::object();
      for (const auto& item : v) {
        Json inner = set_of(item, t->elem, nullptr);
        if (!inner.is_object()) inner = Json::object();
        inner["."] = Json::object();
        out[item_key(item, f->list_keys)] = inner;
      }
      return out;
    }
    if (f->list_type == "set") {
      Json out = Json::object();
      for (const auto& item : v) out["v:" + item.dump()] = Json::object();
      return out;
    }
  }
  return Json::object();  // a leaf: scalars and atomic lists
}

void collect(const Json& fields, FieldPath& prefix, std::vector<FieldPath>& out) {
  bool any_child = false;
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    if (it.key() == ".") continue;
    any_child = true;
    prefix.push_back(it.key());
    collect(it.value(), prefix, out);
    prefix.pop_back();
  }
  if (!any_child && !prefix.empty()) out.push_back(prefix);
}

// The list element a "k:" or "v:" key names.
Json* find_item(Json& list, const std::string& key) {
  if (!list.is_array()) return nullptr;
  Json want = Json::parse(key.substr(2), nullptr, false);
  for (auto& item : list) {
    if (key[0] == 'v') {
      if (item == want) return &item;
      continue;
    }
    if (!want.is_object() || !item.is_object()) continue;
    bool match = true;
    for (auto it = want.begin(); it != want.end(); ++it) match &= item.contains(it.key()) && item[it.key()] == it.value();
    if (match) return &item;
  }
  return nullptr;
}

}  // namespace

Json field_set(const Json& obj, const StructType& type) {
  Json content = Json::object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it.key() == "kind" || it.key() == "apiVersion") continue;
    if (it.key() == "metadata") {
      Json m = Json::object();
      for (const char* k : {"labels", "annotations", "finalizers", "ownerReferences"})
        if (it.value().contains(k)) m[k] = it.value()[k];
      if (!m.empty()) content["metadata"] = m;
      continue;
    }
    if (it.key() == "status" && it.value().is_object() && it.value().empty()) continue;
    content[it.key()] = it.value();
  }
  Json out = Json::object();
  for (auto it = content.begin(); it != content.end(); ++it) {
    const Field* f = type.find(it.key());
    out["f:" + it.key()] = set_of(it.value(), f ? f->type : nullptr, f);
  }
  return out;
}

namespace {

// structured-merge-diff's value.Compare, for the values of "k:" and "v:" elements: numbers by
// value, strings bytewise, key field lists name by name (sorted) then value by value.
int compare_values(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_string() && b.is_string()) {
    int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.is_object() && b.is_object()) {
    std::vector<std::string> ka, kb;
    for (auto it = a.begin(); it != a.end(); ++it) ka.push_back(it.key());
    for (auto it = b.begin(); it != b.end(); ++it) kb.push_back(it.key());
    std::sort(ka.begin(), ka.end());
    std::sort(kb.begin(), kb.end());
    for (size_t i = 0; i < ka.size() && i < kb.size(); ++i) {
      if (ka[i] != kb[i]) return ka[i] < kb[i] ? -1 : 1;
      if (int c = compare_values(a.at(ka[i]), b.at(kb[i]))) return c;
    }
    return ka.size() < kb.size() ? -1 : ka.size() > kb.size() ? 1 : 0;
  }
  int c = a.dump().compare(b.dump());
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// PathElement order: field names, then keys, then values, then indices.
bool element_less(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& k) { return k[0] == 'f' ? 0 : k[0] == 'k' ? 1 : k[0] == 'v' ? 2 : 3; };
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  if (a[0] == 'f') return a < b;
  if (a[0] == 'i') return std::stoll(a.substr(2)) < std::stoll(b.substr(2));
  return compare_values(Json::parse(a.substr(2), nullptr, false), Json::parse(b.substr(2), nullptr, false)) < 0;
}

// A set as structured-merge-diff serializes it: "." (the element itself) first, then the
// children in PathElement order.
void sort_set(Json& set) {
  if (!set.is_object() || set.size() < 1) return;
  std::vector<std::pair<std::string, Json>> items;
  for (auto it = set.begin(); it != set.end(); ++it) items.emplace_back(it.key(), std::move(it.value()));
  std::stable_sort(items.begin(), items.end(), [](const auto& x, const auto& y) {
    if (x.first == "." || y.first == ".") return x.first == "." && y.first != ".";
    return element_less(x.first, y.first);
  });
  set = Json::object();
  for (auto& [k, v] : items) {
    sort_set(v);
    set[k] = std::move(v);
  }
}

}  // namespace

Json managed_entry(const std::string& manager, const std::string& operation,
                   const std::string& api_version, const Json& fields, const std::string& subresource) {
  Json e = Json::object();
  e["manager"] = manager;
  e["operation"] = operation;
  e["apiVersion"] = api_version;
  e["time"] = machinery::format_rfc3339(std::chrono::system_clock::now());
  e["fieldsType"] = "FieldsV1";
  e["fieldsV1"] = fields;
  sort_set(e["fieldsV1"]);
  if (!subresource.empty()) e["subresource"] = subresource;
  return e;
}

std::vector<FieldPath> leaf_paths(const Json& fields) {
  std::vector<FieldPath> out;
  FieldPath prefix;
  if (fields.is_object()) collect(fields, prefix, out);
  return out;
}

std::string human_path(const FieldPath& p) {
  std::string out;
  for (const auto& k : p) {
    if (k.rfind("f:", 0) == 0) {
      out += "." + k.substr(2);
    } else if (k.rfind("k:", 0) == 0) {
      Json j = Json::parse(k.substr(2), nullptr, false);
      out += "[";
      bool first = true;
      if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it) {
          out += (first ? "" : ",") + it.key() + "=" + it.value().dump();
          first = false;
        }
      out += "]";
    } else if (k.rfind("v:", 0) == 0) {
      out += "[=" + k.substr(2) + "]";
    }
  }
  return out;
}

const Json* value_at(const Json& obj, const FieldPath& p) {
  const Json* cur = &obj;
  for (const auto& k : p) {
    if (k.rfind("f:", 0) == 0) {
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(k.substr(2));
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else {
      cur = find_item(const_cast<Json&>(*cur), k);
      if (!cur) return nullptr;
    }
  }
  return cur;
}

void remove_value(Json& obj, const FieldPath& p) {
  if (p.empty()) return;
  Json* cur = &obj;
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    const std::string& k = p[i];
    if (k.rfind("f:", 0) == 0) {
      if (!cur->is_object() || !cur->contains(k.substr(2))) return;
      cur = &(*cur)[k.substr(2)];
    } else {
      cur = find_item(*cur, k);
      if (!cur) return;
    }
  }
  const std::string& last = p.back();
  if (last.rfind("f:", 0) == 0) {
    if (cur->is_object()) cur->erase(last.substr(2));
  } else if (cur->is_array()) {
    if (Json* item = find_item(*cur, last)) {
      size_t idx = static_cast<size_t>(item - &(*cur)[0]);
      cur->erase(idx);
    }
  }
}

void remove_from_set(Json& fields, const FieldPath& p) {
  Json* cur = &fields;
  std::vector<Json*> chain;
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    if (!cur->is_object() || !cur->contains(p[i])) return;
    chain.push_back(cur);
    cur = &(*cur)[p[i]];
  }
  if (cur->is_object()) cur->erase(p.back());
  // Drop parents left empty (a "." marker alone means the item itself: keep it).
  for (size_t i = chain.size(); i-- > 0;) {
    Json& child = (*chain[i])[p[i]];
    if (child.is_object() && child.empty()) chain[i]->erase(p[i]);
    else break;
  }
}

bool set_contains(const Json& fields, const FieldPath& p) {
  const Json* cur = &fields;
  for (const auto& k : p) {
    if (!cur->is_object()) return false;
    auto it = cur->find(k);
    if (it == cur->end()) return false;
    cur = &*it;
  }
  return true;
}

}  // namespace kapi::server
