#include "pkg/kubeconfig/types.h"

#include <algorithm>

namespace kapi::kubeconfig {
namespace {

template <typename Named, typename Value, typename Member>
void upsert(std::vector<Named>& v, const std::string& name, Value value, Member member) {
  for (auto& n : v) {
    if (n.name == name) {
      n.*member = std::move(value);
      return;
    }
  }
  Named n;
  n.name = name;
  n.*member = std::move(value);
  v.push_back(std::move(n));
}

template <typename Named>
bool erase(std::vector<Named>& v, const std::string& name) {
  auto it = std::find_if(v.begin(), v.end(), [&](const Named& n) { return n.name == name; });
  if (it == v.end()) return false;
  v.erase(it);
  return true;
}

}  // namespace

void Config::set_cluster(const std::string& name, Cluster c) {
  upsert(clusters, name, std::move(c), &NamedCluster::cluster);
}
void Config::set_user(const std::string& name, AuthInfo u) {
  upsert(users, name, std::move(u), &NamedAuthInfo::user);
}
void Config::set_context(const std::string& name, Context c) {
  upsert(contexts, name, std::move(c), &NamedContext::context);
}
bool Config::remove_cluster(const std::string& name) { return erase(clusters, name); }
bool Config::remove_user(const std::string& name) { return erase(users, name); }
bool Config::remove_context(const std::string& name) { return erase(contexts, name); }

}  // namespace kapi::kubeconfig
