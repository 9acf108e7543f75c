#include "client/manifest_reader.h"
#include "client/url_reader.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/cmd/command.h"
#include "client/discovery.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/go_format.h"
#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"
#include "pkg/runtime/yaml.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

bool is_dir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

bool has_manifest_ext(const std::string& name) {
  for (const char* ext : {".json", ".yaml", ".yml"}) {
    std::string e = ext;
    if (name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0)
      return true;
  }
  return false;
}

// filepath.Join for a directory and an entry.
std::string join_path(const std::string& dir, const std::string& name) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  if (d == ".") return name;
  return d + "/" + name;
}

// filepath.Walk over `dir` (lexical order), files with manifest extensions.
void walk_dir(const std::string& dir, bool recursive, std::vector<std::string>& out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    std::string p = join_path(dir, n);
    if (is_dir(p)) {
      if (recursive) walk_dir(p, recursive, out);
      continue;
    }
    if (has_manifest_ext(n)) out.push_back(p);
  }
}

std::optional<RestMapping> find_kind(const DiscoveryData& data, const std::string& group,
                                     const std::string& version, const std::string& kind) {
  for (const auto& r : data.resources)
    if (r.group == group && r.version == version && r.kind == kind) return RestMapping{r};
  return std::nullopt;
}

// strings.TrimSpace's set at the ends of `s` (ASCII white space, U+0085, U+00A0).
std::string go_trim_space(std::string s) {
  auto space_at_start = [&](size_t& n) {
    unsigned char c = s[0];
    if (c == ' ' || (c >= '\t' && c <= '\r')) return n = 1, true;
    if (c == 0xc2 && s.size() > 1 && (static_cast<unsigned char>(s[1]) == 0x85 || static_cast<unsigned char>(s[1]) == 0xa0))
      return n = 2, true;
    return false;
  };
  size_t n = 0;
  while (!s.empty() && space_at_start(n)) s.erase(0, n);
  while (!s.empty()) {
    unsigned char c = s.back();
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      s.pop_back();
    } else if (s.size() > 1 && static_cast<unsigned char>(s[s.size() - 2]) == 0xc2 && (c == 0x85 || c == 0xa0)) {
      s.resize(s.size() - 2);
    } else {
      break;
    }
  }
  return s;
}

// k8s.io/apimachinery's YAMLReader: a line starting with "---" followed by nothing but
// blanks or a comment ends a document; anything else after it is an error ("invalid Yaml
// document separator: <rest>") that also drops the document it would have ended.
std::vector<std::string> split_yaml_documents(const std::string& text, std::string* error) {
  std::vector<std::string> docs;
  std::string cur;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos + 1);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (line.rfind("---", 0) == 0) {
      std::string rest = go_trim_space(line.substr(3));
      if (!rest.empty() && rest[0] != '#') {
        *error = "invalid Yaml document separator: " + rest;
        return docs;
      }
      if (!cur.empty()) docs.push_back(cur);
      cur.clear();
      continue;
    }
    cur += line;
  }
  if (!cur.empty()) docs.push_back(cur);
  return docs;
}

// cli-runtime's FileVisitor reads through unicode.BOMOverride(UTF8 decoder): a UTF-8 BOM is
// dropped, a UTF-16 BOM switches to UTF-16, and each byte of invalid UTF-8 becomes U+FFFD.
std::string decode_manifest_text(const std::string& raw) {
  if (raw.size() >= 2 && ((raw[0] == '\xfe' && raw[1] == '\xff') || (raw[0] == '\xff' && raw[1] == '\xfe'))) {
    bool big = raw[0] == '\xfe';
    std::string out;
    auto unit = [&](size_t i) {
      unsigned a = static_cast<unsigned char>(raw[i]), b = static_cast<unsigned char>(raw[i + 1]);
      return big ? (a << 8 | b) : (b << 8 | a);
    };
    auto put = [&](unsigned cp) {
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | cp >> 6);
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | cp >> 12);
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else {
        out += static_cast<char>(0xf0 | cp >> 18);
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      }
    };
    size_t i = 2;
    for (; i + 1 < raw.size(); i += 2) {
      unsigned u = unit(i);
      if (u >= 0xd800 && u < 0xdc00 && i + 3 < raw.size() && unit(i + 2) >= 0xdc00 && unit(i + 2) < 0xe000) {
        put(0x10000 + ((u - 0xd800) << 10) + (unit(i + 2) - 0xdc00));
        i += 2;
      } else {
        put(u >= 0xd800 && u < 0xe000 ? 0xfffd : u);
      }
    }
    if (i < raw.size()) put(0xfffd);  // an odd trailing byte
    return out;
  }
  std::string s = raw.rfind("\xef\xbb\xbf", 0) == 0 ? raw.substr(3) : raw;
  return machinery::gofmt::valid_utf8(s);
}

