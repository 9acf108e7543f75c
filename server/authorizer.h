#pragma once
// Authorization until RBAC lands: system:masters may do everything; every other user gets what
// upstream's bootstrap cluster roles give everyone — system:public-info-viewer (health and
// version, anonymous included), and for authenticated users system:discovery (discovery and
// OpenAPI paths) and system:basic-user (the self reviews). The same decision answers requests
// and SubjectAccessReviews, so `kubectl auth can-i` tells the truth.
#include <string>
#include <vector>

#include "server/request_info.h"

namespace kapi::server {

// What is asked: a resource request (verb on group/resource[/subresource]) or a non-resource
// path (verb from the HTTP method).
struct AuthzAttributes {
  bool is_resource = false;
  std::string verb, group, resource, subresource, namespace_, name;
  std::string path;  // non-resource requests
};

bool is_master(const UserInfo& user);
bool authorized(const UserInfo& user, const AuthzAttributes& a);
// The rules a user holds, as a SelfSubjectRulesReview lists them (JSON text of
// {"resourceRules":[...],"nonResourceRules":[...]}).
std::string rules_of(const UserInfo& user);

// Impersonation (kubectl --as/--as-group): the Impersonate-User / Impersonate-Group /
// Impersonate-Uid headers. Returns false with a Forbidden message when the requester may not
// impersonate (only system:masters may); otherwise replaces `user` when a header is present.
struct ImpersonationError {
  int code = 0;  // 0: none
  std::string message;
  std::string kind;  // "users" / "groups": the resource the message names
  std::string name;
};
ImpersonationError impersonate(UserInfo& user, const std::string& as_user,
                               const std::vector<std::string>& as_groups, const std::string& as_uid);

}  // namespace kapi::server
