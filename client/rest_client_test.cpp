#include "client/rest_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/http_test_server.h"

namespace kapi::client {
namespace {

using testing::Peer;
using testing::TestServer;

RestConfig http_config(const std::string& host, int port) {
  RestConfig rc;
  rc.scheme = "http";
  rc.host = host;
  rc.port = port;
  rc.host_port = host + ":" + std::to_string(port);
  rc.server = "http://" + rc.host_port;
  return rc;
}

// Answers every request with `answer`, keeping what it received.
struct Recorder {
  std::mutex mu;
  std::vector<std::string> requests;
  std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  TestServer::Handler handler() {
    return [this](Peer& p, int) {
      for (std::string r; !(r = p.read_request()).empty();) {
        {
          std::lock_guard<std::mutex> lock(mu);
          requests.push_back(r);
        }
        p.write(answer);
      }
    };
  }
};

TEST(RestClient, RequestAsGoWritesIt) {
  Recorder rec;
  rec.answer = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n{\"a\"";
  TestServer s(rec.handler());
  RestConfig rc = http_config("127.0.0.1", s.port());
  rc.path_prefix = "/k8s";
  rc.username = "alice";
  rc.password = "s3cret";
  rc.impersonate_user = "bob";
  rc.impersonate_groups = {"g2", "g1"};
  RestClient c(rc, user_agent("kubectl"));
  auto r = c.send("POST", "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create", "application/json",
                  "{}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->reason, "Created");
  EXPECT_EQ(r->content_type, "application/json");
  EXPECT_EQ(r->body, "{\"a\"");
  r = c.get("/api?timeout=32s", kTableAccept);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(rec.requests.size(), 2u);
  std::string host = "Host: 127.0.0.1:" + std::to_string(s.port()) + "\r\n";
  EXPECT_EQ(rec.requests[0],
            "POST /k8s/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create HTTP/1.1\r\n" + host +
                "User-Agent: kubectl/v1.33.0 (linux/amd64) kubernetes/kapi\r\nContent-Length: 2\r\n"
                "Accept: application/json\r\nAuthorization: Basic YWxpY2U6czNjcmV0\r\nContent-Type: application/json\r\n"
                "Impersonate-Group: g2\r\nImpersonate-Group: g1\r\nImpersonate-User: bob\r\nAccept-Encoding: gzip\r\n\r\n{}");
  EXPECT_EQ(rec.requests[1], "GET /k8s/api?timeout=32s HTTP/1.1\r\n" + host +
                                 "User-Agent: kubectl/v1.33.0 (linux/amd64) kubernetes/kapi\r\nAccept: " +
                                 kTableAccept +
                                 "\r\nAuthorization: Basic YWxpY2U6czNjcmV0\r\nImpersonate-Group: g2\r\n"
                                 "Impersonate-Group: g1\r\nImpersonate-User: bob\r\nAccept-Encoding: gzip\r\n\r\n");
  EXPECT_EQ(s.accepts(), 1) << "one kept-alive connection";
}

// An http:// proxy for an http:// server: the proxy gets absolute-URI requests, with the
// credentials of the proxy URL.
TEST(RestClient, ThroughAnHttpProxy) {
  Recorder rec;
  TestServer proxy(rec.handler());
  RestConfig rc = http_config("kube.example", 8080);
  rc.proxy_url = "http://alice:s3cret@127.0.0.1:" + std::to_string(proxy.port());
  RestClient c(rc, "ua");
  auto r = c.get("/version?timeout=32s", kJsonAccept);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(rec.requests.size(), 1u);
  EXPECT_EQ(rec.requests[0],
            "GET http://kube.example:8080/version?timeout=32s HTTP/1.1\r\nHost: kube.example:8080\r\n"
            "User-Agent: ua\r\nAccept: application/json\r\nProxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n"
            "Accept-Encoding: gzip\r\n\r\n");
}

TEST(RestClient, WatchLinesAsTheyArrive) {
  std::atomic<int> lines_seen{0};
  std::atomic<bool> streamed{false};
  TestServer s([&](Peer& p, int) {
    for (std::string r; !(r = p.read_request()).empty();) {
      if (r.rfind("GET /watch", 0) != 0) {
        p.write("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found");
        continue;
      }
      p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n");
      p.write("3\r\n}\n{\r\n");
      for (int i = 0; i < 500 && lines_seen == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      streamed = lines_seen == 1;
      p.write("4\r\n\"b\"}\r\n2\r\n\n{\r\n");
    }
  });
  RestClient c(http_config("127.0.0.1", s.port()), "ua");
  std::vector<std::string> lines;
  auto r = c.get_lines("/watch", kJsonAccept, [&](const std::string& line) {
    lines.push_back(line);
    lines_seen++;
    return lines.size() < 2;  // the server would go on: stop after two
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(streamed) << "the first line came before the rest was sent";
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\"}", "{\"b\"}"}));
  // A non-200 answer comes back whole; the stopped stream's connection was dropped.
  r = c.get_lines("/other", kJsonAccept, [&](const std::string&) { return true; });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, "not found");
  EXPECT_EQ(s.accepts(), 2);
}

TEST(RestClient, RefusedConnection) {
  int port;
  {
    TestServer s([](Peer&, int) {});
    port = s.port();
  }
  RestClient c(http_config("127.0.0.1", port), "ua");
  auto r = c.get("/api?timeout=32s", kJsonAccept);
  ASSERT_FALSE(r.ok());
  std::string addr = "127.0.0.1:" + std::to_string(port);
  EXPECT_EQ(r.error().kind, CmdError::Kind::kConnRefused);
  EXPECT_EQ(r.error().message, addr);
  EXPECT_EQ(r.error().detail, "dial tcp " + addr + ": connect: connection refused");
  EXPECT_EQ(r.error().url, "http://" + addr + "/api?timeout=32s");
}

}  // namespace
}  // namespace kapi::client
