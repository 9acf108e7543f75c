#include "client/basic_auth_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

namespace kapi::client {
namespace {

void print_prompt(const char* field) {
  // fmt.Printf: straight to fd 1, unbuffered.
  std::fflush(stdout);
  std::string text = std::string("Please enter ") + field + ": ";
  for (size_t off = 0; off < text.size();) {
    ssize_t n = ::write(1, text.data() + off, text.size() - off);
    if (n <= 0 && errno != EINTR) break;
    if (n > 0) off += static_cast<size_t>(n);
  }
}

// One byte from fd 0, as fmt's readRune and x/term read (so nothing past the answer is
// consumed); 0 at end of input, -1 on error.
int read_byte(char& c) {
  while (true) {
    ssize_t n = ::read(0, &c, 1);
    if (n >= 0) return static_cast<int>(n);
    if (errno != EINTR) return -1;
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// fmt.Fscan(os.Stdin, &s): spaces and newlines skipped, then a word; the delimiter after it is
// read and lost with fmt's private rune reader.
Result<std::string> scan_word() {
  char c = 0;
  int n;
  while ((n = read_byte(c)) == 1 && is_space(c)) {
  }
  if (n == 0) return CmdError::msg("EOF");
  if (n < 0) return CmdError::msg(std::string("read /dev/stdin: ") + std::strerror(errno));
  std::string word(1, c);
  while ((n = read_byte(c)) == 1 && !is_space(c)) word += c;
  return word;
}

// term.ReadPassword: echo off (ICANON and ISIG on, CR read as NL) until a newline; backspace
// removes a byte; end of input after some bytes ends the line.
Result<std::string> read_password() {
  termios old{};
  if (::tcgetattr(0, &old) != 0) return CmdError::msg(std::string("inappropriate ioctl for device"));
  termios raw = old;
  raw.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  raw.c_lflag |= ICANON | ISIG;
  raw.c_iflag |= ICRNL;
  ::tcsetattr(0, TCSANOW, &raw);
  std::string line;
  std::optional<CmdError> err;
  while (true) {
    char c = 0;
    int n = read_byte(c);
    if (n == 1) {
      if (c == '\b') {
        if (!line.empty()) line.pop_back();
      } else if (c == '\n') {
        break;
      } else if (c != '\r') {
        line += c;
      }
      continue;
    }
    if (n == 0 && !line.empty()) break;
    err = CmdError::msg(n == 0 ? "EOF" : std::string("read /dev/stdin: ") + std::strerror(errno));
    break;
  }
  ::tcsetattr(0, TCSANOW, &old);
  if (err) return *err;
  return line;
}

}  // namespace

Result<BasicAuth> prompt_basic_auth() {
  BasicAuth auth;
  print_prompt("Username");
  auto user = scan_word();
  if (!user.ok()) return user.error();
  auth.username = std::move(*user);
  print_prompt("Password");
  if (!::isatty(0)) return CmdError::msg("error reading input for Password");
  auto password = read_password();
  if (!password.ok()) return password.error();
  auth.password = std::move(*password);
  return auth;
}

}  // namespace kapi::client
