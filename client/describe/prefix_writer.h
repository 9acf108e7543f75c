#pragma once
// kubectl describe's PrefixWriter (pkg/describe/describe.go): text written at an indentation
// level of two spaces per level, terminal escapes neutralised (cli-runtime WriteEscaped), into
// the standard text/tabwriter describe uses (minwidth 0, padding 2, no remembered widths).
#include <string>
#include <string_view>

#include "client/printers/tabwriter.h"

namespace kapi::client::describe {

enum Level { kLevel0 = 0, kLevel1, kLevel2, kLevel3, kLevel4 };

class PrefixWriter {
 public:
  virtual ~PrefixWriter() = default;
  // Write(level, text): `text` after 2*level spaces.
  virtual void write(int level, std::string_view text) = 0;
  // WriteLine(text): `text` and a newline, no indentation.
  virtual void write_line(std::string_view text) = 0;
};

// tabbedString: everything written goes through one tabwriter; str() flushes it.
class TabbedWriter : public PrefixWriter {
 public:
  TabbedWriter() : tw_(out_, 0, 2, false) {}
  void write(int level, std::string_view text) override;
  void write_line(std::string_view text) override;
  std::string str();

 private:
  std::string out_;
  TabWriter tw_;
};

// NewNestedPrefixWriter: every level shifted by `indent`; WriteLine is indented too.
class NestedPrefixWriter : public PrefixWriter {
 public:
  NestedPrefixWriter(PrefixWriter& parent, int indent) : parent_(parent), indent_(indent) {}
  void write(int level, std::string_view text) override { parent_.write(level + indent_, text); }
  void write_line(std::string_view text) override {
    parent_.write(indent_, std::string(text) + "\n");
  }

 private:
  PrefixWriter& parent_;
  int indent_;
};

// printers.EscapeTerminal: ESC as "^[", CR as "\r".
std::string escape_terminal(std::string_view s);

}  // namespace kapi::client::describe
