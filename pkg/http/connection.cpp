#include "pkg/http/connection.h"

#include "pkg/http/gzip.h"
#include "pkg/http/reader.h"
#include "pkg/http/request_head.h"
#include "pkg/http/response_writer.h"
#include "pkg/http/url.h"

namespace kapi::http {
namespace {

// Go's answer to a request it cannot parse; the connection is closed after it.
void write_go_error(Transport& t, std::string_view status, std::string_view body) {
  t.write({"HTTP/1.1 ", status, "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n", body});
}

bool routed_method(std::string_view m) {
  // What the previous HTTP layer routed to the handler (HEAD as GET without the body).
  return m == "GET" || m == "HEAD" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" || m == "OPTIONS";
}

// Writes the response; false when the connection is to be closed.
bool respond(Transport& t, HttpResponse& res, const RequestHead& h, bool accept_gzip, const ConnectionOptions& opts) {
  if (opts.status_error_bodies) fill_empty_error_body(res, opts.max_body);
  ResponseContext ctx;
  ctx.head = h.method == "HEAD";
  ctx.http10 = h.http10;
  ctx.keep_alive = h.keep_alive && !(opts.stopping && opts.stopping->load());
  ctx.accept_gzip = accept_gzip && opts.gzip;
  ctx.httplib_fields = opts.httplib_fields;
  return write_response(t, res, ctx) && ctx.keep_alive;
}

}  // namespace

void fill_empty_error_body(HttpResponse& res, size_t max_body) {
  if (res.status < 400 || !res.body.empty() || res.stream) return;
  res.content_type = "application/json";
  if (res.status == 413) {
    res.body = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Request entity too large: limit is )" +
               std::to_string(max_body) + R"(","reason":"RequestEntityTooLarge","code":413})";
  } else {
    res.body = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404})";
  }
}

void serve_connection(Transport& t, const ConnectionOptions& opts, const HttpHandler& handler) {
  Reader r(t);
  for (;;) {
    size_t skipped = 0, end = 0;
    while ((end = find_head_end(r.buffered(), &skipped)) == 0) {
      if (r.buffered().size() > kMaxHeadBytes) {
        write_go_error(t, "431 Request Header Fields Too Large", "431 Request Header Fields Too Large");
        return;
      }
      if (!r.fill()) return;  // closed, timed out (keep-alive idle) or shut down
    }
    if (end - skipped > kMaxHeadBytes) {
      write_go_error(t, "431 Request Header Fields Too Large", "431 Request Header Fields Too Large");
      return;
    }
    RequestHead h;
    if (auto err = parse_head(r.buffered().substr(skipped, end - skipped), h)) {
      write_go_error(t, err->status, err->body);
      return;
    }
    r.consume(end);

    HttpRequest req;
    if (!routed_method(h.method) || !split_target(h.target, req.path, req.query)) {
      write_go_error(t, "400 Bad Request", "400 Bad Request");
      return;
    }
    req.method = h.method;
    req.target = std::move(h.target);
    auto ae = h.headers.find("accept-encoding");
    const bool gzip = ae != h.headers.end() && accepts_gzip(ae->second);

    if (h.chunked || h.content_length.value_or(0) > 0) {
      if (h.expect_continue) {
        // The client waits for this before sending the body; a body known to be too large is
        // refused without it, and the connection closed since the client may send it anyway.
        if (h.content_length && *h.content_length > opts.max_body) {
          HttpResponse res;
          res.status = 413;
          h.keep_alive = false;
          respond(t, res, h, gzip, opts);
          return;
        }
        if (!t.write({"HTTP/1.1 100 Continue\r\n\r\n"})) return;
      }
      BodyResult br = h.chunked ? read_chunked_body(r, opts.max_body, &req.body)
                                : read_sized_body(r, *h.content_length, opts.max_body, &req.body);
      if (br == BodyResult::kEof) return;
      if (br == BodyResult::kBad) {
        write_go_error(t, "400 Bad Request", "400 Bad Request");
        return;
      }
      if (br == BodyResult::kTooLarge) {
        HttpResponse res;
        res.status = 413;
        if (!respond(t, res, h, gzip, opts)) return;
        continue;
      }
    }
    req.headers = std::move(h.headers);
    req.remote_addr = opts.remote_addr;
    req.ssl = opts.ssl;

    HttpResponse res;
    try {
      handler(req, res);
    } catch (...) {
      res = HttpResponse();
      res.status = 500;
    }
    if (!respond(t, res, h, gzip, opts)) return;
  }
}

}  // namespace kapi::http
