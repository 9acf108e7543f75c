// Messages follow apimachinery v0.36 pkg/util/validation, pkg/api/validate/content and
// pkg/api/validation (generic.go, objectmeta.go).
#include "pkg/machinery/names.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include <nlohmann/json.hpp>

namespace kapi::machinery {
namespace {

using V = std::vector<std::string>;

const std::string kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kDns1035Msg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation "
    "is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const std::string kKeyNameMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

TEST(Names, DNS1123Subdomain) {
  for (std::string good : std::vector<std::string>{"a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "a.a", "a.1", "1.a", "a0.b1",
                           "11.22.33", "a-b.c-d", std::string(253, 'a')}) {
    EXPECT_EQ(is_dns1123_subdomain(good), V{}) << good;
  }
  for (std::string bad : std::vector<std::string>{"", "A", "ABC", "aBc", "a-", "-a", "a_b", "a..b", ".a", "a.", "a@b", "a,b", "a b", "a.-b"}) {
    EXPECT_EQ(is_dns1123_subdomain(bad), V{kSubdomainMsg}) << bad;
  }
  EXPECT_EQ(is_dns1123_subdomain(std::string(254, 'a')), V{"must be no more than 253 characters"});
}

TEST(Names, DNS1123Label) {
  for (std::string good : std::vector<std::string>{"a", "ab", "a-1", "0", "1-2", std::string(63, 'a')}) EXPECT_EQ(is_dns1123_label(good), V{});
  for (std::string bad : std::vector<std::string>{"", "A", "a-", "-a", "a_b", "a b", "a@b"}) EXPECT_EQ(is_dns1123_label(bad), V{kLabelMsg}) << bad;
  EXPECT_EQ(is_dns1123_label("a.b"), V{"must not contain dots"});
  EXPECT_EQ(is_dns1123_label(std::string(64, 'a')), V{"must be no more than 63 characters"});
}

TEST(Names, DNS1035Label) {
  for (std::string good : std::vector<std::string>{"a", "ab", "a-1", "a--1", std::string(63, 'a')}) EXPECT_EQ(is_dns1035_label(good), V{});
  for (std::string bad : std::vector<std::string>{"", "0", "1a", "A", "a-", "-a", "a.b", "a_b"}) {
    EXPECT_EQ(is_dns1035_label(bad), V{kDns1035Msg}) << bad;
  }
  EXPECT_EQ(is_dns1035_label(std::string(64, 'a')), V{"must be no more than 63 characters"});
}

TEST(Names, QualifiedName) {
  for (std::string good : std::vector<std::string>{"simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
                           "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple",
                           "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678",
                           "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo",
                           std::string(63, 'a'), std::string(253, 'a') + "/" + std::string(63, 'b')}) {
    EXPECT_EQ(is_qualified_name(good), V{}) << good;
  }
  struct Case {
    std::string in;
    V want;
  } cases[] = {
      {"", {"name part must be non-empty", kKeyNameMsg}},
      {"nospecialchars%^=@", {kKeyNameMsg}},
      {"cantendwithadash-", {kKeyNameMsg}},
      {"-cantstartwithadash-", {kKeyNameMsg}},
      {"only/one/slash",
       {"a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
        "'example.com/MyName')"}},
      {"Example.com/abc", {"prefix part " + kSubdomainMsg}},
      {"example_com/abc", {"prefix part " + kSubdomainMsg}},
      {"example.com/", {"name part must be non-empty", kKeyNameMsg}},
      {"/simple", {"prefix part must be non-empty"}},
      {"example.com/*", {kKeyNameMsg}},
      {"example.com/a b", {kKeyNameMsg}},
      {std::string(64, 'a'), {"name part must be no more than 63 bytes"}},
      {std::string(254, 'a') + "/abc", {"prefix part must be no more than 253 bytes"}},
  };
  for (const auto& c : cases) EXPECT_EQ(is_qualified_name(c.in), c.want) << c.in;
}

TEST(Names, LabelValue) {
  for (std::string good : std::vector<std::string>{"", "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234",
                           std::string(63, 'a'), "Uppercase_Is_OK_123"}) {
    EXPECT_EQ(is_valid_label_value(good), V{}) << good;
  }
  const std::string msg =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
      "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
      "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  for (std::string bad : std::vector<std::string>{"nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad",
                          "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.",
                          "a b"}) {
    EXPECT_EQ(is_valid_label_value(bad), V{msg}) << bad;
  }
  EXPECT_EQ(is_valid_label_value(std::string(64, 'a')), V{"must be no more than 63 bytes"});
}

