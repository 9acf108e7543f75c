#include "client/cmd/config_access.h"

#include <cstdlib>
#include <filesystem>

#include "pkg/kubeconfig/loader.h"
#include "pkg/kubeconfig/writer.h"
#include "pkg/tls/file_util.h"

namespace kapi::client {
namespace {

namespace kc = kubeconfig;

kc::LoadOptions unresolved() {
  kc::LoadOptions o;
  o.resolve_paths = false;
  return o;
}

// clientcmd getConfigFromFile: one file as written, or an empty config if it is missing.
Result<kc::Config> config_from_file(const std::string& path) {
  auto c = kc::load_file(path, unresolved());
  if (!c.ok()) {
    if (c.error().code == kc::ErrorCode::kNotFound) return kc::Config{};
    return config_error(c.error());
  }
  return std::move(c).value();
}

std::optional<CmdError> write(const std::string& path, const kc::Config& c) {
  auto st = kc::write_file(path, c);
  if (!st.ok()) return CmdError::msg(st.error().message);
  return std::nullopt;
}

// RelativizePathWithNoBacksteps: an absolute path below the file's directory becomes relative.
void relativize(std::string& ref, const std::string& file) {
  if (ref.empty() || ref.front() != '/') return;
  auto base = std::filesystem::absolute(file).lexically_normal().parent_path();
  auto rel = std::filesystem::path(ref).lexically_relative(base).string();
  if (!rel.empty() && rel.rfind("..", 0) != 0) ref = rel;
}

kc::Cluster& value_of(kc::NamedCluster& n) { return n.cluster; }
const kc::Cluster& value_of(const kc::NamedCluster& n) { return n.cluster; }
kc::Context& value_of(kc::NamedContext& n) { return n.context; }
const kc::Context& value_of(const kc::NamedContext& n) { return n.context; }
kc::AuthInfo& value_of(kc::NamedAuthInfo& n) { return n.user; }
const kc::AuthInfo& value_of(const kc::NamedAuthInfo& n) { return n.user; }

// reflect.DeepEqual of two stanzas: the serialized fields and the file of origin.
template <typename T, typename Setter>
bool same(const T& a, const T& b, Setter set) {
  if (a.location_of_origin != b.location_of_origin) return false;
  kc::Config x, y;
  set(x, a);
  set(y, b);
  return kc::to_yaml(x) == kc::to_yaml(y);
}

// One kind of stanza (clusters, users or contexts): changed or new entries are written to
// their file, removed ones deleted from it.
template <typename Named, typename Find, typename Set, typename Remove, typename Relativize>
std::optional<CmdError> sync(const ConfigAccess& access, const std::vector<Named>& before,
                             const std::vector<Named>& after, Find find, Set set, Remove remove,
                             Relativize relativize_paths) {
  for (const auto& n : after) {
    const auto* old = find(before, n.name);
    auto value = n;  // a copy: origin and paths are adjusted for the file
    if (old && same(value_of(*old), value_of(n), [&](kc::Config& c, const auto& v) { set(c, n.name, v); })) continue;
    std::string dest = value_of(n).location_of_origin;
    if (dest.empty()) dest = access.default_filename();
    auto file = config_from_file(dest);
    if (!file.ok()) return file.error();
    value_of(value).location_of_origin = dest;
    relativize_paths(value_of(value), dest);
    set(*file, n.name, value_of(value));
    if (auto err = write(dest, *file)) return err;
  }
  for (const auto& n : before) {
    if (find(after, n.name)) continue;
    std::string dest = value_of(n).location_of_origin;
    if (dest.empty()) dest = access.default_filename();
    auto file = config_from_file(dest);
    if (!file.ok()) return file.error();
    remove(*file, n.name);
    if (auto err = write(dest, *file)) return err;
  }
  return std::nullopt;
}

}  // namespace

CmdError config_error(const kubeconfig::Error& e) { return CmdError::msg(e.message); }

ConfigAccess::ConfigAccess(std::string explicit_file) : explicit_(std::move(explicit_file)) {}

std::vector<std::string> ConfigAccess::loading_precedence() const {
  if (is_explicit_file()) return {explicit_};
  const char* env = std::getenv("KUBECONFIG");
  if (env && *env) return kc::split_kubeconfig_env(env);
  return {kc::default_kubeconfig_path()};
}

std::string ConfigAccess::default_filename() const {
  if (is_explicit_file()) return explicit_;
  const char* env = std::getenv("KUBECONFIG");
  if (env && *env) {
    auto files = kc::split_kubeconfig_env(env);
    if (files.size() == 1) return files[0];
    for (const auto& f : files)
      if (tls::file_exists(f)) return f;
    if (!files.empty()) return files.back();
  }
  return kc::default_kubeconfig_path();
}

Result<kc::Config> ConfigAccess::starting_config() const {
  auto c = kc::load_files(loading_precedence(), unresolved());
  if (!c.ok()) return config_error(c.error());
  return std::move(c).value();
}

std::optional<CmdError> ConfigAccess::modify(const kc::Config& next, bool preferences_reset) const {
  auto start = starting_config();
  if (!start.ok()) return start.error();
  const kc::Config& before = *start;

  if (before.current_context != next.current_context) {
    // writeCurrentContext: the explicit file, else the first file that sets one, else the
    // default file.
    std::string dest;
    if (is_explicit_file()) {
      dest = explicit_;
    } else if (!next.current_context.empty()) {
      for (const auto& f : loading_precedence()) {
        if (!tls::file_exists(f)) continue;
        auto c = config_from_file(f);
        if (c.ok() && !c->current_context.empty()) {
          dest = f;
          break;
        }
      }
    }
    if (dest.empty()) dest = default_filename();
    auto file = config_from_file(dest);
    if (!file.ok()) return file.error();
    file->current_context = next.current_context;
    if (auto err = write(dest, *file)) return err;
  }

  if (preferences_reset || before.preferences.colors != next.preferences.colors) {
    // writePreferences: the explicit file, else the first file whose preferences differ.
    std::vector<std::string> files = is_explicit_file() ? std::vector<std::string>{explicit_} : loading_precedence();
    for (const auto& f : files) {
      auto file = config_from_file(f);
      if (!file.ok()) return file.error();
      if (!is_explicit_file() && !preferences_reset && file->preferences.colors == next.preferences.colors) continue;
      file->preferences = next.preferences;
      if (auto err = write(f, *file)) return err;
      break;
    }
  }

  auto find = [](const auto& list, const std::string& name) -> decltype(&list[0]) {
    for (const auto& n : list)
      if (n.name == name) return &n;
    return nullptr;
  };
  if (auto err = sync(
          *this, before.clusters, next.clusters, find,
          [](kc::Config& c, const std::string& name, const kc::Cluster& v) { c.set_cluster(name, v); },
          [](kc::Config& c, const std::string& name) { c.remove_cluster(name); },
          [](kc::Cluster& v, const std::string& file) { relativize(v.certificate_authority, file); }))
    return err;
  if (auto err = sync(
          *this, before.contexts, next.contexts, find,
          [](kc::Config& c, const std::string& name, const kc::Context& v) { c.set_context(name, v); },
          [](kc::Config& c, const std::string& name) { c.remove_context(name); },
          [](kc::Context&, const std::string&) {}))
    return err;
  return sync(
      *this, before.users, next.users, find,
      [](kc::Config& c, const std::string& name, const kc::AuthInfo& v) { c.set_user(name, v); },
      [](kc::Config& c, const std::string& name) { c.remove_user(name); },
      [](kc::AuthInfo& v, const std::string& file) {
        relativize(v.client_certificate, file);
        relativize(v.client_key, file);
        relativize(v.token_file, file);
      });
}

}  // namespace kapi::client
