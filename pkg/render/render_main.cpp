// `kapi render`: kubeadm-style PKI, kubeconfigs and static pod manifests (issue 7; not built yet).
#include <cstdio>

namespace kapi {

int render_main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::fprintf(stderr, "error: kapi render is not implemented yet\n");
  return 1;
}

}  // namespace kapi
