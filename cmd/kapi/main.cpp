// kapi: one binary, three modes. Dispatch only: by argv[0] (kube-apiserver, kubectl) or by the
// first argument (serve, render, or any client command).
#include "cmd/kapi/mode.h"

namespace kapi {
int serve_main(int argc, char** argv);   // server/serve_main.cpp
int render_main(int argc, char** argv);  // pkg/render/render_main.cpp
int client_main(int argc, char** argv);  // client/client_main.cpp
void use_server_allocator(char** argv);  // cmd/kapi/server_allocator.cpp (may not return)
}  // namespace kapi

int main(int argc, char** argv) {
  switch (kapi::mode_of(argc, argv)) {
    case kapi::Mode::kApiserver:
      kapi::use_server_allocator(argv);
      return kapi::serve_main(argc, argv);
    case kapi::Mode::kServe:
      kapi::use_server_allocator(argv);
      return kapi::serve_main(argc - 1, argv + 1);
    case kapi::Mode::kRender:
      return kapi::render_main(argc - 1, argv + 1);
    case kapi::Mode::kClient:
      break;
  }
  return kapi::client_main(argc, argv);
}
