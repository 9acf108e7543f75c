#pragma once
// A watch as a chunked HTTP stream of newline-delimited WatchEvent JSON, one flush per event.
#include <functional>
#include <string>

#include "server/http/http.h"
#include "server/registry/resource.h"
#include "server/registry/selectors.h"
#include "server/storage/storage.h"

namespace kapi::server {

struct WatchRequest {
  std::string prefix;
  std::string exact_key;  // a watch of one object
  std::function<bool(const Attrs&, const Attrs&)> filter;
  int64_t from_revision = 0;
  bool send_initial = false;
  bool initial_events_end_bookmark = false;
  bool bookmarks = false;
  int64_t timeout_seconds = 1800;
  bool table = false;
  std::string include_object;
  const ResourceInfo* res = nullptr;
};

void start_watch_stream(storage::WatchCache& cache, const WatchRequest& w, HttpResponse& out);

// Closes every open watch stream promptly (server shutdown).
void stop_all_watch_streams();

}  // namespace kapi::server
