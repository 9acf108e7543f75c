#include "client/errors.h"

#include <gtest/gtest.h>

namespace kapi::client {
namespace {

// Texts from kubectl 1.33's cmdutil.CheckErr (cmd/util/helpers.go) as observed against servers.
TEST(Errors, StatusFromServer) {
  auto e = status_error_from_response(
      404, R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404})");
  EXPECT_EQ(check_err_text(e), "Error from server (NotFound): pods \"x\" not found\n");
  auto u = status_error_from_response(401, R"({"kind":"Status","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})");
  EXPECT_EQ(check_err_text(u), "error: You must be logged in to the server (Unauthorized)\n");
}

TEST(Errors, InvalidWithCauses) {
  auto one = status_error_from_response(422, R"({"kind":"Status","status":"Failure","message":"Pod \"p1\" is invalid: spec.containers[0].image: Required value","reason":"Invalid","details":{"name":"p1","kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers[0].image"}]},"code":422})");
  EXPECT_EQ(check_err_text(one), "The Pod \"p1\" is invalid: spec.containers[0].image: Required value\n");
  auto none = status_error_from_response(422, R"({"kind":"Status","status":"Failure","message":"m","reason":"Invalid","details":{"name":"p1","kind":"Pod"},"code":422})");
  EXPECT_EQ(check_err_text(none), "The Pod \"p1\" is invalid\n");
}

TEST(Errors, NonStatusBody) {
  auto e = status_error_from_response(404, "<html>", "get", "pods", "x");
  EXPECT_EQ(check_err_text(e), "Error from server (NotFound): the server could not find the requested resource (get pods x)\n");
}

TEST(Errors, PlainAndAggregates) {
  EXPECT_EQ(check_err_text(CmdError::msg("boom")), "error: boom\n");
  EXPECT_EQ(check_err_text(CmdError::msg("error: boom")), "error: boom\n");
  CmdError refused;
  refused.kind = CmdError::Kind::kConnRefused;
  refused.message = "localhost:8080";
  EXPECT_EQ(check_err_text(refused),
            "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
  // Several errors print one message each, without the "error: " prefix for plain ones.
  EXPECT_EQ(check_err_text(std::vector<CmdError>{CmdError::msg("a"), refused}),
            "a\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
}

}  // namespace
}  // namespace kapi::client
