#include "pkg/machinery/strategic_patch.h"

#include <algorithm>
#include <functional>

#include <nlohmann/json.hpp>

#include "pkg/machinery/go_format.h"

// A close port of upstream's patch.go. Go maps are reference types and several upstream
// helpers mutate their arguments; where that is observable it is reproduced explicitly.
namespace kapi::machinery {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view kDirectiveMarker = "$patch";
constexpr std::string_view kDeleteDirective = "delete";
constexpr std::string_view kReplaceDirective = "replace";
constexpr std::string_view kMergeDirective = "merge";
constexpr std::string_view kRetainKeysStrategy = "retainKeys";
constexpr std::string_view kDeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
constexpr std::string_view kRetainKeysDirective = "$retainKeys";
constexpr std::string_view kSetElementOrderPrefix = "$setElementOrder";

const char* const kErrBadJSONDoc = "invalid JSON document";
const char* const kErrNoListOfLists = "lists of lists are not supported";
const char* const kErrBadPatchFormatForPrimitiveList = "invalid patch format of primitive list";
const char* const kErrBadPatchFormatForRetainKeys = "invalid patch format of retainKeys";
const char* const kErrBadPatchFormatForSetElementOrderList = "invalid patch format of setElementOrder list";
const std::string kMapType = "map[string]interface {}";
const std::string kSliceType = "[]interface {}";

// Error carrier convertible to any Result<T>.
struct Fail {
  std::string msg;
  int code = 0;
  template <class T>
  operator Result<T>() const {  // NOLINT: implicit by design
    return Result<T>::failure(msg, code);
  }
};

#define SMP_TRY(var, expr)                                      \
  auto var##_res = (expr);                                      \
  if (!var##_res.ok()) return Fail{var##_res.error(), var##_res.code()}; \
  auto var = std::move(*var##_res)

#define SMP_CHECK(expr)                                  \
  do {                                                   \
    auto smp_err_ = (expr);                              \
    if (smp_err_) return Fail{*smp_err_};                \
  } while (0)

using Err = std::optional<std::string>;

// ---- Go value semantics ----

enum class Tag { Nil, Bool, Str, Int, Float, Slice, Map };

Tag tag(const json& v) {
  switch (v.type()) {
    case json::value_t::boolean: return Tag::Bool;
    case json::value_t::string: return Tag::Str;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return Tag::Int;
    case json::value_t::number_float: return Tag::Float;
    case json::value_t::array: return Tag::Slice;
    case json::value_t::object: return Tag::Map;
    default: return Tag::Nil;
  }
}

// reflect.DeepEqual on decoded JSON (int64 and float64 are distinct types).
bool deep_equal(const json& a, const json& b) {
  if (tag(a) != tag(b)) return false;
  switch (tag(a)) {
    case Tag::Map: {
      if (a.size() != b.size()) return false;
      for (auto it = a.begin(); it != a.end(); ++it) {
        auto jt = b.find(it.key());
        if (jt == b.end() || !deep_equal(*it, *jt)) return false;
      }
      return true;
    }
    case Tag::Slice: {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!deep_equal(a[i], b[i])) return false;
      }
      return true;
    }
    default: return a == b;
  }
}

// Go's interface == (maps/slices would panic upstream; compared deeply here).
bool go_equal(const json& a, const json& b) { return deep_equal(a, b); }

std::string sprint(const json& v) { return gofmt::sprint_v(v); }

// fmt %s of an interface value.
std::string sprint_s(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "%!s(<nil>)";
  if (v.is_object() || v.is_array()) return sprint(v);
  return "%!s(" + gofmt::type_name(v) + "=" + sprint(v) + ")";
}

bool has_prefix(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

Fail err_bad_arg_type(const std::string& expected, const json& actual) {
  return Fail{"expected a " + expected + ", but received a " + gofmt::type_name(actual)};
}
Fail err_no_merge_key(const json& m, const std::string& k) {
  return Fail{"map: " + sprint(m) + " does not contain declared merge key: " + k};
}
Fail err_bad_patch_type(const json& t, const json& m) {
  return Fail{"unknown patch type: " + sprint_s(t) + " in map: " + sprint(m)};
}

// ---- Go's sort.Sort (pdqsort: insertion sort up to 12 items) and sort.SliceStable ----
// The less functions upstream are not strict weak orders, so the exact algorithm matters.

using Less = std::function<bool(const json&, const json&)>;

void insertion_sort(std::vector<json>& v, size_t a, size_t b, const Less& less) {
  for (size_t i = a + 1; i < b; ++i) {
    for (size_t j = i; j > a && less(v[j], v[j - 1]); --j) std::swap(v[j], v[j - 1]);
  }
}

void go_sort(std::vector<json>& v, const Less& less) {
  if (v.size() <= 12) {
    insertion_sort(v, 0, v.size(), less);
    return;
  }
  std::stable_sort(v.begin(), v.end(), [&](const json& x, const json& y) { return less(x, y) && !less(y, x); });
}

void swap_range(std::vector<json>& v, size_t a, size_t b, size_t n) {
  for (size_t i = 0; i < n; ++i) std::swap(v[a + i], v[b + i]);
}

void rotate(std::vector<json>& v, size_t a, size_t m, size_t b) {
  size_t i = m - a, j = b - m;
  while (i != j) {
    if (i > j) {
      swap_range(v, m - i, m, j);
      i -= j;
    } else {
      swap_range(v, m - i, m + j - i, i);
      j -= i;
    }
  }
  swap_range(v, m - i, m, i);
}

void sym_merge(std::vector<json>& v, size_t a, size_t m, size_t b, const Less& less) {
  if (m - a == 1) {
    size_t i = m, j = b;
    while (i < j) {
      size_t h = (i + j) >> 1;
      if (less(v[h], v[a])) {
        i = h + 1;
      } else {
        j = h;
      }
    }
    for (size_t k = a; k + 1 < i; ++k) std::swap(v[k], v[k + 1]);
    return;
  }
  if (b - m == 1) {
    size_t i = a, j = m;
    while (i < j) {
      size_t h = (i + j) >> 1;
      if (!less(v[m], v[h])) {
        i = h + 1;
      } else {
        j = h;
      }
    }
    for (size_t k = m; k > i; --k) std::swap(v[k], v[k - 1]);
    return;
  }
  size_t mid = (a + b) >> 1;
  size_t n = mid + m;
  size_t start, r;
  if (m > mid) {
    start = n - b;
    r = mid;
  } else {
    start = a;
    r = m;
  }
  size_t p = n - 1;
  while (start < r) {
    size_t c = (start + r) >> 1;
    if (!less(v[p - c], v[c])) {
      start = c + 1;
    } else {
      r = c;
    }
  }
  size_t end = n - start;
  if (start < m && m < end) rotate(v, start, m, end);
  if (a < start && start < mid) sym_merge(v, a, start, mid, less);
  if (mid < end && end < b) sym_merge(v, mid, end, b, less);
}

void go_slice_stable(std::vector<json>& v, const Less& less) {
  size_t n = v.size(), block = 20, a = 0, b = block;
  while (b <= n) {
    insertion_sort(v, a, b, less);
    a = b;
    b += block;
  }
  insertion_sort(v, a, n, less);
  while (block < n) {
    a = 0;
    b = 2 * block;
    while (b <= n) {
      sym_merge(v, a, a + block, b, less);
      a = b;
      b += 2 * block;
    }
    if (a + block < n) sym_merge(v, a, a + block, n, less);
    block *= 2;
  }
}

std::vector<json> to_vec(const json& arr) {
  std::vector<json> v;
  if (arr.is_array()) v.assign(arr.begin(), arr.end());
  return v;
}
json to_arr(std::vector<json> v) {
  json a = json::array();
  for (auto& e : v) a.push_back(std::move(e));
  return a;
}

// sortScalars: by fmt %v text, Less = a <= b as upstream.
void sort_scalars(std::vector<json>& v) {
  go_sort(v, [](const json& a, const json& b) { return sprint(a) <= sprint(b); });
}

void deduplicate_scalars(std::vector<json>& s) {
  if (s.empty()) return;
  size_t length = s.size() - 1;
  for (size_t i = 0; i < length; ++i) {
    for (size_t j = i + 1; j <= length; ++j) {
      if (go_equal(s[i], s[j])) {
        s[j] = s[length];
        s.resize(length);
        --length;
        --j;
      }
    }
  }
}

// ---- schema lookups ----

struct Meta {
  const PatchSchema* sub = nullptr;
  std::vector<std::string> strategies;
  std::string merge_key;
};

Meta lookup(const PatchSchema* schema, const std::string& key) {
  Meta m;
  if (schema == nullptr) return m;
  auto f = schema->field(key);
  if (!f) return m;
  m.sub = f->elem;
  m.merge_key = f->merge_key;
  if (!f->strategy.empty()) {
    size_t start = 0;
    while (true) {
      size_t comma = f->strategy.find(',', start);
      m.strategies.push_back(f->strategy.substr(start, comma == std::string::npos ? comma : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return m;
}

struct Strategy {
  bool retain_keys = false;
  std::string strategy;
};

Result<Strategy> extract_retain_keys_patch_strategy(const std::vector<std::string>& s) {
  auto unexpected = [&] {
    std::string list;
    for (size_t i = 0; i < s.size(); ++i) list += (i ? " " : "") + s[i];
    return Fail{"unexpected patch strategy: [" + list + "]"};
  };
  switch (s.size()) {
    case 0: return Strategy{};
    case 1: return s[0] == kRetainKeysStrategy ? Strategy{true, ""} : Strategy{false, s[0]};
    case 2:
      if (s[0] == kRetainKeysStrategy) return Strategy{true, s[1]};
      if (s[1] == kRetainKeysStrategy) return Strategy{true, s[0]};
      return unexpected();
    default: return unexpected();
  }
}

Result<Tag> slice_element_type(std::initializer_list<const json*> slices) {
  std::optional<Tag> prev;
  for (const json* s : slices) {
    if (!s || !s->is_array()) continue;
    for (const auto& v : *s) {
      Tag t = tag(v);
      if (!prev) {
        prev = t;
        if (t == Tag::Slice) return Fail{kErrNoListOfLists};
      } else if (*prev != t) {
        json all = json::array();
        for (const json* x : slices) all.push_back(x && x->is_array() ? *x : json::array());
        return Fail{"list element types are not identical: " + sprint(all)};
      }
    }
  }
  if (!prev) return Fail{"no elements in any of the given slices"};
  return *prev;
}

// ---- diff (patch creation) ----

struct DiffOptions {
  bool set_element_order = false;
  bool ignore_changes_and_additions = false;
  bool ignore_deletions = false;
  bool build_retain_keys_directive = false;
};

Result<json> diff_maps(const json& original, const json& modified, const PatchSchema* schema, DiffOptions opts);

json index_value(const json& item, const std::string& merge_key, Tag kind) {
  if (kind != Tag::Map) return item;
  if (!item.is_object()) return nullptr;
  auto it = item.find(merge_key);
  return it == item.end() ? json(nullptr) : *it;
}

int index_of(const std::vector<json>& l, const json& val, const std::string& merge_key, Tag kind) {
  json key = index_value(val, merge_key, kind);
  for (size_t i = 0; i < l.size(); ++i) {
    if (go_equal(key, index_value(l[i], merge_key, kind))) return static_cast<int>(i);
  }
  return -1;
}

Err validate_merge_key_in_lists(const std::string& merge_key, const std::vector<const std::vector<json>*>& lists) {
  for (const auto* list : lists) {
    for (const auto& item : *list) {
      if (!item.is_object()) return err_bad_arg_type(kMapType, item).msg;
      if (!item.contains(merge_key)) return err_no_merge_key(item, merge_key).msg;
    }
  }
  return std::nullopt;
}

bool is_delete_directive(const json& m) {
  auto it = m.find(kDirectiveMarker);
  return it != m.end() && it->is_string() && it->get<std::string>() == kDeleteDirective;
}

Result<std::vector<json>> normalize_slice_order(std::vector<json> to_sort, const std::vector<json>& order,
                                                const std::string& merge_key, Tag kind) {
  std::vector<json> to_delete;
  if (kind == Tag::Map) {
    if (auto e = validate_merge_key_in_lists(merge_key, {&to_sort, &order})) return Fail{*e};
    std::vector<json> non_delete;
    for (auto& v : to_sort) (is_delete_directive(v) ? to_delete : non_delete).push_back(std::move(v));
    to_sort = std::move(non_delete);
  }
  go_slice_stable(to_sort, [&](const json& a, const json& b) {
    int ia = index_of(order, a, merge_key, kind);
    if (ia >= 0) {
      int ib = index_of(order, b, merge_key, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  for (auto& d : to_delete) to_sort.push_back(std::move(d));
  return to_sort;
}

std::vector<json> merge_sorted_slice(const std::vector<json>& left, const std::vector<json>& right,
                                     const std::vector<json>& server_order, const std::string& merge_key, Tag kind) {
  std::vector<json> s;
  size_t i = 0, j = 0, size = left.size() + right.size();
  for (size_t k = 0; k < size; ++k) {
    if (i >= left.size() && j < right.size()) {
      s.push_back(right[j++]);
    } else if (j >= right.size() && i < left.size()) {
      s.push_back(left[i++]);
    } else {
      int li = index_of(server_order, left[i], merge_key, kind);
      int ri = index_of(server_order, right[j], merge_key, kind);
      if (li >= 0 && ri >= 0 && li < ri) {
        s.push_back(left[i++]);
      } else {
        s.push_back(right[j++]);
      }
    }
  }
  return s;
}

Result<std::vector<json>> normalize_element_order(std::vector<json> patch, std::vector<json> server_only,
                                                  const std::vector<json>& patch_order,
                                                  const std::vector<json>& server_order, const std::string& merge_key,
                                                  Tag kind) {
  SMP_TRY(p, normalize_slice_order(std::move(patch), patch_order, merge_key, kind));
  SMP_TRY(s, normalize_slice_order(std::move(server_only), server_order, merge_key, kind));
  return merge_sorted_slice(s, p, server_order, merge_key, kind);
}

Result<bool> merge_key_value_equal(const json& left, const json& right, const std::string& merge_key) {
  if (merge_key.empty()) return go_equal(left, right);
  if (!left.is_object()) return err_bad_arg_type(kMapType, left);
  if (!right.is_object()) return err_bad_arg_type(kMapType, right);
  auto l = left.find(merge_key);
  if (l == left.end()) return err_no_merge_key(left, merge_key);
  auto r = right.find(merge_key);
  if (r == right.end()) return err_no_merge_key(right, merge_key);
  return go_equal(*l, *r);
}

Result<bool> is_order_same(const json& original, const json& modified, const std::string& merge_key) {
  if (original.size() != modified.size()) return false;
  for (size_t i = 0; i < modified.size(); ++i) {
    SMP_TRY(eq, merge_key_value_equal(original[i], modified[i], merge_key));
    if (!eq) return false;
  }
  return true;
}

// Sorts `original` in place, as upstream's sortScalars does to the caller's slice.
Result<std::pair<std::vector<json>, std::vector<json>>> diff_lists_of_scalars(json& original, const json& modified,
                                                                              const DiffOptions& opts) {
  std::vector<json> orig = to_vec(original), mod = to_vec(modified);
  sort_scalars(orig);
  original = to_arr(orig);
  sort_scalars(mod);
  std::vector<json> add, del;
  size_t oi = 0, mi = 0;
  while (oi < orig.size() || mi < mod.size()) {
    bool oin = oi < orig.size(), min = mi < mod.size();
    std::string os = oin ? sprint(orig[oi]) : "", ms = min ? sprint(mod[mi]) : "";
    if (oin && min && os == ms) {
      ++oi;
      ++mi;
    } else if (!oin || (oin && min && os > ms)) {
      if (!opts.ignore_changes_and_additions) add.push_back(mod[mi]);
      ++mi;
    } else {
      if (!opts.ignore_deletions) del.push_back(orig[oi]);
      ++oi;
    }
  }
  deduplicate_scalars(del);
  return std::make_pair(std::move(add), std::move(del));
}

Result<std::vector<json>> sort_merge_lists_by_name_array(const json& s, const PatchSchema* schema,
                                                         const std::string& merge_key, bool recurse);

Result<std::pair<std::vector<json>, std::vector<json>>> diff_lists_of_maps(const json& original, const json& modified,
                                                                           const PatchSchema* schema,
                                                                           const std::string& merge_key,
                                                                           const DiffOptions& opts) {
  std::vector<json> patch, deletions;
  SMP_TRY(orig, sort_merge_lists_by_name_array(original, schema, merge_key, false));
  SMP_TRY(mod, sort_merge_lists_by_name_array(modified, schema, merge_key, false));
  auto elem_and_key = [&](const std::vector<json>& l, size_t i) -> Result<std::pair<json, json>> {
    if (!l[i].is_object()) return err_bad_arg_type(kMapType, l[i]);
    auto it = l[i].find(merge_key);
    if (it == l[i].end()) return err_no_merge_key(l[i], merge_key);
    return std::make_pair(l[i], *it);
  };
  size_t oi = 0, mi = 0;
  while (oi < orig.size() || mi < mod.size()) {
    bool oin = oi < orig.size(), min = mi < mod.size();
    json oe, ok, me, mk;
    std::string os, ms;
    if (oin) {
      SMP_TRY(p, elem_and_key(orig, oi));
      oe = std::move(p.first);
      ok = std::move(p.second);
      os = sprint(ok);
    }
    if (min) {
      SMP_TRY(p, elem_and_key(mod, mi));
      me = std::move(p.first);
      mk = std::move(p.second);
      ms = sprint(mk);
    }
    if (oin && min && os == ms) {
      SMP_TRY(pv, diff_maps(oe, me, schema, opts));
      if (!pv.empty()) {
        pv[merge_key] = mk;
        patch.push_back(std::move(pv));
      }
      ++oi;
      ++mi;
    } else if (!oin || (oin && min && os > ms)) {
      if (!opts.ignore_changes_and_additions) patch.push_back(me);
      ++mi;
    } else {
      if (!opts.ignore_deletions) {
        json d = json::object();
        d[merge_key] = ok;
        d[std::string(kDirectiveMarker)] = kDeleteDirective;
        deletions.push_back(std::move(d));
      }
      ++oi;
    }
  }
  return std::make_pair(std::move(patch), std::move(deletions));
}

struct ListDiff {
  std::vector<json> patch, deletions, set_order;
};

Result<ListDiff> diff_lists(json original, const json& modified, const PatchSchema* schema,
                            const std::string& merge_key, const DiffOptions& opts) {
  ListDiff out;
  if (original.empty()) {
    if (modified.empty() || opts.ignore_changes_and_additions) return out;
    out.patch = to_vec(modified);
    return out;
  }
  SMP_TRY(kind, slice_element_type({&original, &modified}));
  if (kind == Tag::Map) {
    SMP_TRY(lists, diff_lists_of_maps(original, modified, schema, merge_key, opts));
    SMP_TRY(patch, normalize_slice_order(std::move(lists.first), to_vec(modified), merge_key, kind));
    SMP_TRY(order_same, is_order_same(original, modified, merge_key));
    for (auto& d : lists.second) patch.push_back(std::move(d));
    out.patch = std::move(patch);
    if (opts.set_element_order &&
        ((!opts.ignore_changes_and_additions && (!out.patch.empty() || !order_same)) ||
         (!opts.ignore_deletions && !out.patch.empty()))) {
      for (const auto& v : modified) {
        json e = json::object();
        auto it = v.find(merge_key);
        e[merge_key] = it == v.end() ? json(nullptr) : *it;
        out.set_order.push_back(std::move(e));
      }
    }
    return out;
  }
  if (kind == Tag::Slice) return Fail{kErrNoListOfLists};
  SMP_TRY(lists, diff_lists_of_scalars(original, modified, opts));
  auto patch = normalize_slice_order(std::move(lists.first), to_vec(modified), merge_key, kind);
  out.deletions = std::move(lists.second);
  if (opts.set_element_order && ((!opts.ignore_deletions && !out.deletions.empty()) ||
                                 (!opts.ignore_changes_and_additions && !deep_equal(original, modified)))) {
    out.set_order = to_vec(modified);
  }
  if (!patch.ok()) return Fail{patch.error()};
  out.patch = std::move(*patch);
  return out;
}

Err handle_map_diff(const std::string& key, const json& original, const json& modified, json& patch,
                    const PatchSchema* schema, DiffOptions opts) {
  Meta meta = lookup(schema, key);
  auto strat = extract_retain_keys_patch_strategy(meta.strategies);
  if (!strat.ok()) return strat.error();
  opts.build_retain_keys_directive = strat->retain_keys;
  if (strat->strategy == kReplaceDirective) {
    if (!opts.ignore_changes_and_additions) patch[key] = modified;
    return std::nullopt;
  }
  auto pv = diff_maps(original, modified, meta.sub, opts);
  if (!pv.ok()) return pv.error();
  if (!pv->empty()) patch[key] = std::move(*pv);
  return std::nullopt;
}

void replace_patch_field_if_not_equal(const std::string& key, const json& original, const json& modified,
                                      json& patch, const DiffOptions& opts) {
  if (opts.ignore_changes_and_additions) return;
  if (deep_equal(original, modified)) return;
  patch[key] = modified;
}

Err handle_slice_diff(const std::string& key, const json& original, const json& modified, json& patch,
                      const PatchSchema* schema, DiffOptions opts) {
  Meta meta = lookup(schema, key);
  auto strat = extract_retain_keys_patch_strategy(meta.strategies);
  if (!strat.ok()) return strat.error();
  if (strat->strategy != kMergeDirective) {
    replace_patch_field_if_not_equal(key, original, modified, patch, opts);
    return std::nullopt;
  }
  opts.build_retain_keys_directive = strat->retain_keys;
  auto d = diff_lists(original, modified, meta.sub, meta.merge_key, opts);
  if (!d.ok()) return d.error();
  if (!d->patch.empty()) patch[key] = to_arr(std::move(d->patch));
  if (!d->deletions.empty()) {
    patch[std::string(kDeleteFromPrimitiveListPrefix) + "/" + key] = to_arr(std::move(d->deletions));
  }
  if (!d->set_order.empty()) patch[std::string(kSetElementOrderPrefix) + "/" + key] = to_arr(std::move(d->set_order));
  return std::nullopt;
}

Result<json> diff_maps(const json& original, const json& modified, const PatchSchema* schema, DiffOptions opts) {
  json patch = json::object();
  std::vector<json> retain_keys;
  for (auto it = modified.begin(); it != modified.end(); ++it) {
    const std::string& key = it.key();
    const json& mv = *it;
    if (opts.build_retain_keys_directive && !mv.is_null()) retain_keys.emplace_back(key);
    auto ot = original.find(key);
    if (ot == original.end()) {
      if (!opts.ignore_changes_and_additions) patch[key] = mv;
      continue;
    }
    const json& ov = *ot;
    if (key == kDirectiveMarker) {
      if (!ov.is_string() || !mv.is_string()) return Fail{"invalid value for special key: $patch"};
      if (ov != mv) patch[key] = mv;
      continue;
    }
    if (tag(ov) != tag(mv)) {
      if (!opts.ignore_changes_and_additions) patch[key] = mv;
      continue;
    }
    Err err;
    if (ov.is_object()) {
      err = handle_map_diff(key, ov, mv, patch, schema, opts);
    } else if (ov.is_array()) {
      err = handle_slice_diff(key, ov, mv, patch, schema, opts);
    } else {
      replace_patch_field_if_not_equal(key, ov, mv, patch, opts);
    }
    if (err) return Fail{*err};
  }
  if (!opts.ignore_deletions) {
    for (auto it = original.begin(); it != original.end(); ++it) {
      if (!modified.contains(it.key())) patch[it.key()] = nullptr;
    }
  }
  bool additional_new_field = false;  // hasAdditionalNewField
  for (auto it = original.begin(); it != original.end(); ++it) {
    if (!it->is_null() && !modified.contains(it.key())) additional_new_field = true;
  }
  if (!retain_keys.empty() && (!patch.empty() || additional_new_field)) {
    sort_scalars(retain_keys);
    patch[std::string(kRetainKeysDirective)] = to_arr(std::move(retain_keys));
  }
  return patch;
}

// ---- merge (patch application) ----

struct MergeOptions {
  bool merge_parallel_list = false;
  bool ignore_unmatched_nulls = false;
};

Result<json> merge_map(json original, json patch, const PatchSchema* schema, const MergeOptions& opts);

// removeDirectives: drops maps carrying $patch, recursively. Returns nullopt for "do not keep".
std::optional<json> remove_directives(json obj) {
  if (obj.is_object()) {
    if (obj.contains(kDirectiveMarker)) return std::nullopt;
    for (auto it = obj.begin(); it != obj.end();) {
      auto v = remove_directives(std::move(*it));
      if (v) {
        *it = std::move(*v);
        ++it;
      } else {
        it = obj.erase(it);
      }
    }
    return obj;
  }
  if (obj.is_array()) {
    json res = json::array();
    for (auto& v : obj) {
      if (auto nv = remove_directives(std::move(v))) res.push_back(std::move(*nv));
    }
    return res;
  }
  return obj;
}

void discard_null_values_from_patch(json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      if (it->is_null()) {
        it = v.erase(it);
      } else {
        discard_null_values_from_patch(*it);
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (auto& e : v) discard_null_values_from_patch(e);
  }
}

Result<std::string> extract_key(const std::string& s, std::string_view prefix) {
  auto slash = s.find('/');
  if (slash == std::string::npos || std::string_view(s).substr(0, slash) != prefix) {
    if (prefix == kDeleteFromPrimitiveListPrefix) return Fail{kErrBadPatchFormatForPrimitiveList};
    if (prefix == kSetElementOrderPrefix) return Fail{kErrBadPatchFormatForSetElementOrderList};
    return Fail{"fail to find unknown prefix \"" + std::string(prefix) + "\" in " + s + "\n"};
  }
  return s.substr(slash + 1);
}

struct Found {
  json map;
  size_t index = 0;
  bool found = false;
};

Result<Found> find_map_in_slice(const std::vector<json>& m, const std::string& key, const json& value) {
  for (size_t k = 0; k < m.size(); ++k) {
    if (!m[k].is_object()) return Fail{"value for key " + std::to_string(k) + " is not a map"};
    auto it = m[k].find(key);
    if (it != m[k].end() && go_equal(*it, value)) return Found{m[k], k, true};
  }
  return Found{};
}

Err validate_patch_with_set_order_list(const json& patch_list, const json& set_order_list, const std::string& merge_key) {
  if (!set_order_list.is_array() || !patch_list.is_array()) return kErrBadPatchFormatForSetElementOrderList;
  if (set_order_list.empty() || patch_list.empty()) return std::nullopt;
  std::vector<json> non_delete;
  if (!merge_key.empty()) {
    for (const auto& v : patch_list) {
      if (!v.is_object()) return err_bad_arg_type(kMapType, v).msg;
      if (!is_delete_directive(v)) non_delete.push_back(v);
    }
  } else {
    non_delete = to_vec(patch_list);
  }
  size_t pi = 0, si = 0;
  while (pi < non_delete.size() && si < set_order_list.size()) {
    if (non_delete[pi].is_object() && non_delete[pi].contains(kDirectiveMarker)) {
      ++pi;
      continue;
    }
    auto eq = merge_key_value_equal(non_delete[pi], set_order_list[si], merge_key);
    if (!eq.ok()) return eq.error();
    if (*eq) ++pi;
    ++si;
  }
  if (pi < non_delete.size() && si >= set_order_list.size()) {
    return "The order in patch list:\n" + sprint(patch_list) + "\n doesn't match " +
           std::string(kSetElementOrderPrefix) + " list:\n" + sprint(set_order_list) + "\n";
  }
  return std::nullopt;
}

std::pair<std::vector<json>, std::vector<json>> partition_primitives(const std::vector<json>& original,
                                                                     const std::vector<json>& by) {
  std::vector<json> patch, server_only;
  for (const auto& v : original) {
    bool in = std::any_of(by.begin(), by.end(), [&](const json& b) { return go_equal(b, v); });
    (in ? patch : server_only).push_back(v);
  }
  return {patch, server_only};
}

Result<std::pair<std::vector<json>, std::vector<json>>> partition_maps(const std::vector<json>& original,
                                                                       const std::vector<json>& by,
                                                                       const std::string& merge_key) {
  std::vector<json> patch, server_only;
  for (const auto& v : original) {
    if (!v.is_object()) return err_bad_arg_type(kMapType, v);
    auto it = v.find(merge_key);
    if (it == v.end()) return err_no_merge_key(v, merge_key);
    SMP_TRY(f, find_map_in_slice(by, merge_key, *it));
    (f.found ? patch : server_only).push_back(v);
  }
  return std::make_pair(std::move(patch), std::move(server_only));
}

Result<std::vector<json>> merge_slice(std::vector<json> original, std::vector<json> patch, const PatchSchema* schema,
                                      const std::string& merge_key, const MergeOptions& opts, bool is_delete_list,
                                      std::vector<json>* aliased_original);

Result<json> merge_slice_handler(const json& original, const json& patch, const PatchSchema* schema,
                                 const std::string& strategy, const std::string& merge_key, bool is_delete_list,
                                 const MergeOptions& opts, std::vector<json>* aliased_original = nullptr) {
  if (!original.is_array()) return err_bad_arg_type(kSliceType, original);
  if (!patch.is_array()) return err_bad_arg_type(kSliceType, patch);
  if (strategy == kMergeDirective || is_delete_list) {
    if (original.empty() && patch.empty()) return original;
    SMP_TRY(merged, merge_slice(to_vec(original), to_vec(patch), schema, merge_key, opts, is_delete_list,
                                aliased_original));
    return to_arr(std::move(merged));
  }
  return patch;
}

Result<json> merge_map_handler(const json& original, const json& patch, const PatchSchema* schema,
                               const std::string& strategy, const MergeOptions& opts) {
  if (!original.is_object()) return err_bad_arg_type(kMapType, original);
  if (!patch.is_object()) return err_bad_arg_type(kMapType, patch);
  if (strategy != kReplaceDirective) return merge_map(original, patch, schema, opts);
  return patch;
}

Err apply_retain_keys_directive(json& original, json& patch, const MergeOptions& opts) {
  auto it = patch.find(kRetainKeysDirective);
  if (it == patch.end()) return std::nullopt;
  json retain = *it;
  patch.erase(std::string(kRetainKeysDirective));
  if (!opts.merge_parallel_list) {
    auto ot = original.find(kRetainKeysDirective);
    if (ot != original.end()) {
      if (!deep_equal(*ot, retain)) {
        return sprint(*ot) + " and " + sprint(retain) +
               " are not deep equal: this may happen when calculating the 3-way diff patch";
      }
    } else {
      original[std::string(kRetainKeysDirective)] = retain;
    }
    return std::nullopt;
  }
  if (!retain.is_array()) return kErrBadPatchFormatForRetainKeys;
  auto retained = [&](const std::string& k) {
    return std::any_of(retain.begin(), retain.end(), [&](const json& v) { return v.is_string() && v.get<std::string>() == k; });
  };
  for (auto pt = patch.begin(); pt != patch.end(); ++pt) {
    if (pt->is_null() || has_prefix(pt.key(), kDeleteFromPrimitiveListPrefix) ||
        has_prefix(pt.key(), kSetElementOrderPrefix)) {
      continue;
    }
    if (!retained(pt.key())) return kErrBadPatchFormatForRetainKeys;
  }
  for (auto ot = original.begin(); ot != original.end();) {
    if (retained(ot.key())) {
      ++ot;
    } else {
      ot = original.erase(ot);
    }
  }
  return std::nullopt;
}

Err merge_patch_into_original(json& original, json& patch, const PatchSchema* schema, const MergeOptions& opts) {
  std::vector<std::string> keys;
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (has_prefix(it.key(), kSetElementOrderPrefix)) keys.push_back(it.key());
  }
  for (const auto& key : keys) {
    json set_order = patch[key];
    if (!opts.merge_parallel_list) {
      auto ot = original.find(key);
      if (ot != original.end()) {
        if (!deep_equal(*ot, set_order)) return kErrBadPatchFormatForSetElementOrderList;
      } else {
        original[key] = set_order;
      }
    }
    patch.erase(key);
    if (!set_order.is_array()) return err_bad_arg_type(kSliceType, set_order).msg;
    auto original_key = extract_key(key, kSetElementOrderPrefix);
    if (!original_key.ok()) return original_key.error();
    auto ot = original.find(*original_key);
    auto pt = patch.find(*original_key);
    bool found_original = ot != original.end(), found_patch = pt != patch.end();
    json original_field = json::array(), patch_field = json::array();
    if (found_original) {
      if (!ot->is_array()) return err_bad_arg_type(kSliceType, *ot).msg;
      original_field = *ot;
    }
    if (found_patch) {
      if (!pt->is_array()) return err_bad_arg_type(kSliceType, *pt).msg;
      patch_field = *pt;
    }
    Meta meta = lookup(schema, *original_key);
    auto strat = extract_retain_keys_patch_strategy(meta.strategies);
    if (!strat.ok()) return strat.error();
    if (auto e = validate_patch_with_set_order_list(patch_field, set_order, meta.merge_key)) return e;

    json merged;
    std::vector<json> server_order = to_vec(original_field);
    if (found_original && !found_patch) {
      merged = original_field;
    } else if (!found_original && found_patch) {
      merged = *remove_directives(patch_field);  // slices are always kept
    } else if (found_original && found_patch) {
      auto m = merge_slice_handler(original_field, patch_field, meta.sub, strat->strategy, meta.merge_key, false, opts,
                                   &server_order);
      if (!m.ok()) return m.error();
      merged = std::move(*m);
    } else {
      continue;
    }

    std::vector<json> patch_items, server_only;
    std::vector<json> order = to_vec(set_order), merged_v = to_vec(merged);
    if (meta.merge_key.empty()) {
      std::tie(patch_items, server_only) = partition_primitives(merged_v, order);
    } else {
      auto p = partition_maps(merged_v, order, meta.merge_key);
      if (!p.ok()) return p.error();
      std::tie(patch_items, server_only) = std::move(*p);
    }
    auto kind = slice_element_type({&original_field, &patch_field});
    if (!kind.ok()) return kind.error();
    auto both = normalize_element_order(std::move(patch_items), std::move(server_only), order, server_order,
                                        meta.merge_key, *kind);
    if (!both.ok()) return both.error();
    original[*original_key] = to_arr(std::move(*both));
    patch.erase(*original_key);
  }
  return std::nullopt;
}

// Capacity of a []interface{} built by encoding/json (appending one element at a time).
size_t go_decoded_cap(size_t n) {
  size_t cap = 0;
  while (cap < n) cap = cap == 0 ? 1 : (cap < 256 ? cap * 2 : cap + (cap + 3 * 256) / 4);
  return cap;
}

// mergeSlice. Upstream deletes and appends through Go slices that share the caller's backing
// array, so the caller's view of `original` changes; `aliased_original` (when given) receives
// that view, assuming the list was decoded by encoding/json (see go_decoded_cap).
Result<std::vector<json>> merge_slice(std::vector<json> original, std::vector<json> patch, const PatchSchema* schema,
                                      const std::string& merge_key, const MergeOptions& opts, bool is_delete_list,
                                      std::vector<json>* aliased_original) {
  json ow = to_arr(original), pw = to_arr(patch);
  SMP_TRY(kind, slice_element_type({&ow, &pw}));
  std::vector<json> merged, server_order;
  if (kind != Tag::Map) {
    if (opts.merge_parallel_list && is_delete_list) {  // deleteFromSlice
      std::vector<json> kept;
      for (const auto& v : original) {
        if (std::none_of(patch.begin(), patch.end(), [&](const json& d) { return go_equal(d, v); })) kept.push_back(v);
      }
      if (aliased_original) *aliased_original = original;
      return kept;
    }
    merged = original;
    merged.insert(merged.end(), patch.begin(), patch.end());
    deduplicate_scalars(merged);
    server_order = original;
    if (aliased_original) *aliased_original = original;
  } else {
    if (merge_key.empty()) return Fail{"cannot merge lists without merge key for struct"};
    const size_t orig_len = original.size();
    std::vector<json> backing = original;  // the shared Go backing array
    backing.resize(std::max(go_decoded_cap(orig_len), orig_len));
    size_t n = orig_len;
    bool in_backing = true;
    std::vector<json> fresh;  // the slice once it no longer aliases `backing`
    auto view = [&]() -> std::vector<json> {
      return in_backing ? std::vector<json>(backing.begin(), backing.begin() + static_cast<std::ptrdiff_t>(n)) : fresh;
    };

    // mergeSliceWithSpecialElements
    std::vector<json> without;
    bool replace = false;
    for (const auto& v : patch) {
      auto it = v.find(kDirectiveMarker);
      if (it == v.end()) {
        without.push_back(v);
        continue;
      }
      const json& t = *it;
      if (t == kDeleteDirective) {
        auto mv = v.find(merge_key);
        if (mv == v.end()) return err_no_merge_key(v, merge_key);
        while (true) {  // deleteMatchingEntries: shifts left inside the backing array
          SMP_TRY(f, find_map_in_slice(view(), merge_key, *mv));
          if (!f.found) break;
          for (size_t k = f.index; k + 1 < n; ++k) backing[k] = backing[k + 1];
          --n;
        }
      } else if (t == kReplaceDirective) {
        replace = true;
      } else if (t == kMergeDirective) {
        return Fail{"merging lists cannot yet be specified in the patch"};
      } else {
        return err_bad_patch_type(t, v);
      }
    }
    if (replace) {
      in_backing = false;
      fresh = std::move(without);
      patch.clear();
    } else {
      patch = std::move(without);
    }
    const size_t after_special = in_backing ? n : fresh.size();

    // mergeSliceWithoutSpecialElements
    for (const auto& v : patch) {
      auto mv = v.find(merge_key);
      if (mv == v.end()) return err_no_merge_key(v, merge_key);
      SMP_TRY(f, find_map_in_slice(view(), merge_key, *mv));
      if (f.found) {
        SMP_TRY(m, merge_map(std::move(f.map), v, schema, opts));
        (in_backing ? backing[f.index] : fresh[f.index]) = std::move(m);
      } else if (in_backing && n < backing.size()) {
        backing[n++] = v;
      } else {
        if (in_backing) {
          fresh = view();
          in_backing = false;
        }
        fresh.push_back(v);
      }
    }
    merged = view();
    server_order = replace ? merged
                           : std::vector<json>(backing.begin(),
                                               backing.begin() + static_cast<std::ptrdiff_t>(after_special));
    if (aliased_original) {
      aliased_original->assign(backing.begin(), backing.begin() + static_cast<std::ptrdiff_t>(orig_len));
    }
  }
  std::vector<json> patch_items, server_only;
  if (merge_key.empty()) {
    std::tie(patch_items, server_only) = partition_primitives(merged, patch);
  } else {
    SMP_TRY(p, partition_maps(merged, patch, merge_key));
    std::tie(patch_items, server_only) = std::move(p);
  }
  return normalize_element_order(std::move(patch_items), std::move(server_only), patch, server_order, merge_key, kind);
}

Result<json> merge_map(json original, json patch, const PatchSchema* schema, const MergeOptions& opts) {
  if (auto dt = patch.find(kDirectiveMarker); dt != patch.end()) {
    if (*dt == kReplaceDirective) {
      patch.erase(std::string(kDirectiveMarker));
      return patch;
    }
    if (*dt == kDeleteDirective) return json::object();
    return err_bad_patch_type(*dt, patch);
  }
  if (original.is_null()) original = json::object();
  SMP_CHECK(apply_retain_keys_directive(original, patch, opts));
  SMP_CHECK(merge_patch_into_original(original, patch, schema, opts));

  for (auto it = patch.begin(); it != patch.end(); ++it) {
    std::string k = it.key();
    json patch_v = *it;
    bool is_delete_list = false;
    if (has_prefix(k, kDeleteFromPrimitiveListPrefix)) {
      if (!opts.merge_parallel_list) {
        original[k] = patch_v;
        continue;
      }
      SMP_TRY(stripped, extract_key(k, kDeleteFromPrimitiveListPrefix));
      is_delete_list = true;
      if (!stripped.empty()) k = stripped;
    }
    if (patch_v.is_null()) {
      original.erase(k);
      if (opts.ignore_unmatched_nulls) continue;
    }
    auto ot = original.find(k);
    if (ot == original.end() || tag(*ot) != tag(patch_v)) {
      if (!is_delete_list) {
        if (opts.ignore_unmatched_nulls) discard_null_values_from_patch(patch_v);
        if (auto v = remove_directives(std::move(patch_v))) {
          original[k] = std::move(*v);
        } else {
          original.erase(k);
        }
      }
      continue;
    }
    Meta meta = lookup(schema, k);
    if (ot->is_object()) {
      SMP_TRY(strat, extract_retain_keys_patch_strategy(meta.strategies));
      SMP_TRY(merged, merge_map_handler(*ot, patch_v, meta.sub, strat.strategy, opts));
      original[k] = std::move(merged);
    } else if (ot->is_array()) {
      SMP_TRY(strat, extract_retain_keys_patch_strategy(meta.strategies));
      SMP_TRY(merged, merge_slice_handler(*ot, patch_v, meta.sub, strat.strategy, meta.merge_key, is_delete_list, opts));
      original[k] = std::move(merged);
    } else if (auto v = remove_directives(std::move(patch_v))) {
      original[k] = std::move(*v);
    } else {
      original.erase(k);
    }
  }
  return original;
}

// ---- sorting (sortMergeListsByName) ----

Result<json> sort_merge_lists_by_name_map(const json& s, const PatchSchema* schema) {
  json out = json::object();
  for (auto it = s.begin(); it != s.end(); ++it) {
    const std::string& k = it.key();
    json v = *it;
    if (k == kRetainKeysDirective) {
      if (!v.is_array()) return Fail{kErrBadPatchFormatForRetainKeys};
      auto vec = to_vec(v);
      sort_scalars(vec);
      v = to_arr(std::move(vec));
    } else if (has_prefix(k, kDeleteFromPrimitiveListPrefix)) {
      if (!v.is_array()) return Fail{kErrBadPatchFormatForPrimitiveList};
      auto vec = to_vec(v);
      sort_scalars(vec);
      v = to_arr(std::move(vec));
    } else if (has_prefix(k, kSetElementOrderPrefix)) {
      if (!v.is_array()) return Fail{kErrBadPatchFormatForSetElementOrderList};
    } else if (k != kDirectiveMarker) {
      Meta meta = lookup(schema, k);
      if (v.is_object()) {
        SMP_TRY(sorted, sort_merge_lists_by_name_map(v, meta.sub));
        v = std::move(sorted);
      } else if (v.is_array()) {
        SMP_TRY(strat, extract_retain_keys_patch_strategy(meta.strategies));
        if (strat.strategy == kMergeDirective) {
          SMP_TRY(sorted, sort_merge_lists_by_name_array(v, meta.sub, meta.merge_key, true));
          v = to_arr(std::move(sorted));
        }
      }
    }
    out[k] = std::move(v);
  }
  return out;
}

Result<std::vector<json>> sort_merge_lists_by_name_array(const json& s, const PatchSchema* schema,
                                                         const std::string& merge_key, bool recurse) {
  if (s.empty()) return to_vec(s);
  SMP_TRY(kind, slice_element_type({&s}));
  if (kind != Tag::Map) {
    auto v = to_vec(s);
    deduplicate_scalars(v);
    sort_scalars(v);
    return v;
  }
  std::vector<json> out;
  for (const auto& elem : s) {
    if (recurse) {
      SMP_TRY(e, sort_merge_lists_by_name_map(elem, schema));
      out.push_back(std::move(e));
    } else {
      out.push_back(elem);
    }
  }
  go_sort(out, [&](const json& a, const json& b) {
    auto key_of = [&](const json& m) {
      auto it = m.find(merge_key);
      return sprint(it == m.end() ? json(nullptr) : *it);
    };
    return key_of(a) <= key_of(b);
  });
  return out;
}

// ---- conflicts ----

Result<bool> maps_have_conflicts(const json& left, const json& right, const PatchSchema* schema);

Result<bool> merging_map_fields_have_conflicts(const json& left, const json& right, const PatchSchema* schema,
                                               const std::string& strategy, const std::string& merge_key);

Result<json> slice_of_maps_to_map_of_maps(const json& slice, const std::string& merge_key) {
  json out = json::object();
  for (const auto& v : slice) {
    if (!v.is_object()) return Fail{"invalid element type in merging list:" + sprint(slice)};
    auto it = v.find(merge_key);
    if (it == v.end()) return Fail{"cannot find merge key `" + merge_key + "` in merging list element:" + sprint(v)};
    out[sprint_s(*it)] = v;
  }
  return out;
}

Result<bool> slices_have_conflicts(const json& left, const json& right, const PatchSchema* schema,
                                   const std::string& strategy, const std::string& merge_key) {
  auto kind = slice_element_type({&left, &right});
  if (!kind.ok()) return Fail{kind.error()};
  if (strategy == kMergeDirective) {
    if (*kind != Tag::Map) return false;
    SMP_TRY(lm, slice_of_maps_to_map_of_maps(left, merge_key));
    SMP_TRY(rm, slice_of_maps_to_map_of_maps(right, merge_key));
    for (auto it = lm.begin(); it != lm.end(); ++it) {  // mapsOfMapsHaveConflicts
      auto jt = rm.find(it.key());
      if (jt == rm.end()) continue;
      SMP_TRY(c, merging_map_fields_have_conflicts(*it, *jt, schema, "", ""));
      if (c) return true;
    }
    return false;
  }
  if (left.size() != right.size()) return true;
  std::vector<json> l = to_vec(left), r = to_vec(right);
  if (*kind != Tag::Map) {
    deduplicate_scalars(l);
    sort_scalars(l);
    deduplicate_scalars(r);
    sort_scalars(r);
  }
  for (size_t i = 0; i < l.size() && i < r.size(); ++i) {
    SMP_TRY(c, merging_map_fields_have_conflicts(l[i], r[i], schema, "", ""));
    if (c) return true;
  }
  return false;
}

Result<bool> merging_map_fields_have_conflicts(const json& left, const json& right, const PatchSchema* schema,
                                               const std::string& strategy, const std::string& merge_key) {
  if (left.is_object()) {
    if (!right.is_object()) return true;
    auto lm = left.find(kDirectiveMarker), rm = right.find(kDirectiveMarker);
    bool ol = lm != left.end(), orr = rm != right.end();
    if (ol || orr) {
      if (ol != orr) return true;
      if (!go_equal(*lm, *rm)) return true;
    }
    if (strategy == kReplaceDirective) return false;
    return maps_have_conflicts(left, right, schema);
  }
  if (left.is_array()) {
    if (!right.is_array()) return true;
    return slices_have_conflicts(left, right, schema, strategy, merge_key);
  }
  return !deep_equal(left, right);
}

Result<bool> maps_have_conflicts(const json& left, const json& right, const PatchSchema* schema) {
  for (auto it = left.begin(); it != left.end(); ++it) {
    const std::string& key = it.key();
    if (key == kDirectiveMarker || key == kRetainKeysDirective) continue;
    auto jt = right.find(key);
    if (jt == right.end()) continue;
    Meta meta;
    std::string strategy;
    if (it->is_array() || it->is_object()) {
      meta = lookup(schema, key);
      SMP_TRY(strat, extract_retain_keys_patch_strategy(meta.strategies));
      strategy = strat.strategy;
    }
    SMP_TRY(c, merging_map_fields_have_conflicts(*it, *jt, meta.sub, strategy, meta.merge_key));
    if (c) return true;
  }
  return false;
}

// Go's json.Marshal orders object keys.
json sort_keys(const json& v) {
  if (v.is_object()) {
    std::vector<std::string> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    json out = json::object();
    for (const auto& k : keys) out[k] = sort_keys(v.at(k));
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (const auto& e : v) out.push_back(sort_keys(e));
    return out;
  }
  return v;
}

Result<json> as_map(const json& v) {
  if (v.is_null()) return json::object();
  if (!v.is_object()) return Fail{kErrBadJSONDoc};
  return v;
}

}  // namespace

Result<json> strategic_merge_patch(const json& original, const json& patch, const PatchSchema* schema) {
  SMP_TRY(o, as_map(original));
  SMP_TRY(p, as_map(patch));
  return merge_map(std::move(o), std::move(p), schema, MergeOptions{true, true});
}

Result<json> create_two_way_merge_patch(const json& original, const json& modified, const PatchSchema* schema) {
  SMP_TRY(o, as_map(original));
  SMP_TRY(m, as_map(modified));
  DiffOptions opts;
  opts.set_element_order = true;
  SMP_TRY(patch, diff_maps(o, m, schema, opts));
  return sort_keys(patch);
}

Result<json> create_three_way_merge_patch(const json& original, const json& modified, const json& current,
                                          const PatchSchema* schema, bool overwrite) {
  SMP_TRY(o, as_map(original));
  SMP_TRY(m, as_map(modified));
  SMP_TRY(c, as_map(current));
  DiffOptions delta_opts;
  delta_opts.ignore_deletions = true;
  delta_opts.set_element_order = true;
  SMP_TRY(delta, diff_maps(c, m, schema, delta_opts));
  DiffOptions deletions_opts;
  deletions_opts.set_element_order = true;
  deletions_opts.ignore_changes_and_additions = true;
  SMP_TRY(deletions, diff_maps(o, m, schema, deletions_opts));
  SMP_TRY(patch, merge_map(std::move(deletions), std::move(delta), schema, MergeOptions{}));
  if (!overwrite) {
    SMP_TRY(changed, diff_maps(o, c, schema, DiffOptions{}));
    SMP_TRY(conflict, maps_have_conflicts(patch, changed, schema));
    if (conflict) {
      // Upstream renders both maps as YAML; JSON carries the same content.
      return Fail{"patch:\n" + sort_keys(patch).dump() + "\nconflicts with changes made from original to current:\n" +
                      sort_keys(changed).dump() + "\n",
                  kStrategicPatchConflict};
    }
  }
  return sort_keys(patch);
}

Result<json> merge_strategic_merge_patches(const std::vector<json>& patches, const PatchSchema* schema) {
  json merged = json::object();
  for (const auto& p : patches) {
    SMP_TRY(pm, as_map(p));
    SMP_TRY(next, merge_map(std::move(merged), std::move(pm), schema, MergeOptions{}));
    merged = std::move(next);
  }
  return merged;
}

Result<bool> merging_maps_have_conflicts(const json& left, const json& right, const PatchSchema* schema) {
  return merging_map_fields_have_conflicts(left, right, schema, "", "");
}

Result<json> sort_merge_lists_by_name(const json& obj, const PatchSchema* schema) {
  SMP_TRY(o, as_map(obj));
  return sort_merge_lists_by_name_map(o, schema);
}

}  // namespace kapi::machinery
