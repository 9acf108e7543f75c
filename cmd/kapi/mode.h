#pragma once
// Which of the binary's modes a command line selects: by argv[0] (kube-apiserver, kubectl) or by
// the first argument (serve, render); anything else is a client command. Shared by main's
// dispatch and the start-up code that runs before it (preinit), so the two never disagree.
#include <cstring>

namespace kapi {

// kApiserver: invoked as kube-apiserver (every argument is a flag); kServe: `kapi serve ...`.
enum class Mode { kApiserver, kServe, kRender, kClient };

inline Mode mode_of(int argc, char** argv) {
  if (argc < 1 || !argv || !argv[0]) return Mode::kClient;
  const char* prog = std::strrchr(argv[0], '/');
  prog = prog ? prog + 1 : argv[0];
  if (std::strcmp(prog, "kube-apiserver") == 0) return Mode::kApiserver;
  if (std::strcmp(prog, "kubectl") == 0 || argc < 2) return Mode::kClient;
  if (std::strcmp(argv[1], "serve") == 0) return Mode::kServe;
  if (std::strcmp(argv[1], "render") == 0) return Mode::kRender;
  return Mode::kClient;
}

}  // namespace kapi
