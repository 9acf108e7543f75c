#include "client/describe/common.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::client::describe {
namespace {

// Expected texts are kubectl 1.33's (describe pod of a default-scheduled pod, annotations
// longer than 140 characters, escapes).
TEST(DescribeCommon, LabelsAndTolerationsAlignInOneTabBlock) {
  TabbedWriter w;
  w.write(kLevel0, "Name:\tweb\n");
  print_labels_multiline(w, "Labels", Json{{"tier", "front"}, {"app", "web"}});
  print_tolerations_multiline(
      w, "Tolerations",
      Json::array({{{"key", "node.kubernetes.io/unreachable"}, {"operator", "Exists"}, {"effect", "NoExecute"},
                    {"tolerationSeconds", 300}},
                   {{"operator", "Exists"}}}));
  EXPECT_EQ(w.str(),
            "Name:         web\n"
            "Labels:       app=web\n"
            "              tier=front\n"
            "Tolerations:  op=Exists\n"
            "              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n");
}

TEST(DescribeCommon, LongAndMultilineAnnotationsAreFolded) {
  TabbedWriter w;
  print_annotations_multiline(w, "Annotations",
                              Json{{"short", "s"},
                                   {"multi", "line1\nline2\n"},
                                   {"kubectl.kubernetes.io/last-applied-configuration", "{}"},
                                   {"note", std::string(150, 'x')}});
  EXPECT_EQ(w.str(), "Annotations:  multi:\n                line1\n                line2\n              note:\n                " +
                         std::string(138, 'x') + "...\n              short: s\n");
}

TEST(DescribeCommon, EscapesTerminalControlCharacters) {
  TabbedWriter w;
  w.write(kLevel1, "a\x1b[31m\rb\n");
  EXPECT_EQ(w.str(), "  a^[[31m\\rb\n");
}

TEST(DescribeCommon, EventsWithoutItemsSayNone) {
  TabbedWriter w;
  w.write(kLevel0, "Name:\tx\n");
  describe_events({}, w);
  EXPECT_EQ(w.str(), "Name:    x\nEvents:  <none>\n");
}

TEST(DescribeCommon, SelectorsAndLabelsFormatAsUpstream) {
  EXPECT_EQ(format_label_selector(Json()), "<none>");
  EXPECT_EQ(format_label_selector(Json{{"matchLabels", {{"b", "2"}, {"a", "1"}}}}), "a=1,b=2");
  EXPECT_EQ(format_labels(Json::object()), "<none>");
  EXPECT_EQ(sprint(Json::array({"get", "list"})), "[get list]");
  EXPECT_EQ(sprint(Json()), "[]");
}

}  // namespace
}  // namespace kapi::client::describe
