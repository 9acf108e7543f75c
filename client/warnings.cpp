#include "client/warnings.h"

#include <mutex>
#include <set>

#include "client/cmd/command.h"

namespace kapi::client {

void print_warning(const std::string& text) {
  static std::mutex mu;
  static std::set<std::string> printed;
  std::lock_guard<std::mutex> lock(mu);
  if (printed.insert(text).second) write_stderr("Warning: " + text + "\n");
}

}  // namespace kapi::client
