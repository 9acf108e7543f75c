#include "client/printers/sorter.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "client/printers/custom_columns.h"
#include "client/printers/jsonpath.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// isLess for two decoded JSON values (the reflect.Interface case of sorter.go); values of
// different or unsortable types are never less (upstream exits with an error there).
bool is_less(const Json& a, const Json& b) {
  if (a.is_null() && b.is_null()) return false;
  if (a.is_null()) return true;
  if (b.is_null()) return false;
  if (a.is_number_integer() && b.is_number_integer()) return a.get<int64_t>() < b.get<int64_t>();
  if (a.is_number_float() && b.is_number_float()) return a.get<double>() < b.get<double>();
  if (a.is_string() && b.is_string()) {
    const auto& x = a.get_ref<const std::string&>();
    const auto& y = b.get_ref<const std::string&>();
    auto qx = machinery::Quantity::parse(x);
    if (!qx.ok()) return x < y;
    auto qy = machinery::Quantity::parse(y);
    if (!qy.ok()) return x < y;
    return (*qx).cmp(*qy) < 0;
  }
  return false;
}

}  // namespace

Result<std::vector<size_t>> sort_order(const std::vector<const Json*>& objects, const std::string& sort_by) {
  auto relaxed = relaxed_jsonpath(sort_by);
  std::string field = relaxed.ok() ? *relaxed : sort_by;
  JsonPath jp;
  std::string err;
  if (!jp.parse(field, &err)) return CmdError::msg(err);
  // The first result of each object (none: the field is missing).
  std::vector<std::optional<Json>> keys;
  bool found = false;
  for (const auto* o : objects) {
    std::vector<Json> values;
    std::string e;
    if (!jp.find_results(*o, values, &e) || values.empty()) {
      keys.emplace_back();
      continue;
    }
    keys.emplace_back(values[0]);
    found = true;
  }
  std::vector<size_t> order(objects.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (objects.empty()) return order;
  if (!found) return CmdError::msg("couldn't find any field with path \"" + field + "\" in the list of objects");
  // Less as upstream: a missing field sorts first (even against another missing one).
  auto less = [&](size_t i, size_t j) {
    if (!keys[i]) return true;
    if (!keys[j]) return false;
    return is_less(*keys[i], *keys[j]);
  };
  if (order.size() <= 12) {
    // Go's sort.Sort runs insertion sort on slices this short; replaying it keeps ties (and
    // missing fields) where Go leaves them.
    for (size_t i = 1; i < order.size(); ++i)
      for (size_t j = i; j > 0 && less(order[j], order[j - 1]); --j) std::swap(order[j], order[j - 1]);
  } else {
    std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) {
      if (!keys[i] || !keys[j]) return !keys[i] && keys[j];
      return is_less(*keys[i], *keys[j]);
    });
  }
  return order;
}

}  // namespace kapi::client
