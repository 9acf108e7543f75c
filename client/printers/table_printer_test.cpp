// Golden outputs come from kubectl 1.33.1 (see client/testdata/README.md).
#include "client/printers/table_printer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "client/test_util.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using testing::read_testdata;

std::string render(const Json& table, const TablePrintOptions& o) {
  std::string out;
  TabWriter w(out);
  TablePrinter p(o);
  p.print(table, w);
  w.flush();
  return out;
}

Json table(const std::string& file) { return Json::parse(read_testdata(file)); }

TEST(TablePrinter, Default) {
  EXPECT_EQ(render(table("pods_table_default.json"), {}), read_testdata("pods_default.golden"));
}

TEST(TablePrinter, WideWithLabels) {
  TablePrintOptions o;
  o.wide = true;
  o.show_labels = true;
  EXPECT_EQ(render(table("pods_table_default.json"), o), read_testdata("pods_wide_labels.golden"));
}

TEST(TablePrinter, LabelColumnsPadTrailingEmptyCells) {
  TablePrintOptions o;
  o.column_labels = {"app", "tier", "foo"};
  EXPECT_EQ(render(table("pods_table_default.json"), o), read_testdata("pods_label_columns.golden"));
}

TEST(TablePrinter, AllNamespaces) {
  TablePrintOptions o;
  o.with_namespace = true;
  EXPECT_EQ(render(table("pods_table_all.json"), o), read_testdata("pods_all_namespaces.golden"));
  o.no_headers = true;
  EXPECT_EQ(render(table("pods_table_all.json"), o), read_testdata("pods_all_namespaces_no_headers.golden"));
}

TEST(TablePrinter, KindPrefixAndLabelColumn) {
  TablePrintOptions o;
  o.with_namespace = true;
  o.kind_prefix = "pod";
  o.column_labels = {"k8s-app"};
  EXPECT_EQ(render(table("pods_table_all.json"), o), read_testdata("pods_all_kind_label.golden"));
}

TEST(TablePrinter, EmptyTablePrintsNothing) {
  Json t = table("pods_table_default.json");
  t["rows"] = Json::array();
  EXPECT_EQ(render(t, {}), "");
}

TEST(TablePrinter, HeadersOncePerColumnSet) {
  // Chunks of one list share the header (kubectl --chunk-size): tableprinter.go printedHeaders.
  Json t = table("pods_table_default.json");
  Json first = t, second = t;
  first["rows"] = Json::array({t["rows"][0]});
  second["rows"] = Json::array({t["rows"][1]});
  std::string out;
  TabWriter w(out);
  TablePrinter p({});
  p.print(first, w);
  p.print(second, w);
  w.flush();
  EXPECT_EQ(out, read_testdata("pods_default.golden"));
}

TEST(TablePrinter, CellFormatting) {
  // tableprinter.go printTable: strings cut at the first line break with "...", terminal escapes
  // neutralized; other values as fmt.Sprint.
  EXPECT_EQ(format_cell(Json("a\nb")), "a...");
  EXPECT_EQ(format_cell(Json("x\x1b[31m")), "x^[[31m");
  EXPECT_EQ(format_cell(Json(3)), "3");
  EXPECT_EQ(format_cell(Json(1.5)), "1.5");
  EXPECT_EQ(format_cell(Json(true)), "true");
  EXPECT_EQ(format_cell(Json(nullptr)), "");
}

TEST(TablePrinter, FormatLabelsSortsKeys) {
  EXPECT_EQ(format_labels(Json{{"tier", "fe"}, {"app", "web"}}), "app=web,tier=fe");
  EXPECT_EQ(format_labels(Json::object()), "<none>");
}

}  // namespace
}  // namespace kapi::client
