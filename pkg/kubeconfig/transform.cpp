#include "pkg/kubeconfig/transform.h"

#include <filesystem>

#include "pkg/machinery/base64.h"
#include "pkg/tls/file_util.h"

namespace kapi::kubeconfig {
namespace {

// Bytes that base64-encode to the marker text (the trick client-go uses).
std::string marker_bytes(const char* marker) { return machinery::base64_decode(marker).value(); }

Status read_into(std::string& path, std::string& data, const std::string& origin) {
  if (path.empty()) return {};
  std::string full = path;
  if (full.front() != '/' && !origin.empty()) {
    full = (std::filesystem::absolute(origin).parent_path() / path).lexically_normal().string();
  }
  auto content = tls::read_file(full);
  if (!content.ok()) {
    // Go's os.ReadFile wording.
    if (content.error().code == ErrorCode::kNotFound)
      return tls::make_error("open " + full + ": no such file or directory", ErrorCode::kNotFound);
    return content.error();
  }
  data = std::move(content).value();
  path.clear();
  return {};
}

}  // namespace

void shorten(Config& config) {
  static const std::string kDataOmitted = marker_bytes("DATA+OMITTED");
  for (auto& u : config.users) {
    if (!u.user.client_key_data.empty()) u.user.client_key_data = kDataOmitted;
    if (!u.user.client_certificate_data.empty()) u.user.client_certificate_data = kDataOmitted;
    if (!u.user.token.empty()) u.user.token = "REDACTED";
  }
  for (auto& c : config.clusters) {
    if (!c.cluster.certificate_authority_data.empty()) {
      c.cluster.certificate_authority_data = kDataOmitted;
    }
  }
}

Status minify(Config& config) {
  if (config.current_context.empty()) {
    return tls::make_error("current-context must exist in order to minify");
  }
  const Context* ctx = config.find_context(config.current_context);
  if (!ctx) return tls::make_error("cannot locate context " + config.current_context);
  Config out;
  out.current_context = config.current_context;
  out.preferences = config.preferences;
  out.contexts.push_back({config.current_context, *ctx});
  if (!ctx->cluster.empty()) {
    const Cluster* c = config.find_cluster(ctx->cluster);
    if (!c) return tls::make_error("cannot locate cluster " + ctx->cluster);
    out.clusters.push_back({ctx->cluster, *c});
  }
  if (!ctx->user.empty()) {
    const AuthInfo* u = config.find_user(ctx->user);
    if (!u) return tls::make_error("cannot locate user " + ctx->user);
    out.users.push_back({ctx->user, *u});
  }
  config = std::move(out);
  return {};
}

Status flatten(Config& config) {
  for (auto& c : config.clusters) {
    if (auto s = read_into(c.cluster.certificate_authority, c.cluster.certificate_authority_data,
                           c.cluster.location_of_origin);
        !s.ok())
      return s;
  }
  for (auto& u : config.users) {
    if (auto s = read_into(u.user.client_certificate, u.user.client_certificate_data,
                           u.user.location_of_origin);
        !s.ok())
      return s;
    if (auto s = read_into(u.user.client_key, u.user.client_key_data, u.user.location_of_origin);
        !s.ok())
      return s;
  }
  return {};
}

}  // namespace kapi::kubeconfig
