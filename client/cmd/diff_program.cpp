#include "client/cmd/diff_program.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <vector>

namespace kapi::client {

Result<TempDir> TempDir::create(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = tmp && *tmp ? tmp : "/tmp";
  std::string tmpl = base + "/" + prefix + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return CmdError::msg("mkdirtemp " + tmpl + ": " + std::strerror(errno));
  return TempDir(std::string(buf.data()));
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);  // errors ignored, as Differ.TearDown does
}

std::optional<CmdError> TempDir::write_file(const std::string& name, const std::string& content) const {
  std::string p = path_ + "/" + name;
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0700);
  if (fd < 0) return CmdError::msg("open " + p + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return CmdError::msg("write " + p + ": " + std::strerror(errno));
    }
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  return std::nullopt;
}

namespace {

// exec.LookPath: a name with a slash is used as is; otherwise the first executable on $PATH.
std::optional<std::string> look_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* env = std::getenv("PATH");
  std::string path = env ? env : "";
  size_t start = 0;
  while (true) {
    size_t end = path.find(':', start);
    std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (dir.empty()) dir = ".";
    std::string cand = dir + "/" + name;
    struct stat st {};
    if (::stat(cand.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) return cand;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

Result<int> run_diff_program(const std::string& from, const std::string& to) {
  std::string program = "diff";
  std::vector<std::string> args;
  const char* external = std::getenv("KUBECTL_EXTERNAL_DIFF");
  if (external && *external) {
    // strings.Split on single spaces, so empty words are kept (and then fail the filter).
    std::vector<std::string> words;
    std::string s = external;
    size_t start = 0;
    for (size_t sp; (sp = s.find(' ', start)) != std::string::npos; start = sp + 1) words.push_back(s.substr(start, sp - start));
    words.push_back(s.substr(start));
    program = words[0];
    args = {from, to};
    static const std::regex kValid("^[a-zA-Z0-9-=]+$");
    for (size_t i = 1; i < words.size(); ++i)
      if (std::regex_match(words[i], kValid)) args.push_back(words[i]);
  } else {
    args = {"-u", "-N", from, to};
  }
  auto resolved = look_path(program);
  // k8s.io/utils/exec turns every start failure (lookup, fork/exec) into ErrExecutableNotFound.
  const CmdError not_found = CmdError::msg("failed to run \"" + program + "\": executable file not found in $PATH");
  if (!resolved) return not_found;
  std::vector<char*> argv;
  argv.push_back(program.data());
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // A pipe with O_CLOEXEC reports an exec failure (errno) back to the parent.
  int errpipe[2];
  if (::pipe2(errpipe, O_CLOEXEC) != 0) return CmdError::msg(std::string("pipe: ") + std::strerror(errno));
  pid_t pid = ::fork();
  if (pid < 0) return CmdError::msg(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(errpipe[0]);
    ::execv(resolved->c_str(), argv.data());
    int e = errno;
    (void)!::write(errpipe[1], &e, sizeof e);
    ::_exit(127);
  }
  ::close(errpipe[1]);
  int exec_errno = 0;
  ssize_t got = ::read(errpipe[0], &exec_errno, sizeof exec_errno);
  ::close(errpipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (got == static_cast<ssize_t>(sizeof exec_errno)) return not_found;
  // Go's ExitStatus() is -1 for a signal; diff.go treats every status <= 1 as "diff ran".
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code > 1) return CmdError::msg("failed to run \"" + program + "\": exit status " + std::to_string(code));
  return code;
}

}  // namespace kapi::client
