#pragma once
// KEY=VALUE / KEY- arguments of label and annotate (cmdutil.GetResourcesAndPairs, ParsePairs).
#include <string>
#include <utility>
#include <vector>

#include "client/errors.h"

namespace kapi::client {

struct ResourcesAndPairs {
  std::vector<std::string> resources;  // the arguments before the first pair
  std::vector<std::string> pairs;
};

// Splits the arguments; a resource after a pair is an error naming `pair_type` ("label").
Result<ResourcesAndPairs> get_resources_and_pairs(const std::vector<std::string>& args,
                                                  const std::string& pair_type);

struct ParsedPairs {
  std::vector<std::pair<std::string, std::string>> set;  // in argument order, last value wins
  std::vector<std::string> remove;
};

// ParsePairs with removal support: "invalid <type> format: a, b" for malformed pairs.
Result<ParsedPairs> parse_pairs(const std::vector<std::string>& pairs, const std::string& pair_type);

}  // namespace kapi::client
