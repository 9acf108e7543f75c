#include "client/printers/tabwriter.h"

#include <algorithm>

namespace kapi::client {

size_t rune_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

void TabWriter::write(std::string_view text) {
  for (char c : text) {
    if (c == '\t') {
      lines_.back().push_back({cell_, rune_count(cell_)});
      cell_.clear();
    } else if (c == '\n') {
      lines_.back().push_back({cell_, rune_count(cell_)});
      cell_.clear();
      lines_.emplace_back();
    } else {
      cell_ += c;
    }
  }
}

void TabWriter::flush() {
  // The pending partial cell terminates the last line.
  lines_.back().push_back({cell_, rune_count(cell_)});
  cell_.clear();
  widths_.clear();
  format(0, lines_.size());
  lines_.assign(1, {});
}

void TabWriter::format(size_t line0, size_t line1) {
  size_t column = widths_.size();
  for (size_t line = line0; line < line1; ++line) {
    if (column + 1 >= lines_[line].size()) continue;
    // A cell exists in this column: print the lines above the block, then size the block.
    write_lines(line0, line);
    line0 = line;
    size_t width = static_cast<size_t>(minwidth_);
    for (; line < line1; ++line) {
      if (column + 1 >= lines_[line].size()) break;
      width = std::max(width, lines_[line][column].width + padding_);
    }
    // RememberWidths: columns never shrink across flushes (standard text/tabwriter: no memory).
    if (remember_widths_) {
      if (column < remembered_.size()) width = std::max(width, remembered_[column]);
      else remembered_.resize(column + 1, 0);
      remembered_[column] = width;
    }
    widths_.push_back(width);
    format(line0, line);
    widths_.pop_back();
    line0 = line;
  }
  write_lines(line0, line1);
}

void TabWriter::write_lines(size_t line0, size_t line1) {
  for (size_t i = line0; i < line1; ++i) {
    const auto& line = lines_[i];
    for (size_t j = 0; j < line.size(); ++j) {
      const Cell& c = line[j];
      out_ += c.text;
      if (j < widths_.size() && c.width < widths_[j]) out_.append(widths_[j] - c.width, ' ');
    }
    if (i + 1 == lines_.size()) {
      // The last buffered line is partial: no newline (Go keeps it for the next flush).
    } else {
      out_ += '\n';
    }
  }
}

}  // namespace kapi::client
