#include "pkg/http/response_writer.h"

#include <algorithm>
#include <cstdio>

#include "pkg/http/gzip.h"

namespace kapi::http {
namespace {

bool iless(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return tolower(static_cast<unsigned char>(x)) < tolower(static_cast<unsigned char>(y));
  });
}

bool iequals(std::string_view a, std::string_view b) { return !iless(a, b) && !iless(b, a); }

using Fields = std::vector<std::pair<std::string_view, std::string_view>>;

// The status line and the fields, sorted by name (stable for repeated names), as the previous
// HTTP layer sent them. Values with CR or LF are dropped: no response splitting.
std::string format_head(int status, Fields& fields) {
  std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return iless(a.first, b.first); });
  std::string out;
  out.reserve(256);
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason_phrase(status);
  out += "\r\n";
  for (const auto& [k, v] : fields) {
    if (k.find_first_of("\r\n") != std::string_view::npos || v.find_first_of("\r\n") != std::string_view::npos) continue;
    out.append(k).append(": ").append(v).append("\r\n");
  }
  out += "\r\n";
  return out;
}

}  // namespace

std::string reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Request Entity Too Large";
    case 414: return "Request URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Requested Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Entity";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
  }
  return "status code " + std::to_string(status);
}

bool write_response(Transport& t, HttpResponse& res, ResponseContext& ctx) {
  Fields fields;
  fields.reserve(res.headers.size() + 5);
  for (const auto& [k, v] : res.headers) {
    // The framing fields are this layer's; the content type comes from content_type.
    if (iequals(k, "Content-Length") || iequals(k, "Transfer-Encoding") || iequals(k, "Connection") ||
        iequals(k, "Content-Type"))
      continue;
    fields.emplace_back(k, v);
  }
  if (!res.content_type.empty()) fields.emplace_back("Content-Type", res.content_type);

  const bool stream = static_cast<bool>(res.stream);
  const bool sized_stream = stream && res.stream_length > 0;
  const bool chunked = stream && !sized_stream && !ctx.http10;
  if (stream && !sized_stream && ctx.http10) ctx.keep_alive = false;  // the close ends the body

  std::string gz;
  std::string_view body = res.body;
  if (!stream && !ctx.head && ctx.accept_gzip && body.size() >= kGzipMinBytes &&
      compressible_type(res.content_type) && gzip_compress(body, &gz)) {
    body = gz;
    fields.emplace_back("Content-Encoding", "gzip");
  }
  std::string length;
  if (chunked) {
    fields.emplace_back("Transfer-Encoding", "chunked");
  } else if (!stream || sized_stream) {
    length = std::to_string(sized_stream ? res.stream_length : body.size());
    fields.emplace_back("Content-Length", length);
  }
  if (ctx.head && ctx.httplib_fields) fields.emplace_back("Accept-Ranges", "bytes");
  if (!ctx.keep_alive) fields.emplace_back("Connection", "close");
  else if (ctx.http10) fields.emplace_back("Connection", "keep-alive");  // 1.0 closes unless told
  if (ctx.keep_alive && ctx.httplib_fields) fields.emplace_back("Keep-Alive", "timeout=60, max=100000");

  std::string head = format_head(res.status, fields);
  if (ctx.head) return t.write({head});
  if (!stream) return t.write({head, body});
  if (!t.write({head})) return false;

  bool ok = true;
  if (sized_stream) {
    // The chunks go out as they are; a stream that writes more or less than it announced
    // leaves the connection unusable, so it is closed.
    size_t left = res.stream_length;
    res.stream([&](std::string_view chunk) {
      if (!ok) return false;
      if (chunk.empty()) return ok = t.alive();
      if (chunk.size() > left) {
        ok = false;
        return false;
      }
      left -= chunk.size();
      ok = t.write({chunk});
      return ok;
    });
    if (left != 0) ctx.keep_alive = false;
    return ok;
  }
  res.stream([&](std::string_view chunk) {
    if (!ok) return false;
    if (chunk.empty()) return ok = t.alive();  // a liveness probe; as a chunk it would end the body
    if (!chunked) return ok = t.write({chunk});
    char size[20];
    int n = std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    ok = t.write({std::string_view(size, static_cast<size_t>(n)), chunk, "\r\n"});
    return ok;
  });
  if (ok && chunked) ok = t.write({"0\r\n\r\n"});
  return ok;
}

}  // namespace kapi::http
