#include "client/describe/prefix_writer.h"

namespace kapi::client::describe {

std::string escape_terminal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\x1b')
      out += "^[";
    else if (c == '\r')
      out += "\\r";
    else
      out += c;
  }
  return out;
}

void TabbedWriter::write(int level, std::string_view text) {
  std::string line(static_cast<size_t>(level) * 2, ' ');
  line += text;
  tw_.write(escape_terminal(line));
}

void TabbedWriter::write_line(std::string_view text) {
  tw_.write(escape_terminal(std::string(text) + "\n"));
}

std::string TabbedWriter::str() {
  tw_.flush();
  return out_;
}

}  // namespace kapi::client::describe