// cli-runtime decodes each manifest (a List's items aside) with unstructured's scheme, which
// first unmarshals it into a metadata-only struct: metadata that does not fit metav1.ObjectMeta
// (`app: yes` is a bool label) fails client-side with encoding/json's error. Keys are visited in
// sorted order, since the YAML reached JSON through a Go map.
std::string metadata_decode_error(const Json& obj) {
  auto it = obj.find("metadata");
  if (it == obj.end() || it->is_null()) return "";
  if (!it->is_object()) {
    const char* kind = it->is_string() ? "string" : it->is_boolean() ? "bool"
                       : it->is_array() ? "array" : "number";
    return std::string("json: cannot unmarshal ") + kind +
           " into Go struct field metadataOnlyObject.metadata of type v1.ObjectMeta";
  }
  // Any kind whose metadata is ObjectMeta serves: only metadata is given.
  const auto* type = runtime::Schema::get().find("io.k8s.api.core.v1.ConfigMap");
  if (!type) return "";
  runtime::DecodeResult dr;
  nlohmann::json sorted = *it;  // std::map keys: Go's sorted order
  runtime::normalize(Json{{"metadata", Json(sorted)}}, *type, dr);
  return dr.error;
}

}  // namespace

Result<std::vector<ManifestObject>> read_manifests(const ManifestOptions& o, RestClient& client,
                                                   Discovery& discovery, std::string& out,
                                                   std::vector<CmdError>& errs) {
  bool recursive = o.recursive;
  std::vector<std::pair<std::string, std::string>> inputs;  // (source, text)
  for (const auto& arg : o.filenames) {
    if (arg == "-") {
      std::string text((std::istreambuf_iterator<char>(std::cin)),
                       std::istreambuf_iterator<char>());
      inputs.emplace_back("STDIN", decode_manifest_text(text));
      continue;
    }
    if (is_url_argument(arg)) {
      auto body = read_url(arg);
      if (!body.ok()) return body.error();
      inputs.emplace_back(arg, decode_manifest_text(*body));
      continue;
    }
    if (!exists(arg)) return CmdError::msg("the path \"" + arg + "\" does not exist");
    std::vector<std::string> files;
    if (is_dir(arg))
      walk_dir(arg, recursive, files);
    else
      files.push_back(arg);
    for (const auto& p : files) {
      std::ifstream in(p, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      inputs.emplace_back(p, decode_manifest_text(ss.str()));
    }
  }
  std::vector<ManifestObject> result;
  for (auto& [source, text] : inputs) {
    // Documents one at a time (yaml.NewYAMLReader); a document that does not parse ends the
    // file, the ones before it are kept.
    std::vector<Json> docs;
    std::string separator_error;
    bool parsed = true;
    for (const auto& chunk : split_yaml_documents(text, &separator_error)) {
      Json doc;
      std::string yerr;
      if (!runtime::first_yaml_document_to_json(chunk, doc, &yerr)) {
        errs.push_back(CmdError::msg("error parsing " + source + ": " + yerr));
        parsed = false;
        break;
      }
      docs.push_back(std::move(doc));
    }
    if (parsed && !separator_error.empty()) errs.push_back(CmdError::msg("error parsing " + source + ": " + separator_error));
    std::vector<Json> objects;
    std::vector<bool> list_item;  // items of a List skip the metadata decode check
    for (auto& d : docs) {
      if (d.is_null()) continue;
      if (d.is_object() && d.value("kind", "") == "List" && d.contains("items") &&
          d["items"].is_array()) {
        for (auto& it : d["items"]) {
          objects.push_back(std::move(it));
          list_item.push_back(true);
        }
      } else {
        objects.push_back(std::move(d));
        list_item.push_back(false);
      }
    }
    for (size_t oi = 0; oi < objects.size(); ++oi) {
      Json& obj = objects[oi];
      if (!obj.is_object() || obj.empty()) continue;
      std::string api_version = obj.contains("apiVersion") && obj["apiVersion"].is_string()
                                    ? obj["apiVersion"].get<std::string>()
                                    : "";
      std::string kind =
          obj.contains("kind") && obj["kind"].is_string() ? obj["kind"].get<std::string>() : "";
      if (kind.empty() || api_version.empty()) {
        // ValidateSchema's aggregate: one error plain, several as "[a, b]".
        std::string what = api_version.empty() && kind.empty() ? "[apiVersion not set, kind not set]"
                           : kind.empty()                      ? "kind not set"
                                                               : "apiVersion not set";
        errs.push_back(CmdError::msg("error validating \"" + source +
                                     "\": error validating data: " + what));
        continue;
      }
      if (!list_item[oi]) {
        if (std::string e = metadata_decode_error(obj); !e.empty()) {
          errs.push_back(CmdError::msg("unable to decode " + go_json_quote(source) + ": " + e));
          continue;
        }
      }
      std::string group, version = api_version;
      if (auto slash = api_version.find('/'); slash != std::string::npos) {
        group = api_version.substr(0, slash);
        version = api_version.substr(slash + 1);
      }
      Json meta = obj.contains("metadata") && obj["metadata"].is_object() ? obj["metadata"]
                                                                          : Json::object();
      std::string name =
          meta.contains("name") && meta["name"].is_string() ? meta["name"].get<std::string>() : "";
      std::string ns = meta.contains("namespace") && meta["namespace"].is_string()
                           ? meta["namespace"].get<std::string>()
                           : "";
      auto data = discovery.get();
      if (!data.ok()) {
        const CmdError& de = data.error();
        bool transport = de.kind == CmdError::Kind::kConnRefused || de.kind == CmdError::Kind::kConnError;
        if (!transport && de.kind != CmdError::Kind::kStatus) return discovery_failed(de);
        // Go's text of the failed discovery request ("Get \"url\": ..." or a status message).
        std::string why = transport ? "Get \"" + de.url + "\": " + de.detail : go_error_text(de);
        if (!o.validate.empty() && o.validate != "ignore" && o.validate != "false") {
          // Client-side validation downloads the OpenAPI document first, and fails on it (a
          // status answer there is not decoded: its generic message for the code).
          size_t q = de.url.find('?');
          std::string url =
              client.url_for("/openapi/v2") + (q == std::string::npos ? "" : de.url.substr(q));
          std::string openapi_why =
              transport ? "Get \"" + url + "\": " + de.detail : status_error_from_response(de.code, "").message;
          return CmdError::msg("error validating " + go_json_quote(source) +
                               ": error validating data: failed to download openapi: " + openapi_why +
                               "; if you choose to ignore these errors, turn validation off with "
                               "--validate=false");
        }
        flush_stdout(out);
        write_stderr(klog_error_line("memcache.go:265", "Unhandled Error",
                                     "couldn't get current server API group list: " + why));
        errs.push_back(CmdError::msg("unable to recognize " + go_json_quote(source) + ": " + why));
        continue;
      }
      auto m = find_kind(**data, group, version, kind);
      if (!m && !discovery.fresh()) {
        auto fresh = discovery.refresh();
        if (!fresh.ok()) return fresh.error();
        m = find_kind(**fresh, group, version, kind);
      }
      if (!m) {
        errs.push_back(
            CmdError::msg("resource mapping not found for name: " + go_json_quote(name) +
                          " namespace: " + go_json_quote(ns) + " from " + go_json_quote(source) +
                          ": no matches for kind " + go_json_quote(kind) + " in version " +
                          go_json_quote(api_version) + "\nensure CRDs are installed first"));
        continue;
      }
      if (m->resource.namespaced) {
        if (ns.empty()) {
          ns = o.namespace_;
          if (!o.local) obj["metadata"]["namespace"] = ns;
        } else if (o.explicit_namespace && ns != o.namespace_) {
          errs.push_back(
              CmdError::msg("the namespace from the provided object " + go_json_quote(ns) +
                            " does not match the namespace " + go_json_quote(o.namespace_) +
                            ". You must pass '--namespace=" + ns + "' to perform this operation."));
          continue;
        }
      }
      result.push_back({source, std::make_unique<Json>(std::move(obj)), *m, name,
                        m->resource.namespaced ? ns : ""});
    }
  }
  return result;
}

}  // namespace kapi::client