TEST(Names, Ports) {
  EXPECT_EQ(is_valid_port_num(1), V{});
  EXPECT_EQ(is_valid_port_num(65535), V{});
  EXPECT_EQ(is_valid_port_num(0), V{"must be between 1 and 65535, inclusive"});
  EXPECT_EQ(is_valid_port_num(65536), V{"must be between 1 and 65535, inclusive"});
  for (std::string good : std::vector<std::string>{"telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"}) {
    EXPECT_EQ(is_valid_port_name(good), V{}) << good;
  }
  struct Case {
    std::string in;
    V want;
  } cases[] = {
      {"longerthan15characters", {"must be no more than 15 characters"}},
      {"", {"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "must contain at least one letter (a-z)"}},
      {"12345", {"must contain at least one letter (a-z)"}},
      {"1-2-3", {"must contain at least one letter (a-z)"}},
      {"-begin", {"must not begin or end with a hyphen"}},
      {"end-", {"must not begin or end with a hyphen"}},
      {"two--hyphens", {"must not contain consecutive hyphens"}},
      {"whois++", {"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"}},
      {"HTTP", {"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must contain at least one letter (a-z)"}},
  };
  for (const auto& c : cases) EXPECT_EQ(is_valid_port_name(c.in), c.want) << c.in;
}

TEST(Names, Identifiers) {
  const std::string cid =
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric "
      "characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is "
      "'[A-Za-z_][A-Za-z0-9_]*')";
  for (std::string good : std::vector<std::string>{"a", "ab", "abc", "a1", "_a", "a_", "a_b", "a_1", "A", "AB", "_A", "A_1", "A_B"}) {
    EXPECT_EQ(is_c_identifier(good), V{}) << good;
  }
  for (std::string bad : std::vector<std::string>{"", "1", "123", "1a", "-", "a-", "-a", "a-b", "a b", "1 ", " 1", "1 2", "#a"}) {
    EXPECT_EQ(is_c_identifier(bad), V{cid}) << bad;
  }
  const std::string env =
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must "
      "not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation "
      "is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
  for (std::string good : std::vector<std::string>{"A", "ABC", "AbC_123", "_123", "-foo", ".foo", "foo.bar"}) {
    EXPECT_EQ(is_env_var_name(good), V{}) << good;
  }
  EXPECT_EQ(is_env_var_name("1a"), V{env});
  EXPECT_EQ(is_env_var_name("a b"), V{env});
  EXPECT_EQ(is_env_var_name("."), V{"must not be '.'"});
  EXPECT_EQ(is_env_var_name(".."), V{"must not be '..'"});
  EXPECT_EQ(is_env_var_name("..foo"), V{"must not start with '..'"});
  const std::string relaxed = "a valid environment variable name must consist only of printable ASCII characters other than '='";
  for (std::string good : std::vector<std::string>{"A", "1a", "a b", "a:b", "~!@#$%^&*()"}) EXPECT_EQ(is_relaxed_env_var_name(good), V{}) << good;
  EXPECT_EQ(is_relaxed_env_var_name(""), V{"environment variable name must be non-empty"});
  EXPECT_EQ(is_relaxed_env_var_name("a=b"), V{relaxed});
  EXPECT_EQ(is_relaxed_env_var_name("a\tb"), V{relaxed});
  EXPECT_EQ(is_relaxed_env_var_name("Māori"), V{relaxed});
  EXPECT_EQ(is_config_map_key("key.name"), V{});
  EXPECT_EQ(is_config_map_key("a/b"),
            V{"a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
              "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"});
  EXPECT_EQ(is_config_map_key(".."), V{"must not be '..'"});
}

TEST(Names, GenerateNameValidation) {
  EXPECT_EQ(name_is_dns_subdomain("web-", true), V{});
  EXPECT_EQ(name_is_dns_subdomain("web-", false), V{kSubdomainMsg});
  EXPECT_EQ(name_is_dns_label("Web-", true), V{kLabelMsg});
  EXPECT_EQ(name_is_dns1035_label("1web-", true), V{kDns1035Msg});
}

TEST(Names, Annotations) {
  using json = nlohmann::ordered_json;
  EXPECT_TRUE(validate_annotations(json{{"a", "b"}, {"Example.COM/Key", "v"}}, "metadata.annotations").empty());
  auto errs = validate_annotations(json{{"a b", "x"}}, "metadata.annotations");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].error(), "metadata.annotations: Invalid value: \"a b\": " + kKeyNameMsg);
  json big = {{"k", std::string(kTotalAnnotationSizeLimitBytes, 'x')}};
  EXPECT_EQ(validate_annotations_size(big), "annotations size 262145 is larger than limit 262144");
  errs = validate_annotations(big, "metadata.annotations");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].error(), "metadata.annotations: Too long: may not be more than 262144 bytes");
  EXPECT_EQ(validate_annotations_size(json{{"k", std::string(kTotalAnnotationSizeLimitBytes - 1, 'x')}}), std::nullopt);
}

TEST(Names, RandomNames) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto s = generate_name_suffix();
    ASSERT_EQ(s.size(), 5u);
    EXPECT_EQ(s.find_first_not_of("bcdfghjklmnpqrstvwxz2456789"), std::string::npos) << s;
    seen.insert(s);
  }
  EXPECT_GT(seen.size(), 40u);
  std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  auto a = new_uuid(), b = new_uuid();
  EXPECT_TRUE(std::regex_match(a, uuid)) << a;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace kapi::machinery
