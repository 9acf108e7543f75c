#include "server/version.h"

namespace kapi::server {

std::string version_json() {
  return std::string("{\n  \"major\": \"1\",\n  \"minor\": \"33\",\n  \"emulationMajor\": \"1\",\n  \"emulationMinor\": \"33\",\n"
                     "  \"minCompatibilityMajor\": \"1\",\n  \"minCompatibilityMinor\": \"32\",\n"
                     "  \"gitVersion\": \"") + kGitVersion +
         "\",\n  \"gitCommit\": \"0000000000000000000000000000000000000000\",\n  \"gitTreeState\": \"clean\",\n"
         "  \"buildDate\": \"2026-11-25T00:00:00Z\",\n  \"goVersion\": \"go1.24.0\",\n  \"compiler\": \"gc\",\n"
         "  \"platform\": \"linux/amd64\"\n}";
}

}  // namespace kapi::server
