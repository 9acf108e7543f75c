#include "client/plugins.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

namespace kapi::client {

std::vector<std::string> path_dirs() {
  std::vector<std::string> out;
  const char* path = std::getenv("PATH");
  if (!path) return out;
  std::set<std::string> seen;
  std::string p = path;
  size_t start = 0;
  while (true) {
    size_t colon = p.find(':', start);
    std::string dir = p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (seen.insert(dir).second) out.push_back(dir);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return out;
}

std::vector<PluginFile> plugin_files(std::vector<std::string>* unreadable) {
  std::vector<PluginFile> out;
  for (const auto& dir : path_dirs()) {
    if (dir.find_first_not_of(" \t") == std::string::npos) continue;
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
      if (unreadable) unreadable->push_back("open " + dir + ": " + (errno == ENOENT ? "no such file or directory"
                                                                   : errno == EACCES ? "permission denied"
                                                                                     : std::strerror(errno)));
      continue;
    }
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.rfind("kubectl-", 0) != 0) continue;
      struct stat st;
      if (::stat((dir + "/" + n).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
      names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (auto& n : names) out.push_back({dir, std::move(n)});
  }
  return out;
}

}  // namespace kapi::client
