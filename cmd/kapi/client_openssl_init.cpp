// Client commands do not need OpenSSL's error-string tables or its openssl.cnf (kapi prints Go's
// texts for TLS failures, as kubectl); loading both costs ~0.3 ms of every command. OpenSSL
// honours only the first request for each, so this runs before anything else can use OpenSSL
// (the executable's preinit_array) and asks for neither. The server keeps them: its logs may
// show OpenSSL's reasons.
#include <openssl/ssl.h>

#include "cmd/kapi/mode.h"

namespace {

void minimal_openssl_for_clients(int argc, char** argv, char**) {
  if (kapi::mode_of(argc, argv) != kapi::Mode::kClient) return;
  OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_SSL_STRINGS | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
                       OPENSSL_INIT_NO_LOAD_CONFIG,
                   nullptr);
}

}  // namespace

__attribute__((section(".preinit_array"), used)) static void (*const kPreinit)(int, char**, char**) =
    minimal_openssl_for_clients;
