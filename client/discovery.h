#pragma once
// API discovery as kubectl does it: GET /api and /apis with the aggregated-discovery Accept
// header (falling back to the per-group-version lists of older servers), kept in a disk cache for
// 6 hours under <cache-dir>/discovery/<host_port>/ (our own file name, kapi-discovery.json,
// beside kubectl's files, which we never write).
#include <string>
#include <vector>

#include "client/errors.h"

namespace kapi::client {

class RestClient;

struct ApiResource {
  std::string group, version;
  std::string name;  // plural resource
  std::string singular;
  std::string kind;
  bool namespaced = false;
  std::vector<std::string> short_names, categories, verbs;
};

struct ApiGroupInfo {
  std::string name;                   // "" for the core group
  std::vector<std::string> versions;  // preferred first
};

struct DiscoveryData {
  std::vector<ApiGroupInfo> groups;     // discovery order: core first, then /apis order
  std::vector<ApiResource> resources;   // the same order; subresources dropped
};

class Discovery {
 public:
  // `cache_dir` is the --cache-dir value (e.g. ~/.kube/cache); `server` the configured URL.
  Discovery(RestClient& client, const std::string& cache_dir, const std::string& server);

  // Cached (disk, if younger than 6h) or fetched discovery data.
  Result<const DiscoveryData*> get();
  // Fetches again (kubectl's invalidation when a name does not resolve). No-op if the data
  // was already fetched from the server by this process.
  Result<const DiscoveryData*> refresh();
  bool fresh() const { return fetched_; }

  // <cache-dir>/discovery/<host with unsafe characters replaced by '_'>
  static std::string cache_path_for(const std::string& cache_dir, const std::string& server);

 private:
  Result<DiscoveryData> fetch();
  bool load_cache();
  void save_cache() const;

  RestClient& client_;
  std::string dir_;
  bool loaded_ = false;
  bool fetched_ = false;
  DiscoveryData data_;
};

// The Accept header kubectl 1.33 sends for /api and /apis.
extern const char* const kAggregatedDiscoveryAccept;

// Parses an aggregated APIGroupDiscoveryList body (v2 or v2beta1) into `out`.
bool parse_aggregated_discovery(const std::string& body, DiscoveryData& out);
// True if a Content-Type names the aggregated discovery format.
bool is_aggregated_content_type(const std::string& content_type);

}  // namespace kapi::client
