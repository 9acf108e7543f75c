#include "pkg/http/request_head.h"

#include <gtest/gtest.h>

namespace kapi::http {
namespace {

RequestHead parse_ok(std::string_view head) {
  RequestHead h;
  auto err = parse_head(head, h);
  EXPECT_FALSE(err.has_value()) << head << " -> " << (err ? err->status : "");
  return h;
}

std::string parse_err(std::string_view head) {
  RequestHead h;
  auto err = parse_head(head, h);
  return err ? err->status + " | " + err->body : "ok";
}

TEST(FindHeadEnd, CrlfLfAndLeadingBlankLines) {
  size_t skip = 0;
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY", &skip), 27u);
  EXPECT_EQ(skip, 0u);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\nHost: x\n\nBODY", &skip), 24u);
  EXPECT_EQ(find_head_end("\r\n\r\nGET / HTTP/1.1\r\n\r\n", &skip), 22u);
  EXPECT_EQ(skip, 4u);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: x\r\n", &skip), 0u);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: x\r\n\r", &skip), 0u);
  EXPECT_EQ(find_head_end("", &skip), 0u);
}

TEST(ParseHead, RequestLineAndHeaders) {
  auto h = parse_ok("PATCH /api/v1/x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Type:  application/json \r\n"
                    "X-Multi: 1\r\nx-multi: 2\r\nEmpty:\r\n\r\n");
  EXPECT_EQ(h.method, "PATCH");
  EXPECT_EQ(h.target, "/api/v1/x?y=1");
  EXPECT_FALSE(h.http10);
  EXPECT_TRUE(h.keep_alive);
  EXPECT_EQ(h.headers.find("content-type")->second, "application/json");
  EXPECT_EQ(h.headers.count("x-multi"), 2u);
  EXPECT_EQ(h.headers.find("empty")->second, "");
  EXPECT_FALSE(h.content_length.has_value());
  EXPECT_FALSE(h.chunked);
}

TEST(ParseHead, HeaderValuesAreNotPercentDecoded) {
  // As Go (the previous HTTP layer decoded them): a token with '%' reaches the handler as sent.
  auto h = parse_ok("GET / HTTP/1.1\r\nAuthorization: Bearer a%41\r\n\r\n");
  EXPECT_EQ(h.headers.find("authorization")->second, "Bearer a%41");
}

TEST(ParseHead, Framing) {
  auto h = parse_ok("POST / HTTP/1.1\r\nContent-Length: 12\r\nExpect: 100-Continue\r\n\r\n");
  EXPECT_EQ(h.content_length, 12u);
  EXPECT_TRUE(h.expect_continue);
  h = parse_ok("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n");
  EXPECT_EQ(h.content_length, 3u);
  h = parse_ok("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\nContent-Length: 3\r\n\r\n");
  EXPECT_TRUE(h.chunked);
  EXPECT_FALSE(h.content_length.has_value());  // Transfer-Encoding wins (RFC 9112 6.3)
}

TEST(ParseHead, ConnectionHandling) {
  EXPECT_FALSE(parse_ok("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keep_alive);
  EXPECT_FALSE(parse_ok("GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n").keep_alive);
  EXPECT_TRUE(parse_ok("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n").keep_alive);
  auto h10 = parse_ok("GET / HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(h10.http10);
  EXPECT_FALSE(h10.keep_alive);
  EXPECT_TRUE(parse_ok("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
}

TEST(ParseHead, MalformedHeadsAreGos400) {
  const std::string bad = "400 Bad Request | 400 Bad Request";
  EXPECT_EQ(parse_err("GET /\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("GET  / HTTP/1.1\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("GET / HTTP/2.0\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("GET / HTTP/1.1 x\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("G(T / HTTP/1.1\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("GET / HTTP/1.1\r\nNoColon\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("GET / HTTP/1.1\r\n: x\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"), bad);
  EXPECT_EQ(parse_err("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), bad);
}

TEST(ParseHead, UnknownTransferEncodingIs501) {
  EXPECT_EQ(parse_err("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            "501 Not Implemented | Unsupported transfer encoding");
  EXPECT_EQ(parse_err("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "501 Not Implemented | Unsupported transfer encoding");
}

}  // namespace
}  // namespace kapi::http
