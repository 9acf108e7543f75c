#include "server/authorizer.h"

#include <algorithm>

namespace kapi::server {
namespace {

bool in_group(const UserInfo& u, const char* g) {
  return std::find(u.groups.begin(), u.groups.end(), g) != u.groups.end();
}

// system:public-info-viewer (bound to system:authenticated and system:unauthenticated).
const char* const kPublicInfo[] = {"/healthz", "/livez", "/readyz", "/version", "/version/"};
// system:discovery (bound to system:authenticated since 1.14).
const char* const kDiscovery[] = {"/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
                                  "/openapi", "/openapi/*", "/readyz", "/version", "/version/"};

bool path_matches(const std::string& path, const char* rule) {
  std::string r = rule;
  if (!r.empty() && r.back() == '*') return path.compare(0, r.size() - 1, r, 0, r.size() - 1) == 0;
  return path == r;
}

bool non_resource_allowed(const UserInfo& u, const AuthzAttributes& a) {
  if (a.verb != "get") return false;
  for (const char* r : kPublicInfo)
    if (path_matches(a.path, r)) return true;
  if (!in_group(u, "system:authenticated")) return false;
  for (const char* r : kDiscovery)
    if (path_matches(a.path, r)) return true;
  return false;
}

// system:basic-user: every authenticated user may ask about itself.
bool resource_allowed(const UserInfo& u, const AuthzAttributes& a) {
  if (!in_group(u, "system:authenticated") || a.verb != "create" || !a.subresource.empty()) return false;
  if (a.group == "authorization.k8s.io")
    return a.resource == "selfsubjectaccessreviews" || a.resource == "selfsubjectrulesreviews";
  return a.group == "authentication.k8s.io" && a.resource == "selfsubjectreviews";
}

}  // namespace

bool is_master(const UserInfo& user) { return in_group(user, "system:masters"); }

bool authorized(const UserInfo& user, const AuthzAttributes& a) {
  if (is_master(user)) return true;
  return a.is_resource ? resource_allowed(user, a) : non_resource_allowed(user, a);
}

std::string rules_of(const UserInfo& user) {
  if (is_master(user))
    return R"({"resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],)"
           R"("nonResourceRules":[{"verbs":["*"],"nonResourceURLs":["*"]}]})";
  auto list = [](const char* const* b, const char* const* e) {
    std::string s;
    for (auto p = b; p != e; ++p) s += (p == b ? "\"" : ",\"") + std::string(*p) + "\"";
    return s;
  };
  std::string out = R"({"resourceRules":[)";
  if (in_group(user, "system:authenticated"))
    out += R"({"verbs":["create"],"apiGroups":["authorization.k8s.io"],"resources":["selfsubjectaccessreviews","selfsubjectrulesreviews"]},)"
           R"({"verbs":["create"],"apiGroups":["authentication.k8s.io"],"resources":["selfsubjectreviews"]})";
  out += R"(],"nonResourceRules":[)";
  if (in_group(user, "system:authenticated"))
    out += R"({"verbs":["get"],"nonResourceURLs":[)" + list(std::begin(kDiscovery), std::end(kDiscovery)) + "]},";
  out += R"({"verbs":["get"],"nonResourceURLs":[)" + list(std::begin(kPublicInfo), std::end(kPublicInfo)) + "]}]}";
  return out;
}

ImpersonationError impersonate(UserInfo& user, const std::string& as_user,
                               const std::vector<std::string>& as_groups, const std::string& as_uid) {
  if (as_user.empty() && as_groups.empty() && as_uid.empty()) return {};
  if (as_user.empty()) {
    // k8s.io/apiserver filters/impersonation.go: groups or uid without a user.
    std::string what = !as_groups.empty() ? "[{Group " + as_groups[0] + "}]" : "[{UID " + as_uid + "}]";
    return {500, "requested " + what + " without impersonating a user", "", ""};
  }
  if (!is_master(user)) {
    return {403, "User \"" + user.name + "\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
            "users", as_user};
  }
  UserInfo next;
  next.name = as_user;
  next.uid = as_uid;
  next.groups = as_groups;
  const char* implied = as_user == "system:anonymous" ? "system:unauthenticated" : "system:authenticated";
  if (!in_group(next, implied)) next.groups.push_back(implied);
  user = std::move(next);
  return {};
}

}  // namespace kapi::server
