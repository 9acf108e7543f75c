#pragma once
// clientcmd's PromptingAuthLoader: kubectl's loader is interactive (it has the deprecated
// --password flag), so an https cluster whose user has no token, certificate, username, exec
// plugin or auth provider makes it ask on stdout for a username and a password.
#include <string>

#include "client/errors.h"

namespace kapi::client {

struct BasicAuth {
  std::string username, password;
};

// Prints "Please enter Username: " and reads one whitespace-separated word from stdin as
// fmt.Fscan does (error "EOF" when there is none), then "Please enter Password: " and reads a
// line without echo, which needs stdin to be a terminal ("error reading input for Password").
Result<BasicAuth> prompt_basic_auth();

}  // namespace kapi::client
