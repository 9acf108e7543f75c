#include "client/flags.h"

#include <gtest/gtest.h>

namespace kapi::client {
namespace {

FlagSet make() {
  FlagSet f;
  f.add_bool("all-namespaces", 'A', false);
  f.add_string("namespace", 'n', "");
  f.add_string("output", 'o', "");
  f.add_int("chunk-size", 0, 500);
  f.add_string_slice("label-columns", 'L');
  f.add_bool("help", 'h', false);
  return f;
}

std::string parse_error(std::vector<std::string> args) {
  FlagSet f = make();
  std::vector<std::string> pos;
  auto err = f.parse(args, pos);
  return err ? *err : "";
}

// Error texts are spf13/pflag's, as kubectl 1.33 prints them.
TEST(Flags, ErrorsWordedLikePflag) {
  EXPECT_EQ(parse_error({"--bogus"}), "unknown flag: --bogus");
  EXPECT_EQ(parse_error({"-Z"}), "unknown shorthand flag: 'Z' in -Z");
  EXPECT_EQ(parse_error({"-AZ"}), "unknown shorthand flag: 'Z' in -Z");
  EXPECT_EQ(parse_error({"--namespace"}), "flag needs an argument: --namespace");
  EXPECT_EQ(parse_error({"-n"}), "flag needs an argument: 'n' in -n");
  EXPECT_EQ(parse_error({"-An"}), "flag needs an argument: 'n' in -n");
  EXPECT_EQ(parse_error({"---x"}), "bad flag syntax: ---x");
  EXPECT_EQ(parse_error({"--chunk-size=abc"}),
            "invalid argument \"abc\" for \"--chunk-size\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax");
  EXPECT_EQ(parse_error({"-A=x"}),
            "invalid argument \"x\" for \"-A, --all-namespaces\" flag: strconv.ParseBool: parsing \"x\": invalid syntax");
}

TEST(Flags, Forms) {
  FlagSet f = make();
  std::vector<std::string> pos;
  ASSERT_FALSE(f.parse({"get", "-nkube-system", "pods", "-oyaml", "--all_namespaces", "-L", "a,b", "-L=c",
                        "--chunk-size", "0x10", "--", "-x"},
                       pos));
  EXPECT_EQ(f.get_string("namespace"), "kube-system");
  EXPECT_EQ(f.get_string("output"), "yaml");
  EXPECT_TRUE(f.get_bool("all-namespaces"));
  EXPECT_EQ(f.get_strings("label-columns"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(f.get_int("chunk-size"), 16);
  EXPECT_EQ(pos, (std::vector<std::string>{"get", "pods", "-x"}));
}

TEST(Flags, StripFlagsLikeCobra) {
  FlagSet f = make();
  EXPECT_EQ(f.strip_flags({"-n", "x", "get", "pods"}), (std::vector<std::string>{"get", "pods"}));
  EXPECT_EQ(f.strip_flags({"-A", "get"}), (std::vector<std::string>{"get"}));
  // An unknown flag swallows the next word, as cobra does.
  EXPECT_EQ(f.strip_flags({"--bogus", "get"}), (std::vector<std::string>{}));
  EXPECT_EQ(f.strip_flags({"--namespace=x", "foo"}), (std::vector<std::string>{"foo"}));
}

}  // namespace
}  // namespace kapi::client

namespace kapi::client {
namespace {

// pflag's stringToString (kubectl debug --env, --set-image): pairs, a later key wins.
TEST(Flags, StringToString) {
  FlagSet f;
  f.add_string_to_string("env", 0);
  std::vector<std::string> pos;
  ASSERT_FALSE(f.parse({"--env=B=2,A=1", "--env", "\"C=x\"", "--env=A=3"}, pos));
  using P = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(f.get_string_map("env"), (P{{"A", "3"}, {"B", "2"}, {"C", "x"}}));
  FlagSet g;
  g.add_string_to_string("env", 0);
  EXPECT_EQ(*g.parse({"--env=foo"}, pos), "invalid argument \"foo\" for \"--env\" flag: foo must be formatted as key=value");
  EXPECT_EQ(*g.parse({"--env=a=1,b,c=2"}, pos), "invalid argument \"a=1,b,c=2\" for \"--env\" flag: b must be formatted as key=value");
}

}  // namespace
}  // namespace kapi::client
