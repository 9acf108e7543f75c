#include "client/http_message.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "client/gzip_decoder.h"

namespace kapi::client {
namespace {

constexpr size_t kReadBlock = 64 * 1024;
constexpr size_t kMaxHeadBytes = 10 << 20;  // Go's default Transport.MaxResponseHeaderBytes

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether a comma-separated header value lists `token` (case-insensitive).
bool has_token(const std::string* value, std::string_view token) {
  if (!value) return false;
  size_t i = 0;
  while (i <= value->size()) {
    size_t comma = value->find(',', i);
    if (comma == std::string::npos) comma = value->size();
    std::string_view t(value->data() + i, comma - i);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (iequals(t, token)) return true;
    i = comma + 1;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

TransportError broken(const std::string& what) {
  return TransportError::make(TransportError::Kind::kRead,
                              "net/http: HTTP/1.x transport connection broken: " + what);
}

TransportError unexpected_eof() { return TransportError::make(TransportError::Kind::kEof, "unexpected EOF"); }

}  // namespace

bool HttpRequest::transport_gzip() const {
  if (method == "HEAD") return false;
  for (const auto& [k, v] : headers)
    if (iequals(k, "Accept-Encoding") || iequals(k, "Range")) return false;
  return true;
}

std::string serialize_request(const HttpRequest& r) {
  std::string out;
  size_t size = r.method.size() + r.target.size() + r.host.size() + r.body.size() + 64;
  for (const auto& [k, v] : r.headers) size += k.size() + v.size() + 4;
  out.reserve(size);
  out.append(r.method).append(" ").append(r.target).append(" HTTP/1.1\r\nHost: ").append(r.host).append("\r\n");
  // Go writes User-Agent right after Host, then the body's length, then the rest sorted.
  std::vector<const std::pair<std::string, std::string>*> rest;
  for (const auto& h : r.headers) {
    if (h.first == "User-Agent")
      out.append("User-Agent: ").append(h.second).append("\r\n");
    else
      rest.push_back(&h);
  }
  if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH")
    out.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
  std::stable_sort(rest.begin(), rest.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (auto* h : rest) out.append(h->first).append(": ").append(h->second).append("\r\n");
  if (r.transport_gzip()) out.append("Accept-Encoding: gzip\r\n");
  out.append("\r\n");
  out.append(r.body);
  return out;
}

const std::string* HttpResponseHead::find(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return &v;
  return nullptr;
}

bool ResponseReader::fill(TransportError& err) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > kReadBlock) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  size_t old = buf_.size();
  buf_.resize(old + kReadBlock);
  long n = read_(buf_.data() + old, kReadBlock, err);
  buf_.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
  if (n > 0) started_ = true;
  return n > 0;
}

// One CRLF- (or LF-) terminated line without its terminator.
TransportError ResponseReader::read_line(std::string& line, bool body) {
  size_t scanned = 0;  // relative to pos_: fill() may move the unconsumed bytes
  for (;;) {
    size_t nl = buf_.find('\n', pos_ + scanned);
    if (nl != std::string::npos) {
      size_t end = nl > pos_ && buf_[nl - 1] == '\r' ? nl - 1 : nl;
      line.assign(buf_, pos_, end - pos_);
      pos_ = nl + 1;
      return {};
    }
    if (buf_.size() - pos_ > kMaxHeadBytes)
      return broken("server response headers exceeded " + std::to_string(kMaxHeadBytes) + " bytes; aborted");
    scanned = buf_.size() - pos_;
    TransportError err;
    bool had = pos_ < buf_.size() || started_;
    if (!fill(err)) {
      if (err) return err;
      return body || had ? unexpected_eof() : TransportError::make(TransportError::Kind::kEof, "EOF");
    }
  }
}

TransportError ResponseReader::read_head(HttpResponseHead& head) {
  for (;;) {
    head = HttpResponseHead();
    started_ = pos_ < buf_.size();
    std::string line;
    if (auto err = read_line(line, false)) return err;
    // "HTTP/1.1 200 OK"
    if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 || line[8] != ' ' || !std::isdigit(line[9]) ||
        !std::isdigit(line[10]) || !std::isdigit(line[11]) || (line.size() > 12 && line[12] != ' '))
      return broken("malformed HTTP response \"" + line + "\"");
    head.minor_version = line[7] - '0';
    head.status = std::stoi(line.substr(9, 3));
    head.reason = line.size() > 13 ? line.substr(13) : "";
    for (;;) {
      if (auto err = read_line(line, false)) return err.kind == TransportError::Kind::kEof ? unexpected_eof() : err;
      if (line.empty()) break;
      if ((line[0] == ' ' || line[0] == '\t') && !head.headers.empty()) {  // obsolete line folding
        head.headers.back().second.append(" ").append(trim(line));
        continue;
      }
      size_t colon = line.find(':');
      if (colon == std::string::npos || colon == 0) return broken("malformed MIME header line: " + line);
      head.headers.emplace_back(line.substr(0, colon), std::string(trim(std::string_view(line).substr(colon + 1))));
    }
    // Interim answers (100 Continue, 103 Early Hints) precede the real one; 101 is final.
    if (head.status >= 100 && head.status < 200 && head.status != 101) continue;
    return {};
  }
}

// n bytes of body (or up to the end of the connection for n == ~0ULL) to the sink.
TransportError ResponseReader::copy_body(unsigned long long n, const BodySink& sink, bool& stopped) {
  bool to_close = n == ~0ULL;
  while (n > 0) {
    if (pos_ == buf_.size()) {
      TransportError err;
      if (!fill(err)) {
        if (err) return err;
        return to_close ? TransportError() : unexpected_eof();
      }
    }
    size_t take = static_cast<size_t>(std::min<unsigned long long>(n, buf_.size() - pos_));
    const char* data = buf_.data() + pos_;
    pos_ += take;
    if (!to_close) n -= take;
    if (!stopped && !sink(data, take)) {
      stopped = true;
      return {};
    }
  }
  return {};
}

TransportError ResponseReader::read_body(const HttpResponseHead& head, const std::string& method,
                                         const BodySink& sink, bool& reusable, bool decode_gzip) {
  const std::string* connection = head.find("Connection");
  reusable = head.minor_version >= 1 ? !has_token(connection, "close") : has_token(connection, "keep-alive");
  if (head.status == 101) reusable = false;  // the connection now speaks another protocol
  if (method == "HEAD" || head.status == 204 || head.status == 304 || (head.status >= 100 && head.status < 200))
    return {};
  bool stopped = false;
  std::unique_ptr<GzipDecoder> gzip;
  std::string gzip_error;
  BodySink out = sink;
  if (const std::string* ce = head.find("Content-Encoding"); decode_gzip && ce && iequals(trim(*ce), "gzip")) {
    gzip = std::make_unique<GzipDecoder>();
    out = [&](const char* data, size_t size) {
      bool keep = true;
      gzip_error = gzip->feed(data, size, [&](const char* d, size_t s) { return keep = sink(d, s); });
      return keep && gzip_error.empty();
    };
  }
  auto finish = [&](TransportError err) {
    if (!err && gzip && !stopped && gzip_error.empty()) gzip_error = gzip->finish();
    if (!err && !gzip_error.empty()) err = TransportError::make(TransportError::Kind::kRead, gzip_error);
    if (err || stopped) reusable = false;
    return err;
  };
  if (has_token(head.find("Transfer-Encoding"), "chunked")) {
    std::string line;
    for (;;) {
      if (auto err = read_line(line, true)) return finish(err);
      size_t semi = line.find(';');
      std::string_view hex = trim(std::string_view(line).substr(0, semi));
      unsigned long long size = 0;
      if (hex.empty() || hex.size() > 16) return finish(broken("invalid byte in chunk length"));
      for (char c : hex) {
        int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                            : -1;
        if (d < 0) return finish(broken("invalid byte in chunk length"));
        size = size * 16 + static_cast<unsigned>(d);
      }
      if (size == 0) break;
      if (auto err = copy_body(size, out, stopped); err || stopped) return finish(err);
      if (auto err = read_line(line, true)) return finish(err);
      if (!line.empty()) return finish(broken("malformed chunked encoding"));
    }
    for (;;) {  // trailers, up to the empty line
      if (auto err = read_line(line, true)) return finish(err);
      if (line.empty()) break;
    }
    return finish({});
  }
  if (const std::string* cl = head.find("Content-Length")) {
    std::string_view v = trim(*cl);
    unsigned long long n = 0;
    for (char c : v) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return finish(broken("bad Content-Length \"" + *cl + "\""));
      n = n * 10 + static_cast<unsigned>(c - '0');
    }
    return finish(copy_body(n, out, stopped));
  }
  reusable = false;  // the body ends with the connection
  return finish(copy_body(~0ULL, out, stopped));
}

}  // namespace kapi::client
