// kapi: one binary, three modes. Dispatch only: by argv[0] (kube-apiserver, kubectl) or by the
// first argument (serve, render, or any client command).
#include <cstring>
#include <string>
#include <string_view>

namespace kapi {
int serve_main(int argc, char** argv);   // server/serve_main.cpp
int render_main(int argc, char** argv);  // pkg/render/render_main.cpp
int client_main(int argc, char** argv);  // client/client_main.cpp
void use_server_allocator(char** argv);  // cmd/kapi/server_allocator.cpp (may not return)
}  // namespace kapi

int main(int argc, char** argv) {
  std::string_view prog = argv[0];
  if (auto slash = prog.rfind('/'); slash != std::string_view::npos) prog = prog.substr(slash + 1);
  const bool serve = prog == "kube-apiserver" || (argc >= 2 && std::strcmp(argv[1], "serve") == 0);
  if (serve) kapi::use_server_allocator(argv);
  if (prog == "kube-apiserver") return kapi::serve_main(argc, argv);
  if (prog == "kubectl") return kapi::client_main(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "serve") == 0) return kapi::serve_main(argc - 1, argv + 1);
  if (argc >= 2 && std::strcmp(argv[1], "render") == 0) return kapi::render_main(argc - 1, argv + 1);
  return kapi::client_main(argc, argv);
}
