#pragma once
// The errors both backends return, worded once so that they agree (the conformance test
// compares codes, operators read the messages).
#include <cstdint>
#include <string>

#include "server/storage/storage.h"

namespace kapi::storage::errors {

inline Error not_found(const std::string& key, int64_t store_rev) {
  return {Code::kNotFound, "key not found: " + key, store_rev};
}
inline Error already_exists(const std::string& key, int64_t store_rev) {
  return {Code::kAlreadyExists, "key already exists: " + key, store_rev};
}
inline Error conflict(const std::string& key, int64_t expected, int64_t actual, int64_t store_rev) {
  return {Code::kConflict,
          "mod revision of " + key + " is " + std::to_string(actual) + ", expected " +
              std::to_string(expected),
          store_rev};
}
inline Error compacted(int64_t rev, int64_t compacted_rev) {
  return {Code::kExpired,
          "required revision " + std::to_string(rev) + " has been compacted (compacted revision " +
              std::to_string(compacted_rev) + ")",
          compacted_rev};
}
inline Error future(int64_t rev, int64_t store_rev) {
  return {Code::kFutureRevision,
          "required revision " + std::to_string(rev) + " is a future revision (current " +
              std::to_string(store_rev) + ")",
          store_rev};
}
inline Error too_large(const std::string& key, size_t size, size_t max) {
  return {Code::kTooLarge,
          "value of " + key + " is " + std::to_string(size) + " bytes, over the limit of " +
              std::to_string(max),
          0};
}

}  // namespace kapi::storage::errors
