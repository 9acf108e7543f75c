#include "server/registry/watch_stream.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/status.h"
#include "server/registry/conversion.h"
#include "server/registry/object_meta.h"
#include "server/registry/table.h"

namespace kapi::server {

namespace {
std::atomic<bool> g_stopping{false};

const char* type_name(storage::WatchEvent::Type t) {
  switch (t) {
    case storage::WatchEvent::Type::kAdded: return "ADDED";
    case storage::WatchEvent::Type::kModified: return "MODIFIED";
    case storage::WatchEvent::Type::kDeleted: return "DELETED";
    case storage::WatchEvent::Type::kBookmark: return "BOOKMARK";
    case storage::WatchEvent::Type::kError: return "ERROR";
  }
  return "ERROR";
}
}  // namespace

void stop_all_watch_streams() { g_stopping = true; }

void start_watch_stream(storage::WatchCache& cache, const WatchRequest& w, HttpResponse& out) {
  storage::AttrExtractor none;
  std::function<bool(const storage::CachedObject&)> filter;
  auto f = w.filter;
  std::string exact = w.exact_key;
  if (f || !exact.empty()) {
    filter = [f, exact](const storage::CachedObject& o) {
      if (!exact.empty() && o.key != exact) return false;
      return !f || f(o.labels, o.fields);
    };
  }
  std::shared_ptr<storage::Watcher> watcher =
      cache.watch(w.prefix, w.send_initial ? 0 : w.from_revision, filter, 4096);
  out.status = 200;
  out.content_type = "application/json";
  WatchRequest req = w;
  out.stream = [watcher, req, &cache](const ChunkWriter& write) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(req.timeout_seconds);
    bool first_table = true;
    bool initial_done = !req.send_initial;
    int64_t last_rev = req.from_revision;
    auto last_send = std::chrono::steady_clock::now();
    auto encode = [&](const char* type, const std::string& object) {
      return std::string("{\"type\":\"") + type + "\",\"object\":" + object + "}\n";
    };
    auto bookmark = [&](int64_t rev, bool initial_end) {
      std::string kind = req.res ? req.res->kind : "";
      std::string gv = req.res ? req.res->group_version() : "v1";
      std::string obj = "{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + gv +
                        "\",\"metadata\":{\"resourceVersion\":\"" + std::to_string(rev) + "\"";
      if (initial_end) obj += ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}";
      obj += "}}";
      return encode("BOOKMARK", obj);
    };
    while (!g_stopping) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) break;
      storage::WatchEvent ev;
      auto wait = std::min<std::chrono::milliseconds>(
          std::chrono::milliseconds(1000),
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
      if (!watcher->next(ev, wait)) {
        if (watcher->closed()) break;
        // Initial events done once the queue drains: announce it if asked.
        if (!initial_done) {
          initial_done = true;
          if (req.initial_events_end_bookmark) {
            if (!write(bookmark(cache.revision(), true))) break;
            last_send = std::chrono::steady_clock::now();
          }
        }
        // A periodic write notices vanished clients (the write fails) and frees the thread.
        if (std::chrono::steady_clock::now() - last_send > std::chrono::seconds(req.bookmarks ? 30 : 15)) {
          std::string chunk = req.bookmarks ? bookmark(std::max(last_rev, cache.revision()), false) : "";
          if (!chunk.empty() ? !write(chunk) : !write(std::string_view("\n", 0))) break;
          last_send = std::chrono::steady_clock::now();
        }
        continue;
      }
      std::string line;
      if (ev.type == storage::WatchEvent::Type::kError) {
        runtime::Status s = runtime::Status::resource_expired(ev.error.message);
        if (ev.error.code != storage::Code::kExpired) s = runtime::Status::internal(ev.error.message);
        line = encode("ERROR", runtime::encode_json(s.to_json()));
        write(line);
        break;
      }
      if (ev.type == storage::WatchEvent::Type::kBookmark) {
        if (!req.bookmarks) continue;
        line = bookmark(ev.revision, false);
      } else {
        if (!ev.object) continue;
        last_rev = ev.object->mod_revision;
        if (req.table && req.res) {
          std::string row = render_ages(cached_row(*req.res, *ev.object, req.include_object));
          std::string t = "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"" +
                           std::to_string(ev.object->mod_revision) + "\"},";
          if (first_table) {
            t += "\"columnDefinitions\":" + runtime::encode_json(column_definitions(*req.res)) + ",";
            first_table = false;
          } else {
            t += "\"columnDefinitions\":null,";
          }
          t += "\"rows\":[" + row + "]}";
          line = encode(type_name(ev.type), t);
        } else {
          // Shared by every watcher of this object version (and of this API version of it).
          line = encode(type_name(ev.type), req.res ? shared_served_json(*req.res, *ev.object) : object_json(*ev.object));
        }
      }
      if (!write(line)) break;
      last_send = std::chrono::steady_clock::now();
    }
    watcher->stop();
  };
}

}  // namespace kapi::server
