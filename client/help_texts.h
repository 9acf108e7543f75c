#pragma once
// Captured kubectl help texts, by command path ("config view").
#include <string>
#include <vector>

namespace kapi::client {

struct HelpText {
  const char* command;
  const char* text;
};

const std::vector<HelpText>& more_help_texts();
// `set` and `rollout` (help_texts_workloads.cpp).
const std::vector<HelpText>& workload_help_texts();
// `attach`, `cp`, `port-forward` (help_texts_streams.cpp).
const std::vector<HelpText>& stream_help_texts();
// `debug` (help_texts_debug.cpp).
const std::vector<HelpText>& debug_help_texts();

}  // namespace kapi::client
