#pragma once
// kubectl's client-side warnings: "Warning: text" on stderr, each text once per process (the
// server's Warning headers arrive again on every request of a command; kubectl's warning writer
// deduplicates them).
#include <string>

namespace kapi::client {

void print_warning(const std::string& text);

}  // namespace kapi::client
