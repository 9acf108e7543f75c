#pragma once
// Go's text/tabwriter (as forked by kubectl: github.com/liggitt/tabwriter) with the settings of
// cli-runtime's GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, pad char ' ', flags
// RememberWidths. Cells are terminated by '\t'; the text after the last tab of a line is not part
// of any column. Column widths are counted in runes (UTF-8 code points). With remember_widths
// false it is the standard library's text/tabwriter (describe's tabwriter.NewWriter(0, 8, 2)).
#include <string>
#include <string_view>
#include <vector>

namespace kapi::client {

class TabWriter {
 public:
  explicit TabWriter(std::string& out, int minwidth = 6, int padding = 3, bool remember_widths = true)
      : out_(out), minwidth_(minwidth), padding_(padding), remember_widths_(remember_widths) {}

  // Buffers text; lines end with '\n'.
  void write(std::string_view text);
  // Formats and emits all complete buffered lines (plus a trailing partial line, as Go does).
  void flush();
  // Forgets the widths remembered across flushes (kubectl does this between resource types).
  void reset_remembered_widths() { remembered_.clear(); }

 private:
  struct Cell {
    std::string text;
    size_t width = 0;
  };
  void format(size_t line0, size_t line1);
  void write_lines(size_t line0, size_t line1);

  std::string& out_;
  int minwidth_;
  int padding_;
  bool remember_widths_;
  std::vector<std::vector<Cell>> lines_{{}};
  std::string cell_;
  std::vector<size_t> widths_;
  std::vector<size_t> remembered_;
};

// Rune count of a UTF-8 string.
size_t rune_count(std::string_view s);

}  // namespace kapi::client
