// The cpp-httplib adapter. Debian ships cpp-httplib 0.11.4 as a compiled library, so its
// defaults are fixed: we install our own task queue (watches hold a worker each), raise the
// keep-alive count, re-listen with a real backlog, and use the SSL_CTX constructor so a client
// certificate is requested but not required (authentication checks it and answers 401).
#include <httplib.h>
#include <openssl/ssl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <dirent.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "server/http/http.h"
#include "pkg/tls/server_ctx.h"

namespace kapi::server {

std::string HttpRequest::header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpRequest::param(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

namespace {

// Go's net/http answers a plain HTTP request on a TLS port (its first record header looks like
// "GET /", "HEAD ", "POST ", "PUT /" or "OPTIO") with a fixed 400 instead of a TLS error, so
// a client given http:// by mistake sees "the server rejected our request for an unknown
// reason". OpenSSL hands every record header it reads to the msg callback before checking it;
// the request bytes already sent are read first (Go's one read of the record layer takes
// them), so the close that follows is a FIN, not a reset.
void answer_plain_http(int write_p, int, int content_type, const void* buf, size_t len, SSL* ssl, void*) {
  if (write_p || content_type != SSL3_RT_HEADER || len < 5) return;
  std::string_view head(static_cast<const char*>(buf), 5);
  if (head != "GET /" && head != "HEAD " && head != "POST " && head != "PUT /" && head != "OPTIO") return;
  int fd = SSL_get_rfd(ssl);
  if (fd < 0) return;
  char drain[4096];
  while (::recv(fd, drain, sizeof drain, MSG_DONTWAIT) > 0) {
  }
  static constexpr std::string_view kAnswer =
      "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";
  (void)!::send(fd, kAnswer.data(), kAnswer.size(), MSG_NOSIGNAL);
}

// A pool that grows on demand up to max threads and keeps a few idle ones.
class GrowingTaskQueue : public httplib::TaskQueue {
 public:
  explicit GrowingTaskQueue(size_t max) : max_(max) {}
  ~GrowingTaskQueue() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    jobs_.push_back(std::move(fn));
    // A job holds its thread for a connection's whole keep-alive life: never let a job wait
    // for a busy thread while the pool may still grow.
    if (jobs_.size() > idle_ && threads_.size() < max_) {
      threads_.emplace_back([this] { work(); });
    } else {
      cv_.notify_one();
    }
  }

  void shutdown() override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  void work() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      ++idle_;
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty() && stopping_) return;
      auto fn = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

// httplib listens with a backlog of 5; find our listening socket and listen again.
void relisten_with_backlog(int port) {
  DIR* d = opendir("/proc/self/fd");
  if (!d) return;
  while (dirent* e = readdir(d)) {
    int fd = atoi(e->d_name);
    if (fd <= 2) continue;
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) continue;
    int p = ss.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
            : ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                       : -1;
    int acc = 0;
    socklen_t al = sizeof acc;
    if (p == port && getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &al) == 0 && acc)
      ::listen(fd, SOMAXCONN);
  }
  closedir(d);
}

