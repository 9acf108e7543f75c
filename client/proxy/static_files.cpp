#include "client/proxy/static_files.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

#include "client/proxy/handler.h"

namespace kapi::client::proxy {
namespace {

// Go's mime.TypeByExtension built-in table (text types carry charset=utf-8), plus .txt from the
// system's mime.types.
std::string type_by_extension(const std::string& name) {
  size_t dot = name.rfind('.');
  if (dot == std::string::npos) return "";
  std::string ext = name.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(tolower(c)); });
  static const std::pair<const char*, const char*> kTypes[] = {
      {".avif", "image/avif"}, {".css", "text/css; charset=utf-8"}, {".gif", "image/gif"},
      {".htm", "text/html; charset=utf-8"}, {".html", "text/html; charset=utf-8"}, {".jpeg", "image/jpeg"},
      {".jpg", "image/jpeg"}, {".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
      {".mjs", "text/javascript; charset=utf-8"}, {".pdf", "application/pdf"}, {".png", "image/png"},
      {".svg", "image/svg+xml"}, {".wasm", "application/wasm"}, {".webp", "image/webp"},
      {".xml", "text/xml; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [e, t] : kTypes)
    if (ext == e) return t;
  return "";
}

// http.DetectContentType, reduced to what a file server mostly meets: HTML, text, or bytes.
std::string sniff(const std::string& data) {
  std::string head = data.substr(0, 512);
  size_t ws = head.find_first_not_of("\t\n\x0c\r ");
  std::string lower = ws == std::string::npos ? "" : head.substr(ws, 14);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(tolower(c)); });
  if (lower.rfind("<!doctype html", 0) == 0 || lower.rfind("<html", 0) == 0) return "text/html; charset=utf-8";
  for (unsigned char c : head)
    if (c <= 0x08 || c == 0x0b || (c >= 0x0e && c <= 0x1a) || (c >= 0x1c && c <= 0x1f)) return "application/octet-stream";
  return "text/plain; charset=utf-8";
}

std::string http_date(time_t t) {
  char buf[64];
  tm g;
  gmtime_r(&t, &g);
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &g);
  return buf;
}


// A relative redirect as Go's localRedirect writes it (no body).
void local_redirect(const http::HttpRequest& req, http::HttpResponse& res, const std::string& to) {
  std::string q;
  if (size_t p = req.target.find('?'); p != std::string::npos) q = req.target.substr(p);
  res.status = 301;
  res.content_type.clear();
  res.set_header("Location", to + q);
}

void error_for(int err, http::HttpResponse& res) {
  if (err == EACCES || err == EPERM) return text_error(res, 403, "403 Forbidden");
  not_found(res);
}

bool read_all(const std::string& file, std::string* out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

void serve_static(const std::string& dir, const std::string& path, const http::HttpRequest& req,
                  http::HttpResponse& res) {
  std::string upath = clean_path(path);
  if (upath.size() > 1 && upath.back() == '/') upath.pop_back();
  // ".../index.html" redirects to its directory.
  const std::string kIndex = "/index.html";
  if (req.path.size() >= kIndex.size() && req.path.compare(req.path.size() - kIndex.size(), kIndex.size(), kIndex) == 0)
    return local_redirect(req, res, "./");
  std::string file = dir + upath;
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return error_for(errno, res);
  const bool url_slash = !req.path.empty() && req.path.back() == '/';
  std::string base = upath.substr(upath.rfind('/') + 1);
  if (S_ISDIR(st.st_mode)) {
    if (!url_slash) return local_redirect(req, res, base + "/");
    struct stat ist;
    std::string index = file + (file.back() == '/' ? "" : "/") + "index.html";
    if (::stat(index.c_str(), &ist) == 0 && S_ISREG(ist.st_mode)) {
      file = index;
      st = ist;
      base = "index.html";
    } else {
      DIR* d = ::opendir(file.c_str());
      if (!d) return error_for(errno, res);
      std::vector<std::string> names;
      while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == "..") continue;
        struct stat es;
        if (::stat((file + "/" + n).c_str(), &es) == 0 && S_ISDIR(es.st_mode)) n += "/";
        names.push_back(n);
      }
      ::closedir(d);
      std::sort(names.begin(), names.end());
      res.status = 200;
      res.content_type = "text/html; charset=utf-8";
      res.set_header("Last-Modified", http_date(st.st_mtime));
      res.body = "<!doctype html>\n<meta name=\"viewport\" content=\"width=device-width\">\n<pre>\n";
      for (const auto& n : names) {
        std::string href;
        for (unsigned char c : n) {  // url.URL{Path: name}.String()
          if (isalnum(c) || strchr("-_.~$&+,/:;=@!*'()", c)) href += static_cast<char>(c);
          else {
            char b[4];
            snprintf(b, sizeof b, "%%%02X", c);
            href += b;
          }
        }
        res.body += "<a href=\"" + html_escape(href) + "\">" + html_escape(n) + "</a>\n";
      }
      res.body += "</pre>\n";
      return;
    }
  } else if (url_slash) {
    return local_redirect(req, res, "../" + base);
  }
  std::string data;
  if (!read_all(file, &data)) return error_for(errno, res);
  res.status = 200;
  std::string type = type_by_extension(base);
  res.content_type = type.empty() ? sniff(data) : type;
  res.set_header("Last-Modified", http_date(st.st_mtime));
  res.set_header("Accept-Ranges", "bytes");
  res.body = std::move(data);
}

}  // namespace kapi::client::proxy
