#pragma once
// -f http(s)://... as cli-runtime's URLVisitor reads it (readHttpWithRetries): a GET, tried up
// to three times a second apart while it fails to connect or gets a 5xx; any other status is
// "unable to read URL ..., server reported <status line>, status code=N".
#include <string>

#include "client/errors.h"

namespace kapi::client {

// True for the arguments that FilenameParam treats as URLs.
bool is_url_argument(const std::string& arg);

// The body of a 200 answer.
Result<std::string> read_url(const std::string& url);

}  // namespace kapi::client