// True when something already listens there. A connect probe rather than a bind probe: a
// bind fails for a minute after a restart (TIME_WAIT), while httplib's own SO_REUSEPORT bind
// would silently share the port with a running server.
bool port_in_use(const std::string& host, int port) {
  std::string target = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host;
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST;
  if (getaddrinfo(target.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) return false;
  int fd = ::socket(res->ai_family, SOCK_STREAM, 0);
  bool in_use = fd >= 0 && ::connect(fd, res->ai_addr, res->ai_addrlen) == 0;
  if (fd >= 0) ::close(fd);
  freeaddrinfo(res);
  return in_use;
}

class Server : public HttpServer {
 public:
  Server(const HttpServerOptions& opts, HttpHandler handler)
      : opts_(opts), handler_(std::move(handler)) {
    if (!opts.cert_file.empty()) {
      std::string cert = opts.cert_file, key = opts.key_file, ca = opts.client_ca_file;
      svr_ = std::make_unique<httplib::SSLServer>([this, cert, key, ca](SSL_CTX& ctx) {
        auto st = tls::configure_server_ctx(&ctx, cert, key, ca);
        if (!st.ok()) {
          ctx_error_ = st.error().message;
          return false;
        }
        SSL_CTX_set_msg_callback(&ctx, answer_plain_http);
        return true;
      });
    } else {
      svr_ = std::make_unique<httplib::Server>();
    }
    size_t max = opts.max_threads;
    svr_->new_task_queue = [max] { return new GrowingTaskQueue(max); };
    svr_->set_tcp_nodelay(true);  // headers and body go out in separate writes: no Nagle delay
    svr_->set_keep_alive_max_count(100000);
    svr_->set_keep_alive_timeout(60);
    svr_->set_read_timeout(60, 0);
    svr_->set_write_timeout(60, 0);
    svr_->set_payload_max_length(opts.max_body);
    auto route = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    svr_->Get(".*", route);
    svr_->Post(".*", route);
    svr_->Put(".*", route);
    svr_->Patch(".*", route);
    svr_->Delete(".*", route);
    svr_->Options(".*", route);
    svr_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.status == 413 && res.body.empty()) {
        res.set_content(
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Request entity too large: limit is 3145728","reason":"RequestEntityTooLarge","code":413})",
            "application/json");
      } else if (res.body.empty()) {
        res.set_content(
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404})",
            "application/json");
      }
    });
  }

  bool bind(std::string* error) override {
    if (!svr_->is_valid()) {
      *error = "cannot set up TLS: " + (ctx_error_.empty() ? std::string("invalid certificate or key") : ctx_error_);
      return false;
    }
    if (opts_.port == 0) {
      port_ = svr_->bind_to_any_port(opts_.bind_address);
      if (port_ <= 0) {
        *error = "cannot listen on " + opts_.bind_address;
        return false;
      }
    } else {
      // httplib binds with SO_REUSEPORT, which would let two servers share the port; probe
      // first so a busy port fails as it does upstream.
      if (port_in_use(opts_.bind_address, opts_.port)) {
        std::string hp = opts_.bind_address + ":" + std::to_string(opts_.port);
        *error = "failed to create listener: failed to listen on " + hp + ": listen tcp " + hp +
                 ": bind: address already in use";
        return false;
      }
      if (!svr_->bind_to_port(opts_.bind_address, opts_.port)) {
        *error = "failed to listen on " + opts_.bind_address + ":" + std::to_string(opts_.port) +
                 ": " + strerror(errno);
        return false;
      }
      port_ = opts_.port;
    }
    relisten_with_backlog(port_);
    return true;
  }
  int port() const override { return port_; }
  void serve() override { svr_->listen_after_bind(); }
  void stop() override { svr_->stop(); }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    HttpRequest r;
    r.method = req.method;
    r.path = req.path;
    for (const auto& [k, v] : req.params) r.query.emplace(k, v);
    for (const auto& [k, v] : req.headers) r.headers.emplace(lower(k), v);
    r.body = req.body;
    r.remote_addr = req.remote_addr;
    r.ssl = req.ssl;
    auto out = std::make_shared<HttpResponse>();
    handler_(r, *out);
    // Compression as upstream's APIResponseCompression: only bodies over 128 KiB, never
    // streams (a gzip stream would hold watch events back). httplib decides from the request's
    // Accept-Encoding, so drop it otherwise (req is httplib's own non-const object).
    if (out->stream || out->body.size() < 128 * 1024)
      const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    res.status = out->status;
    for (const auto& [k, v] : out->headers) res.set_header(k, v);
    if (out->stream && out->stream_length > 0) {
      auto stream = out->stream;
      res.set_content_provider(
          out->stream_length, out->content_type, [stream, out](size_t offset, size_t, httplib::DataSink& sink) {
            if (offset != 0) return false;  // the stream wrote less than it announced: cut it off
            stream([&sink](std::string_view chunk) {
              return sink.is_writable() && sink.write(chunk.data(), chunk.size());
            });
            return true;
          });
    } else if (out->stream) {
      auto stream = out->stream;
      res.set_chunked_content_provider(
          out->content_type, [stream, out](size_t, httplib::DataSink& sink) {
            stream([&sink](std::string_view chunk) {
              return sink.is_writable() && sink.write(chunk.data(), chunk.size());
            });
            sink.done();
            return true;
          });
    } else {
      res.set_content(std::move(out->body), out->content_type);
    }
  }

  HttpServerOptions opts_;
  HttpHandler handler_;
  std::unique_ptr<httplib::Server> svr_;
  std::string ctx_error_;
  int port_ = 0;
};

}  // namespace

std::unique_ptr<HttpServer> new_http_server(const HttpServerOptions& opts, HttpHandler handler) {
  return std::make_unique<Server>(opts, std::move(handler));
}

}  // namespace kapi::server
