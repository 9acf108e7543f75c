#include "server/storage/sqlite_key_index.h"

namespace kapi::storage::sqlite {

std::optional<KeyRevs> KeyIndex::find(const std::string& key, const KeyChanges& staged) const {
  if (auto it = staged.find(key); it != staged.end()) return it->second;
  if (auto it = keys_.find(key); it != keys_.end()) return it->second;
  return std::nullopt;
}

void KeyIndex::publish(const KeyChanges& changes, int64_t revision) {
  std::unique_lock lk(mu_);
  for (const auto& [key, state] : changes) {
    if (state)
      keys_[key] = *state;
    else
      keys_.erase(key);
  }
  rev_ = revision;
}

std::optional<KeyRevs> KeyIndex::ReadLock::find(const std::string& key) const {
  if (auto it = index_.keys_.find(key); it != index_.keys_.end()) return it->second;
  return std::nullopt;
}

int64_t KeyIndex::ReadLock::range(const std::string& begin, const std::string& end, int64_t limit,
                                  std::vector<std::pair<std::string, KeyRevs>>& out) const {
  auto it = index_.keys_.lower_bound(begin);
  auto stop = end.empty() ? index_.keys_.end() : index_.keys_.lower_bound(end);
  for (; it != stop && (limit <= 0 || static_cast<int64_t>(out.size()) < limit); ++it)
    out.emplace_back(it->first, it->second);
  int64_t left = 0;
  for (; it != stop; ++it) ++left;
  return left;
}

}  // namespace kapi::storage::sqlite
