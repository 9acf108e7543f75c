// Upstream's tokenfile tests (k8s.io/apiserver pkg/authentication/token/tokenfile) and the
// bearer-token header rules of pkg/authentication/request/bearertoken.
#include "server/token_file.h"

#include <gtest/gtest.h>

#include "server/authn.h"

namespace kapi::server {
namespace {

TEST(TokenFile, ParsesUpstreamCsv) {
  auto tf = TokenFile::parse("f.csv",
                             "token1,user1,uid1\n"
                             "token2,user2,uid2\n"
                             "token3,user3,uid3,\"group1,group2\"\n"
                             "token4,user4,uid4,\"group2\"\n"
                             "token5,user5,uid5,group5\n"
                             "token6,user6,uid6,group5,otherdata\n"
                             "\n"
                             ",user8,uid8\n"
                             "\"to\"\"k9\",user9,uid9\r\n");
  ASSERT_TRUE(tf.ok()) << tf.error();
  EXPECT_EQ(tf->size(), 7u);
  const UserInfo* u3 = tf->find("token3");
  ASSERT_NE(u3, nullptr);
  EXPECT_EQ(u3->name, "user3");
  EXPECT_EQ(u3->uid, "uid3");
  EXPECT_EQ(u3->groups, (std::vector<std::string>{"group1", "group2"}));
  // Columns after the fourth are ignored, as upstream does.
  EXPECT_EQ(tf->find("token6")->groups, (std::vector<std::string>{"group5"}));
  EXPECT_TRUE(tf->find("token1")->groups.empty());
  EXPECT_EQ(tf->find("to\"k9")->name, "user9");
  EXPECT_EQ(tf->find(""), nullptr);
  EXPECT_EQ(tf->find("token7"), nullptr);
}

TEST(TokenFile, DuplicateTokenLastWins) {
  auto tf = TokenFile::parse("f.csv", "t,a,1\nt,b,2\n");
  ASSERT_TRUE(tf.ok());
  EXPECT_EQ(tf->find("t")->name, "b");
}

TEST(TokenFile, TooFewColumnsIsUpstreamsError) {
  auto tf = TokenFile::parse("/etc/tokens.csv", "good,user,uid\nbad,user\n");
  ASSERT_FALSE(tf.ok());
  EXPECT_EQ(tf.error(),
            "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2");
}

TEST(TokenFile, CsvSyntaxErrors) {
  auto bare = TokenFile::parse("f", "a\"b,user,uid\n");
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error(), "parse error on line 1, column 2: bare \" in non-quoted-field");
  EXPECT_FALSE(TokenFile::parse("f", "\"abc,user,uid\n").ok());
}

TEST(TokenFile, MissingFile) {
  auto tf = TokenFile::load("/nonexistent/tokens.csv");
  ASSERT_FALSE(tf.ok());
  EXPECT_EQ(tf.error(), "open /nonexistent/tokens.csv: no such file or directory");
}

TEST(BearerToken, HeaderRules) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("  bearer abc  "), "abc");
  EXPECT_EQ(bearer_token("BEARER abc extra"), "abc");
  EXPECT_EQ(bearer_token("Bearer"), "");
  EXPECT_EQ(bearer_token("Bearer  abc"), "");  // empty token between two spaces
  EXPECT_EQ(bearer_token("Basic abc"), "");
  EXPECT_EQ(bearer_token(""), "");
}

TEST(Authenticator, TokensAnonymousAndFailures) {
  auto tf = TokenFile::parse("f", "tok,alice,42,\"devs,ops\"\nroot,admin,1,system:masters\n");
  ASSERT_TRUE(tf.ok());
  Authenticator authn("", true, std::make_shared<const TokenFile>(std::move(tf.value())));
  HttpRequest req;
  UserInfo user;
  ASSERT_TRUE(authn.authenticate(req, user).ok());
  EXPECT_EQ(user.name, "system:anonymous");

  req.headers.emplace("authorization", "Bearer tok");
  user = {};
  ASSERT_TRUE(authn.authenticate(req, user).ok());
  EXPECT_EQ(user.name, "alice");
  EXPECT_EQ(user.uid, "42");
  EXPECT_EQ(user.groups, (std::vector<std::string>{"devs", "ops", "system:authenticated"}));

  req.headers.clear();
  req.headers.emplace("authorization", "Bearer nope");
  runtime::Status s = authn.authenticate(req, user);
  EXPECT_EQ(s.code, 401);
  EXPECT_EQ(s.reason, "Unauthorized");
  EXPECT_EQ(s.message, "Unauthorized");

  // A non-bearer scheme is no credential at all: anonymous.
  req.headers.clear();
  req.headers.emplace("authorization", "Basic dTpw");
  user = {};
  ASSERT_TRUE(authn.authenticate(req, user).ok());
  EXPECT_EQ(user.name, "system:anonymous");

  Authenticator no_anon("", false, nullptr);
  req.headers.clear();
  EXPECT_EQ(no_anon.authenticate(req, user).code, 401);
  req.headers.emplace("authorization", "Bearer tok");
  EXPECT_EQ(no_anon.authenticate(req, user).code, 401);  // no token file: every token is invalid
}

}  // namespace
}  // namespace kapi::server
