#include "pkg/http/response_writer.h"

#include <gtest/gtest.h>

#include "pkg/http/gzip.h"
#include "pkg/http/test_transport.h"

namespace kapi::http {
namespace {

using testing::StringTransport;

std::string write(HttpResponse& res, ResponseContext ctx = {}, bool* keep_alive = nullptr) {
  StringTransport t("");
  EXPECT_TRUE(write_response(t, res, ctx));
  if (keep_alive) *keep_alive = ctx.keep_alive;
  return t.out();
}

TEST(ResponseWriter, WholeBodyHeadersSortedAsBefore) {
  HttpResponse res;
  res.status = 201;
  res.body = "{}";
  res.set_header("Warning", "299 - \"b\"");
  res.set_header("Audit-Id", "x");
  res.set_header("Warning", "299 - \"a\"");
  res.set_header("Content-Length", "999");  // the writer's own
  EXPECT_EQ(write(res),
            "HTTP/1.1 201 Created\r\nAudit-Id: x\r\nContent-Length: 2\r\nContent-Type: application/json\r\n"
            "Keep-Alive: timeout=60, max=100000\r\nWarning: 299 - \"b\"\r\nWarning: 299 - \"a\"\r\n\r\n{}");
}

TEST(ResponseWriter, EmptyBodyCloseAndHead) {
  HttpResponse res;
  res.status = 200;
  res.content_type = "text/plain";
  ResponseContext ctx;
  ctx.keep_alive = false;
  EXPECT_EQ(write(res, ctx), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\nContent-Type: text/plain\r\n\r\n");
  res.body = "abc";
  ctx.keep_alive = true;
  ctx.head = true;
  EXPECT_EQ(write(res, ctx),
            "HTTP/1.1 200 OK\r\nAccept-Ranges: bytes\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n"
            "Keep-Alive: timeout=60, max=100000\r\n\r\n");
}

TEST(ResponseWriter, WithoutHttplibFields) {
  HttpResponse res;
  res.body = "abc";
  ResponseContext ctx;
  ctx.httplib_fields = false;
  EXPECT_EQ(write(res, ctx), "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: application/json\r\n\r\nabc");
  ctx.head = true;
  res.body.clear();
  res.stream_length = 387;  // a proxied HEAD answer's length
  res.stream = [](const ChunkWriter&) {};
  EXPECT_EQ(write(res, ctx), "HTTP/1.1 200 OK\r\nContent-Length: 387\r\nContent-Type: application/json\r\n\r\n");
}

TEST(ResponseWriter, HeaderInjectionIsDropped) {
  HttpResponse res;
  res.set_header("X-Evil", "a\r\nSet-Cookie: x");
  EXPECT_EQ(write(res).find("Set-Cookie"), std::string::npos);
}

TEST(ResponseWriter, ReasonPhrases) {
  EXPECT_EQ(reason_phrase(422), "Unprocessable Entity");
  EXPECT_EQ(reason_phrase(413), "Request Entity Too Large");
  EXPECT_EQ(reason_phrase(429), "Too Many Requests");
  EXPECT_EQ(reason_phrase(599), "status code 599");
}

TEST(ResponseWriter, ChunkedStreamSendsEachChunkAtOnce) {
  HttpResponse res;
  StringTransport t("");
  std::vector<size_t> writes_seen;
  res.stream = [&](const ChunkWriter& w) {
    EXPECT_TRUE(w("{\"type\":\"ADDED\"}\n"));
    writes_seen.push_back(t.writes());
    EXPECT_TRUE(w(""));  // nothing, and no premature end of the body
    EXPECT_TRUE(w(std::string(300, 'x')));
    writes_seen.push_back(t.writes());
  };
  ResponseContext ctx;
  ASSERT_TRUE(write_response(t, res, ctx));
  EXPECT_EQ(writes_seen, (std::vector<size_t>{2, 3}));  // headers, then one write per chunk
  EXPECT_EQ(t.out(), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nKeep-Alive: timeout=60, max=100000\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n11\r\n{\"type\":\"ADDED\"}\n\r\n12c\r\n" +
                         std::string(300, 'x') + "\r\n0\r\n\r\n");
}

TEST(ResponseWriter, ChunkWriterFailsOnceThePeerIsGone) {
  HttpResponse res;
  std::vector<bool> results;
  res.stream = [&](const ChunkWriter& w) {
    results.push_back(w("a"));
    results.push_back(w("b"));
    results.push_back(w("c"));
  };
  StringTransport t("");
  t.fail_writes_after(2);  // the headers and "a"
  ResponseContext ctx;
  EXPECT_FALSE(write_response(t, res, ctx));
  EXPECT_EQ(results, (std::vector<bool>{true, false, false}));
}

TEST(ResponseWriter, EmptyChunkProbesThePeer) {
  for (bool sized : {false, true}) {
    HttpResponse res;
    if (sized) res.stream_length = 1;
    StringTransport t("");
    std::vector<bool> results;
    res.stream = [&](const ChunkWriter& w) {
      results.push_back(w(""));
      t.set_alive(false);
      results.push_back(w(""));
    };
    ResponseContext ctx;
    EXPECT_FALSE(write_response(t, res, ctx));
    EXPECT_EQ(results, (std::vector<bool>{true, false})) << sized;
  }
}

TEST(ResponseWriter, StreamToHttp10ClosesInsteadOfChunking) {
  HttpResponse res;
  res.stream = [](const ChunkWriter& w) { w("abc"); };
  ResponseContext ctx;
  ctx.http10 = true;
  bool keep = true;
  EXPECT_EQ(write(res, ctx, &keep), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n\r\nabc");
  EXPECT_FALSE(keep);
}

TEST(ResponseWriter, SizedStream) {
  HttpResponse res;
  res.stream_length = 6;
  res.stream = [](const ChunkWriter& w) {
    w("abc");
    w("def");
  };
  bool keep = false;
  EXPECT_EQ(write(res, {}, &keep),
            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: application/json\r\n"
            "Keep-Alive: timeout=60, max=100000\r\n\r\nabcdef");
  EXPECT_TRUE(keep);
}

TEST(ResponseWriter, SizedStreamThatBreaksItsLengthClosesTheConnection) {
  HttpResponse shorter;
  shorter.stream_length = 6;
  shorter.stream = [](const ChunkWriter& w) { w("abc"); };
  bool keep = true;
  write(shorter, {}, &keep);
  EXPECT_FALSE(keep);

  HttpResponse longer;
  longer.stream_length = 2;
  bool second = true;
  longer.stream = [&](const ChunkWriter& w) { second = w("abc"); };
  StringTransport t("");
  ResponseContext ctx;
  EXPECT_FALSE(write_response(t, longer, ctx));
  EXPECT_FALSE(second);
  EXPECT_EQ(t.out().substr(t.out().size() - 4), "\r\n\r\n");  // nothing past the headers
}

TEST(ResponseWriter, GzipOnlyForLargeWholeBodiesTheClientAccepts) {
  std::string big(kGzipMinBytes, 'a');
  HttpResponse res;
  res.body = big;
  ResponseContext ctx;
  ctx.accept_gzip = true;
  std::string out = write(res, ctx);
  EXPECT_NE(out.find("Content-Encoding: gzip\r\n"), std::string::npos);
  size_t head_end = out.find("\r\n\r\n") + 4;
  EXPECT_NE(out.find("Content-Length: " + std::to_string(out.size() - head_end) + "\r\n"), std::string::npos);
  EXPECT_LT(out.size(), big.size() / 10);

  res.body = big.substr(1);  // one byte under the threshold
  EXPECT_EQ(write(res, ctx).find("Content-Encoding"), std::string::npos);
  res.body = big;
  ctx.accept_gzip = false;
  EXPECT_EQ(write(res, ctx).find("Content-Encoding"), std::string::npos);
  ctx.accept_gzip = true;
  res.content_type = "application/vnd.kubernetes.protobuf";
  EXPECT_EQ(write(res, ctx).find("Content-Encoding"), std::string::npos);

  HttpResponse stream;
  stream.stream = [&](const ChunkWriter& w) { w(big); };
  EXPECT_EQ(write(stream, ctx).find("Content-Encoding"), std::string::npos);  // watch events must not wait
}

}  // namespace
}  // namespace kapi::http
