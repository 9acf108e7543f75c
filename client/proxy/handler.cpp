#include "client/proxy/handler.h"

#include <strings.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "client/cmd/command.h"
#include "client/errors.h"
#include "client/proxy/static_files.h"
#include "client/rest_client.h"

namespace kapi::client::proxy {
namespace {

bool iequals(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

// RFC 9110's hop-by-hop fields, which Go's ReverseProxy drops both ways (with any the
// Connection field names).
bool hop_by_hop(const std::string& name, const std::string& connection) {
  for (const char* h : {"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
                        "Te", "Trailer", "Transfer-Encoding", "Upgrade"})
    if (iequals(name, h)) return true;
  size_t i = 0;
  while (i < connection.size()) {
    size_t comma = connection.find(',', i);
    if (comma == std::string::npos) comma = connection.size();
    std::string token = connection.substr(i, comma - i);
    token.erase(0, token.find_first_not_of(" \t"));
    token.erase(token.find_last_not_of(" \t") + 1);
    if (!token.empty() && iequals(name, token.c_str())) return true;
    i = comma + 1;
  }
  return false;
}

// Go's textproto.CanonicalMIMEHeaderKey ("content-type" -> "Content-Type").
std::string canonical_key(std::string k) {
  bool upper = true;
  for (char& c : k) {
    if (c == ' ' || static_cast<unsigned char>(c) >= 0x80) return k;  // Go leaves such keys as they are
    c = upper ? static_cast<char>(toupper(static_cast<unsigned char>(c)))
              : static_cast<char>(tolower(static_cast<unsigned char>(c)));
    upper = c == '-';
  }
  return k;
}

// Go's url.URL.EscapedPath for a path it has no raw form of (shouldEscape, encodePath).
std::string escape_path(const std::string& p) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : p) {
    if (isalnum(c) || strchr("-_.~$&+,/:;=@", c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string raw_path_of(const std::string& target) {
  size_t q = target.find_first_of("?#");
  return q == std::string::npos ? target : target.substr(0, q);
}

std::string raw_query_of(const std::string& target) {
  size_t q = target.find('?');
  if (q == std::string::npos) return "";
  size_t hash = target.find('#', q);
  return target.substr(q + 1, hash == std::string::npos ? std::string::npos : hash - q - 1);
}

// Idle API server connections, one RestClient each (a RestClient is not thread-safe).
class ClientPool {
 public:
  ClientPool(RestConfig config, std::string user_agent) : config_(std::move(config)), ua_(std::move(user_agent)) {}

  std::unique_ptr<RestClient> take() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
    }
    return std::make_unique<RestClient>(config_, ua_);
  }

  void give(std::unique_ptr<RestClient> c) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(c));
  }

 private:
  static constexpr size_t kMaxIdle = 16;
  const RestConfig config_;
  const std::string ua_;
  std::mutex mu_;
  std::vector<std::unique_ptr<RestClient>> idle_;
};

// A RestClient on loan for one request: back to the pool once its answer was read through.
struct Lease {
  Lease(ClientPool& p, std::unique_ptr<RestClient> c) : pool(p), client(std::move(c)) {}
  ~Lease() {
    if (done) pool.give(std::move(client));
  }
  ClientPool& pool;
  std::unique_ptr<RestClient> client;
  bool done = false;
};

class ProxyHandler {
 public:
  explicit ProxyHandler(ProxyOptions o) : opts_(std::move(o)), pool_(opts_.rest, opts_.user_agent) {}

  void operator()(const http::HttpRequest& req, http::HttpResponse& res) {
    // Go's ServeMux: a cleaned path, the longest registered prefix, /x redirected to /x/.
    std::string path = req.path;
    if (req.method != "CONNECT") {
      std::string cleaned = clean_path(path);
      if (cleaned.back() != '/' && registered(cleaned + "/")) {
        std::string q = raw_query_of(req.target);
        return redirect(req, res, cleaned + "/" + (q.empty() ? "" : "?" + q));
      }
      if (cleaned != path) {
        std::string q = raw_query_of(req.target);
        return redirect(req, res, cleaned + (q.empty() ? "" : "?" + q));
      }
    }
    std::string pattern = match(path);
    if (pattern.empty()) return not_found(res);
    if (pattern == opts_.api_prefix) return serve_api(req, res, path);
    // http.StripPrefix, then http.FileServer.
    std::string rest = path.substr(pattern.size());
    if (rest.empty() || rest[0] != '/') rest = "/" + rest;
    serve_static(opts_.static_dir, rest, req, res);
  }

 private:
  bool registered(const std::string& p) const {
    return p == opts_.api_prefix || (!opts_.static_dir.empty() && p == opts_.static_prefix);
  }

  // The longest registered prefix of `path` ("" if none).
  std::string match(const std::string& path) const {
    std::string best;
    auto consider = [&](const std::string& pattern) {
      if (path.compare(0, pattern.size(), pattern) == 0 && pattern.size() > best.size()) best = pattern;
    };
    consider(opts_.api_prefix);
    if (!opts_.static_dir.empty()) consider(opts_.static_prefix);
    return best;
  }

