#include "pkg/http/reader.h"

#include <gtest/gtest.h>

#include "pkg/http/test_transport.h"

namespace kapi::http {
namespace {

using testing::StringTransport;

// Every test runs with the input arriving 1, 3 and all bytes at a time.
class ReaderTest : public ::testing::TestWithParam<size_t> {};

TEST_P(ReaderTest, SizedBodyAndWhatFollows) {
  StringTransport t("hello worldNEXT", GetParam());
  Reader r(t);
  std::string body;
  EXPECT_EQ(read_sized_body(r, 11, 100, &body), BodyResult::kOk);
  EXPECT_EQ(body, "hello world");
  std::string rest;
  while (r.buffered().size() < 4 && r.fill()) {
  }
  EXPECT_EQ(r.buffered(), "NEXT");
}

TEST_P(ReaderTest, SizedBodyTooLargeIsReadAndDropped) {
  StringTransport t(std::string(50, 'x') + "GET", GetParam());
  Reader r(t);
  std::string body;
  EXPECT_EQ(read_sized_body(r, 50, 49, &body), BodyResult::kTooLarge);
  EXPECT_EQ(body, "");
  while (r.buffered().size() < 3 && r.fill()) {
  }
  EXPECT_EQ(r.buffered(), "GET");  // the next request starts right after the dropped body
}

TEST_P(ReaderTest, SizedBodyCutShort) {
  StringTransport t("abc", GetParam());
  Reader r(t);
  std::string body;
  EXPECT_EQ(read_sized_body(r, 5, 100, &body), BodyResult::kEof);
}

TEST_P(ReaderTest, ChunkedBody) {
  StringTransport t("5;ext=1\r\nhello\r\n6\r\n world\r\nA \r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT", GetParam());
  Reader r(t);
  std::string body;
  EXPECT_EQ(read_chunked_body(r, 100, &body), BodyResult::kOk);
  EXPECT_EQ(body, "hello world0123456789");
  while (r.buffered().size() < 4 && r.fill()) {
  }
  EXPECT_EQ(r.buffered(), "NEXT");
}

TEST_P(ReaderTest, ChunkedBodyBareLf) {
  StringTransport t("3\nabc\n0\n\n", GetParam());
  Reader r(t);
  std::string body;
  EXPECT_EQ(read_chunked_body(r, 100, &body), BodyResult::kOk);
  EXPECT_EQ(body, "abc");
}

TEST_P(ReaderTest, ChunkedBodyTooLarge) {
  StringTransport t("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\nNEXT", GetParam());
  Reader r(t);
  std::string body;
  EXPECT_EQ(read_chunked_body(r, 7, &body), BodyResult::kTooLarge);
  EXPECT_EQ(body, "");
  while (r.buffered().size() < 4 && r.fill()) {
  }
  EXPECT_EQ(r.buffered(), "NEXT");
}

TEST_P(ReaderTest, MalformedChunks) {
  for (std::string in : std::vector<std::string>{"x\r\nabc\r\n0\r\n\r\n", "3\r\nabcd\r\n0\r\n\r\n", "\r\n", "fffffffffffffffff\r\n",
                         "3\r\nabc\r\n0\r\n" + std::string(5000, 'x') + "\r\n\r\n"}) {
    StringTransport t(in, GetParam());
    Reader r(t);
    std::string body;
    EXPECT_NE(read_chunked_body(r, 100, &body), BodyResult::kOk) << in;
  }
}

TEST_P(ReaderTest, ReadLineLimit) {
  StringTransport t("abc\r\nabcdef\r\n", GetParam());
  Reader r(t);
  std::string line;
  EXPECT_TRUE(r.read_line(3, &line));
  EXPECT_EQ(line, "abc");
  EXPECT_FALSE(r.read_line(5, &line));
}

TEST(Reader, GrowsForLongHeads) {
  std::string big(300 * 1024, 'h');
  StringTransport t(big, 7000);
  Reader r(t);
  while (r.fill()) {
  }
  EXPECT_EQ(r.buffered(), big);
}

INSTANTIATE_TEST_SUITE_P(Steps, ReaderTest, ::testing::Values(1, 3, 1 << 20));

}  // namespace
}  // namespace kapi::http
