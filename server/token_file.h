#pragma once
// The static token file of kube-apiserver's --token-auth-file (k8s.io/apiserver
// pkg/authentication/token/tokenfile): CSV records `token,user,uid[,"group1,group2"]`.
// Immutable after load; safe to share between threads.
#include <map>
#include <string>

#include "pkg/machinery/result.h"
#include "server/request_info.h"

namespace kapi::server {

class TokenFile {
 public:
  // Reads `path` as upstream's NewCSV does: Go encoding/csv records, at least 3 columns each
  // (else upstream's error text), column 4 split on "," as groups, later columns ignored,
  // empty tokens skipped, a duplicate token replaces the earlier one.
  static machinery::Result<TokenFile> load(const std::string& path);
  static machinery::Result<TokenFile> parse(const std::string& path, const std::string& text);

  // The user of `token`, or null.
  const UserInfo* find(const std::string& token) const;
  size_t size() const { return tokens_.size(); }

 private:
  std::map<std::string, UserInfo, std::less<>> tokens_;
};

}  // namespace kapi::server