  void serve_api(const http::HttpRequest& req, http::HttpResponse& res, const std::string& full_path) {
    std::string path = full_path, raw_path = raw_path_of(req.target);
    // stripLeaveSlash: a prefix other than /api... is removed, leaving a leading slash.
    if (opts_.api_prefix.rfind("/api", 0) != 0) {
      path = full_path.substr(opts_.api_prefix.size());
      if (!path.empty() && path[0] != '/') path = "/" + path;
      raw_path = escape_path(path);  // Go then has no raw form of the new path
    }
    if (opts_.filter && !opts_.filter->accept(req.method, path, extract_host(req.header("host"))))
      return text_error(res, 403, "Forbidden");

    ForwardRequest f;
    f.method = req.method;
    f.target = raw_path.empty() ? "/" : raw_path;
    std::string query = raw_query_of(req.target);
    if (!query.empty()) f.target += "?" + query;
    f.server_path = opts_.append_server_path;
    f.body = req.body;
    const std::string connection = req.header("connection");
    std::string forwarded_for;
    for (const auto& [k, v] : req.headers) {
      if (k == "host" || k == "content-length" || hop_by_hop(k, connection)) continue;
      if (k == "x-forwarded-for") {
        forwarded_for += (forwarded_for.empty() ? "" : ", ") + v;
        continue;
      }
      f.headers.emplace_back(canonical_key(k), v);
    }
    // ReverseProxy appends the client's address.
    if (!req.remote_addr.empty())
      forwarded_for += (forwarded_for.empty() ? "" : ", ") + req.remote_addr;
    if (!forwarded_for.empty()) f.headers.emplace_back("X-Forwarded-For", forwarded_for);

    auto lease = std::make_shared<Lease>(pool_, pool_.take());
    auto head = lease->client->forward(f);
    if (!head.ok()) {
      const CmdError& e = head.error();
      std::string text = e.detail.empty() ? e.message : e.detail;
      write_stderr(klog_line('E', "proxy_server.go:147", "Error while proxying request: " + text));
      return text_error(res, 500, text);
    }
    res.status = head->status;
    res.content_type.clear();
    size_t length = 0;
    bool has_length = false;
    std::string resp_connection;
    for (const auto& [k, v] : head->headers)
      if (iequals(k, "Connection")) resp_connection = v;
    for (const auto& [k, v] : head->headers) {
      if (hop_by_hop(k, resp_connection)) continue;
      if (iequals(k, "Content-Type")) {
        res.content_type = v;
      } else if (iequals(k, "Content-Length")) {
        has_length = true;
        length = std::strtoull(v.c_str(), nullptr, 10);
      } else {
        res.set_header(k, v);
      }
    }
    if (req.method == "HEAD" || (has_length && length == 0)) {
      // No body to pass on: read the (empty) rest now, so the connection can serve again.
      lease->done = lease->client->forward_body([](const char*, size_t) { return true; });
      if (req.method == "HEAD" && length > 0) {
        // The answer's length goes out with a HEAD answer's head, which has no body.
        res.stream_length = length;
        res.stream = [](const http::ChunkWriter&) {};
      }
      return;
    }
    res.stream_length = has_length ? length : 0;
    // Each piece goes to the client as it arrives (a watch event must not wait).
    res.stream = [lease](const http::ChunkWriter& write) {
      bool client_ok = true;
      bool ok = lease->client->forward_body([&](const char* data, size_t size) {
        if (size == 0) return true;
        return client_ok = write(std::string_view(data, size));
      });
      lease->done = ok && client_ok;
    };
  }

  ProxyOptions opts_;
  ClientPool pool_;
};

}  // namespace

std::string clean_path(const std::string& p) {
  if (p.empty()) return "/";
  std::string in = p[0] == '/' ? p : "/" + p;
  // path.Clean: drop empty and "." elements, resolve "..".
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < in.size()) {
    size_t slash = in.find('/', i);
    if (slash == std::string::npos) slash = in.size();
    std::string seg = in.substr(i, slash - i);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    i = slash + 1;
  }
  std::string out;
  for (const auto& s : parts) out += "/" + s;
  if (out.empty()) out = "/";
  // cleanPath keeps a trailing slash.
  if (in.back() == '/' && out != "/") out += "/";
  return out;
}

void text_error(http::HttpResponse& res, int status, const std::string& text) {
  res.status = status;
  res.content_type = "text/plain; charset=utf-8";
  res.set_header("X-Content-Type-Options", "nosniff");
  res.body = text + "\n";
}

void not_found(http::HttpResponse& res) { text_error(res, 404, "404 page not found"); }

void redirect(const http::HttpRequest& req, http::HttpResponse& res, const std::string& location) {
  res.status = 301;
  res.set_header("Location", location);
  res.content_type.clear();
  if (req.method == "GET" || req.method == "HEAD") res.content_type = "text/html; charset=utf-8";
  // Go writes the short HTML body for a GET only.
  if (req.method == "GET") {
    res.body = "<a href=\"" + html_escape(location) + "\">Moved Permanently</a>.\n\n";
  }
}

http::HttpHandler new_proxy_handler(ProxyOptions options) {
  auto h = std::make_shared<ProxyHandler>(std::move(options));
  return [h](const http::HttpRequest& req, http::HttpResponse& res) { (*h)(req, res); };
}

}  // namespace kapi::client::proxy
