#include "client/http_message.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

namespace kapi::client {
namespace {

// A ReadFn over canned bytes, handing out at most `step` bytes per read.
ReadFn canned(const std::string& bytes, size_t step) {
  auto pos = std::make_shared<size_t>(0);
  return [bytes, step, pos](char* buf, size_t size, TransportError&) -> long {
    size_t n = std::min({step, size, bytes.size() - *pos});
    std::copy_n(bytes.data() + *pos, n, buf);
    *pos += n;
    return static_cast<long>(n);
  };
}

struct Answer {
  TransportError err;
  HttpResponseHead head;
  std::string body;
  bool reusable = false;
};

std::vector<Answer> read_all(const std::string& bytes, size_t step, int answers, const std::string& method = "GET") {
  ResponseReader r(canned(bytes, step));
  std::vector<Answer> out;
  for (int i = 0; i < answers; ++i) {
    Answer a;
    a.err = r.read_head(a.head);
    if (!a.err)
      a.err = r.read_body(a.head, method, [&](const char* d, size_t n) { return a.body.append(d, n), true; }, a.reusable);
    out.push_back(a);
    if (a.err) break;
  }
  return out;
}

std::string gzip(const std::string& s) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(s.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(SerializeRequest, GoHeaderOrder) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict";
  r.host = "127.0.0.1:6443";
  r.headers = {{"Accept", "application/json"},
               {"User-Agent", "kubectl/v1.33.0"},
               {"Authorization", "Bearer t"},
               {"Content-Type", "application/json"},
               {"Impersonate-User", "u"},
               {"Impersonate-Group", "g1"},
               {"Impersonate-Group", "g2"}};
  r.body = "{}";
  EXPECT_EQ(serialize_request(r),
            "POST /api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict HTTP/1.1\r\n"
            "Host: 127.0.0.1:6443\r\nUser-Agent: kubectl/v1.33.0\r\nContent-Length: 2\r\nAccept: application/json\r\n"
            "Authorization: Bearer t\r\nContent-Type: application/json\r\nImpersonate-Group: g1\r\n"
            "Impersonate-Group: g2\r\nImpersonate-User: u\r\nAccept-Encoding: gzip\r\n\r\n{}");
}

TEST(SerializeRequest, ContentLengthOnlyForBodiesAndBodylessWrites) {
  HttpRequest r;
  r.host = "h";
  r.target = "/x";
  for (auto [method, cl] : std::vector<std::pair<std::string, bool>>{
           {"GET", false}, {"DELETE", false}, {"POST", true}, {"PUT", true}, {"PATCH", true}}) {
    r.method = method;
    EXPECT_EQ(serialize_request(r).find("Content-Length: 0\r\n") != std::string::npos, cl) << method;
  }
  r.method = "DELETE";
  r.body = "abc";
  EXPECT_NE(serialize_request(r).find("Content-Length: 3\r\n"), std::string::npos);
}

TEST(ResponseReader, FramingsInAnySplit) {
  const std::string body = "{\"kind\":\"Status\"}\n";
  std::string chunked;
  for (char c : body) chunked += "1;ext=x\r\n" + std::string(1, c) + "\r\n";
  const std::string wire = "HTTP/1.1 100 Continue\r\n\r\n"
                           "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\nWarning: 299 - \"a\"\r\nWarning: 299 - \"b\"\r\n\r\n" + body +
                           "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + "0\r\nX-Trailer: t\r\n\r\n" +
                           "HTTP/1.1 204 No Content\r\n\r\n"
                           "HTTP/1.1 404 Not Found\r\ncontent-encoding: gzip\r\ncontent-length: " +
                           std::to_string(gzip(body).size()) + "\r\n\r\n" + gzip(body) +
                           "HTTP/1.1 500\r\nConnection: close\r\n\r\n" + body;
  for (size_t step : {1, 2, 7, 64 * 1024}) {
    auto a = read_all(wire, step, 5);
    ASSERT_EQ(a.size(), 5u) << step;
    for (const auto& x : a) EXPECT_FALSE(x.err) << x.err.text;
    EXPECT_EQ(a[0].head.status, 200);
    EXPECT_EQ(a[0].head.reason, "OK");
    EXPECT_EQ(*a[0].head.find("content-type"), "application/json");
    EXPECT_EQ(a[0].head.headers.size(), 4u);
    EXPECT_EQ(a[0].body, body);
    EXPECT_TRUE(a[0].reusable);
    EXPECT_EQ(a[1].head.status, 201);
    EXPECT_EQ(a[1].body, body);
    EXPECT_TRUE(a[1].reusable);
    EXPECT_EQ(a[2].head.status, 204);
    EXPECT_EQ(a[2].body, "");
    EXPECT_EQ(a[3].head.status, 404);
    EXPECT_EQ(a[3].body, body) << "gzip undone";
    EXPECT_EQ(a[4].head.status, 500);
    EXPECT_EQ(a[4].head.reason, "");
    EXPECT_EQ(a[4].body, body) << "read to the end of the connection";
    EXPECT_FALSE(a[4].reusable);
  }
}

TEST(ResponseReader, EndsOfTheConnection) {
  auto a = read_all("", 10, 1);
  EXPECT_EQ(a[0].err.kind, TransportError::Kind::kEof);
  EXPECT_EQ(a[0].err.text, "EOF");
  a = read_all("HTTP/1.1 200 OK\r\nContent-Le", 10, 1);
  EXPECT_EQ(a[0].err.text, "unexpected EOF");
  a = read_all("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 10, 1);
  EXPECT_EQ(a[0].err.text, "unexpected EOF");
  a = read_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 10, 1);
  EXPECT_EQ(a[0].err.text, "unexpected EOF");
  a = read_all("SSH-2.0-OpenSSH\r\n\r\n", 10, 1);
  EXPECT_EQ(a[0].err.text, "net/http: HTTP/1.x transport connection broken: malformed HTTP response \"SSH-2.0-OpenSSH\"");
  a = read_all("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 10, 1);
  EXPECT_FALSE(a[0].reusable) << "HTTP/1.0 without keep-alive";
  a = read_all("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n", 10, 1);
  EXPECT_FALSE(a[0].reusable);
}

TEST(ResponseReader, SinkStopsTheBodyAndTheConnection) {
  ResponseReader r(canned("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n", 5));
  HttpResponseHead head;
  ASSERT_FALSE(r.read_head(head));
  std::string got;
  bool reusable = true;
  EXPECT_FALSE(r.read_body(head, "GET", [&](const char* d, size_t n) { return got.append(d, n), false; }, reusable));
  EXPECT_EQ(got, "ab");
  EXPECT_FALSE(reusable);
}

TEST(ResponseReader, CorruptGzip) {
  auto a = read_all("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip at!", 100, 1);
  EXPECT_EQ(a[0].err.text, "gzip: invalid header");
}

}  // namespace
}  // namespace kapi::client
