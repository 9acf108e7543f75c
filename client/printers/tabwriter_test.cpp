#include "client/printers/tabwriter.h"

#include <gtest/gtest.h>

namespace kapi::client {
namespace {

std::string format(const std::string& in) {
  std::string out;
  TabWriter w(out);
  w.write(in);
  w.flush();
  return out;
}

// Expected values follow Go's text/tabwriter with kubectl's settings (minwidth 6, padding 3).
TEST(TabWriter, PadsColumnsToWidestCellPlusPadding) {
  EXPECT_EQ(format("NAME\tAGE\nlonger-name\t5d\n"), "NAME          AGE\nlonger-name   5d\n");
}

TEST(TabWriter, MinimumWidthIsSix) {
  EXPECT_EQ(format("a\tb\tc\n1\t2\t3\n"), "a     b     c\n1     2     3\n");
}

TEST(TabWriter, TrailingEmptyCellIsStillPadded) {
  EXPECT_EQ(format("A\tB\t\nx\t\t\n"), "A     B     \nx           \n");
}

TEST(TabWriter, WidthCountsRunesNotBytes) {
  EXPECT_EQ(format("caf\xc3\xa9\tx\nab\ty\n"), "caf\xc3\xa9   x\nab     y\n");
}

TEST(TabWriter, ColumnBlocksEndAtShorterLines) {
  // A column block ends at a line without that column; with RememberWidths (liggitt/tabwriter)
  // the next block never gets narrower than the widest one before it.
  EXPECT_EQ(format("aaaaaaaaaa\tb\nc\nd\te\n"), "aaaaaaaaaa   b\nc\nd            e\n");
}

TEST(TabWriter, RemembersWidthsAcrossFlushes) {
  std::string out;
  TabWriter w(out);
  w.write("long-name\tx\n");
  w.flush();
  w.write("a\ty\n");
  w.flush();
  EXPECT_EQ(out, "long-name   x\na           y\n");
  w.reset_remembered_widths();
  w.write("a\tz\n");
  w.flush();
  EXPECT_EQ(out, "long-name   x\na           y\na     z\n");
}

// describe's writer (text/tabwriter, minwidth 0, padding 2): blocks are sized independently.
TEST(TabWriter, StandardWriterForgetsWidthsBetweenBlocks) {
  std::string out;
  TabWriter w(out, 0, 2, false);
  w.write("Name:\tx\nLabels:\ta=b\nno tabs\nIP:\ty\n");
  w.flush();
  EXPECT_EQ(out, "Name:    x\nLabels:  a=b\nno tabs\nIP:  y\n");
}

}  // namespace
}  // namespace kapi::client
