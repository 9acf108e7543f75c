// Client commands do not need OpenSSL's error-string tables or its openssl.cnf (kapi prints Go's
// texts for TLS failures, as kubectl). cpp-httplib's static initializer asks for both, which
// cost ~0.3 ms of every command; OpenSSL honours only the first request for each, so this runs
// before any library initializer (the executable's preinit_array) and asks for neither. The
// server keeps them: its logs may show OpenSSL's reasons.
#include <openssl/ssl.h>

#include <cstring>

namespace {

void minimal_openssl_for_clients(int argc, char** argv, char**) {
  if (argc < 1 || !argv || !argv[0]) return;
  const char* prog = std::strrchr(argv[0], '/');
  prog = prog ? prog + 1 : argv[0];
  if (std::strcmp(prog, "kube-apiserver") == 0) return;
  if (argc >= 2 && (std::strcmp(argv[1], "serve") == 0 || std::strcmp(argv[1], "render") == 0)) return;
  OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_SSL_STRINGS | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
                       OPENSSL_INIT_NO_LOAD_CONFIG,
                   nullptr);
}

}  // namespace

__attribute__((section(".preinit_array"), used)) static void (*const kPreinit)(int, char**, char**) =
    minimal_openssl_for_clients;
