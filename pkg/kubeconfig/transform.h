#pragma once
// kubectl config view helpers (clientcmd/api helpers.go): shorten, minify, flatten.
#include "pkg/kubeconfig/types.h"

namespace kapi::kubeconfig {

// What `kubectl config view` (without --raw) shows: *-data fields become "DATA+OMITTED" and
// tokens "REDACTED" once serialized.
void shorten(Config& config);

// `--minify`: keep only the current context and the cluster/user it references. Errors as
// client-go: "current-context must exist in order to minify", "cannot locate context X", ...
Status minify(Config& config);

// `--flatten`: read certificate-authority / client-certificate / client-key files (relative to
// each entry's location_of_origin) into the *-data fields and clear the paths.
Status flatten(Config& config);

}  // namespace kapi::kubeconfig
