#include "client/printers/explain_printer.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "pkg/machinery/go_format.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using History = std::map<std::string, int>;

const Json* field(const Json* m, const std::string& key) {
  if (!m || !m->is_object()) return nullptr;
  auto it = m->find(key);
  return it == m->end() ? nullptr : &*it;
}

// text/template truthiness of a decoded JSON value (absent is false).
bool truthy(const Json* v) {
  if (!v) return false;
  switch (v->type()) {
    case Json::value_t::null: return false;
    case Json::value_t::boolean: return v->get<bool>();
    case Json::value_t::string: return !v->get_ref<const std::string&>().empty();
    case Json::value_t::number_integer: case Json::value_t::number_unsigned: case Json::value_t::number_float:
      return v->get<double>() != 0;
    default: return !v->empty();
  }
}

std::string str(const Json* v) { return v && v->is_string() ? v->get<std::string>() : ""; }

// The template's `and $x.additionalProperties (not (eq "bool" (printf "%T" ...)))`.
const Json* additional_schema(const Json* s) {
  const Json* ap = field(s, "additionalProperties");
  return truthy(ap) && !ap->is_boolean() ? ap : nullptr;
}

std::string indent(size_t n, const std::string& s) {
  std::string pad(n, ' ');
  std::string out = pad;
  for (char c : s) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

bool is_go_space(uint32_t r) {
  return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' || r == 0x85 || r == 0xA0 ||
         r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f ||
         r == 0x3000;
}

class Renderer {
 public:
  Renderer(const Json& doc, const ExplainRequest& req) : doc_(doc), req_(req) {}

  std::optional<std::string> run(std::string& out) {
    std::string prefix = req_.group.empty() ? "/api" : "/apis/" + req_.group;
    std::string base = prefix + "/" + req_.version;
    const std::vector<std::string> search = {
        base + "/" + req_.resource, base + "/" + req_.resource + "/{name}",
        base + "/namespaces/{namespace}/" + req_.resource, base + "/namespaces/{namespace}/" + req_.resource + "/{name}"};
    // Assignment semantics of `with $gvk = index ...`: a later operation without a GVK clears it.
    const Json* gvk = nullptr;
    const Json* paths = field(&doc_, "paths");
    for (const auto& p : search) {
      const Json* element = field(paths, p);
      if (!truthy(element)) continue;
      for (const char* method : {"get", "post", "put", "patch", "delete"}) {
        const Json* op = field(element, method);
        if (!truthy(op)) continue;
        gvk = field(op, "x-kubernetes-group-version-kind");
        if (truthy(gvk)) break;
      }
    }
    if (!truthy(gvk)) {
      std::string gvr = req_.group.empty() ? "/" + req_.version : req_.group + "/" + req_.version;
      return "error: GVR (" + gvr + ", Resource=" + req_.resource + ") not found in OpenAPI schema";
    }
    if (truthy(field(gvk, "group"))) out += "GROUP:      " + machinery::gofmt::sprint_v(*field(gvk, "group")) + "\n";
    out += "KIND:       " + v(field(gvk, "kind")) + "\n";
    out += "VERSION:    " + v(field(gvk, "version")) + "\n";
    out += "\n";

    // The component schema carrying this GVK.
    const Json* schemas = field(field(&doc_, "components"), "schemas");
    std::vector<std::string> names;
    if (schemas && schemas->is_object())
      for (const auto& [k, _] : schemas->items()) names.push_back(k);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      const Json& s = schemas->at(name);
      const Json* gvks = field(&s, "x-kubernetes-group-version-kind");
      if (!gvks || !gvks->is_array()) continue;
      // reflect.DeepEqual of two maps: key order does not matter.
      bool match = std::any_of(gvks->begin(), gvks->end(), [&](const Json& g) {
        if (!g.is_object() || !gvk->is_object() || g.size() != gvk->size()) return false;
        for (auto it = gvk->begin(); it != gvk->end(); ++it)
          if (!g.contains(it.key()) || g.at(it.key()) != it.value()) return false;
        return true;
      });
      if (!match) continue;
      std::string body = output(&s, nullptr, req_.field_path);
      if (body.empty()) {
        const auto& fp = req_.field_path;
        return "error: field \"" + (fp.empty() ? std::string("<no value>") : fp.back()) + "\" does not exist";
      }
      out += body + "\n";
      return std::nullopt;
    }
    return "error: GVK " + machinery::gofmt::sprint_v(*gvk) + " not found in OpenAPI schema";
  }

 private:
  static std::string v(const Json* j) { return j ? machinery::gofmt::sprint_v(*j) : "<no value>"; }

  const Json* resolve_ref(const Json* ref) const {
    if (!ref || !ref->is_string()) return nullptr;
    const std::string& r = ref->get_ref<const std::string&>();
    if (r.empty() || r[0] != '#') return nullptr;
    const Json* cur = &doc_;
    size_t i = 1;
    while (i <= r.size()) {
      size_t slash = r.find('/', i);
      std::string part = r.substr(i, slash == std::string::npos ? std::string::npos : slash - i);
      if (!part.empty()) {
        cur = field(cur, part);
        if (!cur || !cur->is_object()) return nullptr;
      }
      if (slash == std::string::npos) break;
      i = slash + 1;
    }
    return cur;
  }

  // `or (resolveRef $ref $.Document) $schema`
  const Json* resolved(const Json* schema) const {
    const Json* r = resolve_ref(field(schema, "$ref"));
    return truthy(r) ? r : schema;
  }

  std::string description(const Json* schema) const {
    const Json* s = resolved(schema);
    if (!truthy(s)) return "";
    std::string out;
    if (truthy(field(s, "description"))) out += str(field(s, "description")) + "\n";
    if (const Json* all = field(s, "allOf"); all && all->is_array())
      for (const auto& a : *all) out += description(&a);
    if (const Json* items = field(s, "items"); truthy(items)) out += description(items);
    if (const Json* ap = additional_schema(s)) out += description(ap);
    return out;
  }

  // EXTERNAL DOCS header at `head` columns, its description and URL at `body`.
  std::string external_docs(const Json* schema, size_t head, size_t body, size_t wrap) const {
    const Json* docs = field(schema, "externalDocs");
    if (!truthy(docs)) return "";
    std::string out = indent(head, "EXTERNAL DOCS:") + "\n";
    if (truthy(field(docs, "description")))
      out += indent(body, go_wordwrap(str(field(docs, "description")), wrap)) + "\n";
    if (truthy(field(docs, "url"))) out += indent(body, "URL: " + v(field(docs, "url"))) + "\n";
    return out;
  }

  std::string type_guess(const Json* schema) const {
    if (!truthy(schema)) return "";  // upstream fails the template here; never met in practice
    if (const Json* items = field(schema, "items"); truthy(items)) return "[]" + type_guess(items);
    if (const Json* ap = additional_schema(schema)) return "map[string]" + type_guess(ap);
    const Json* all = field(schema, "allOf");
    if (truthy(all) && !truthy(field(schema, "properties")) && all->is_array() && all->size() == 1)
      return type_guess(&(*all)[0]);
    if (const Json* ref = field(schema, "$ref"); truthy(ref)) {
      const Json* target = resolve_ref(ref);
      const Json* type = field(target, "type");
      if (!truthy(target) || !truthy(type) || str(type) == "object") {
        std::string r = str(ref);
        std::string name = r.substr(r.rfind('/') == std::string::npos ? 0 : r.rfind('/') + 1);
        std::string last = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
        return last.empty() ? "Object" : last;
      }
      return v(type);
    }
    const Json* type = field(schema, "type");
    if (str(type) == "object") return "Object";
    return truthy(type) ? v(type) : "Object";
  }

  std::string extract_enum(const Json* schema, bool long_view, int limit, size_t indent_amount) const {
    const Json* e = field(schema, "enum");
    if (!truthy(schema) || !truthy(e) || !e->is_array()) return "";
    std::string out = long_view ? "ENUM:" : "\n" + std::string(indent_amount, ' ') + "enum: ";
    for (size_t i = 0; i < e->size(); ++i) {
      if (limit > -1 && static_cast<int>(i) >= limit) {
        out += ", ....";
        break;
      }
      if (i > 0 && !long_view) out += ", ";
      else if (long_view) out += "\n    ";
      const Json& el = (*e)[i];
      out += el.is_string() && el.get_ref<const std::string&>().empty() ? "\"\"" : machinery::gofmt::sprint_v(el);
    }
    return out;
  }

  std::string field_detail(const std::string& name, const Json* schema, bool short_view, int level) const {
    size_t ind = static_cast<size_t>(level) * 2;
    const Json* fs = field(field(schema, "properties"), name);
    std::string out = indent(ind, name) + "\t<" + type_guess(fs) + ">";
    if (const Json* req = field(schema, "required"); req && req->is_array())
      if (std::find(req->begin(), req->end(), Json(name)) != req->end()) out += " -required-";
    out += extract_enum(fs, false, 4, ind);
    out += "\n";
    if (!short_view) {
      std::string desc = truthy(field(fs, "description")) ? str(field(fs, "description")) : "<no description>";
      out += indent(ind + 2, go_wordwrap(desc, 78 - ind)) + "\n";
      if (truthy(field(fs, "externalDocs"))) out += "\n" + external_docs(fs, ind + 2, ind + 4, 76 - ind);
      out += "\n";
    }
    return out;
  }

  std::string field_list(const Json* schema, int level, const History& history) const {
    std::string ref = str(field(schema, "$ref"));
    if (!ref.empty() && history.count(ref)) return "";
    History next = history;
    next[ref] = 1;
    const Json* res = resolved(schema);
    std::string out;
    if (const Json* props = field(res, "properties"); props && props->is_object()) {
      std::vector<std::string> keys;
      for (const auto& [k, _] : props->items()) keys.push_back(k);
      std::sort(keys.begin(), keys.end());
      for (const auto& k : keys) {
        out += field_detail(k, res, req_.recursive, level);
        if (req_.recursive) out += field_list(&props->at(k), level + 1, next);
      }
    }
    if (const Json* all = field(res, "allOf"); all && all->is_array())
      for (const auto& a : *all) out += field_list(&a, level, next);
    if (const Json* items = field(res, "items"); truthy(items)) out += field_list(items, level, next);
    if (const Json* ap = additional_schema(res)) out += field_list(ap, level, next);
    return out;
  }

  // The "output" template: follows the field path, then prints the description and fields.
  std::string output(const Json* schema, const History* history, const std::vector<std::string>& path) const {
    std::string ref = str(field(schema, "$ref"));
    History next = history ? *history : History();
    next[ref] = 1;
    const Json* res = resolved(schema);
    if (path.empty()) {
      std::string desc = description(res);
      std::string out = "DESCRIPTION:\n" + indent(4, go_wordwrap(desc.empty() ? "<empty>" : desc, 76)) + "\n";
      if (std::string docs = external_docs(res, 0, 4, 76); !docs.empty()) out += "\n" + docs;
      if (std::string fields = field_list(res, 1, History()); !fields.empty()) out += "FIELDS:\n" + fields;
      return out;
    }
    if (!ref.empty() && history && history->count(ref)) return "";
    const Json* props = field(res, "properties");
    if (truthy(props) && truthy(field(props, path[0]))) {
      const Json* sub = field(props, path[0]);
      std::string out;
      if (path.size() == 1)
        out += "FIELD: " + path[0] + " <" + type_guess(sub) + ">\n" + extract_enum(sub, true, -1, 0) + "\n\n";
      History empty;
      return out + output(sub, &empty, std::vector<std::string>(path.begin() + 1, path.end()));
    }
    if (const Json* items = field(res, "items"); truthy(items)) return output(items, &next, path);
    if (const Json* ap = additional_schema(res)) return output(ap, &next, path);
    if (const Json* all = field(res, "allOf"); all && all->is_array())
      for (const auto& a : *all)
        if (std::string o = output(&a, &next, path); !o.empty()) return o;
    return "";
  }

  const Json& doc_;
  const ExplainRequest& req_;
};

}  // namespace

std::string go_wordwrap(const std::string& s, size_t lim) {
  std::string buf, word, space;
  size_t current = 0, word_len = 0, space_len = 0;
  for (size_t i = 0; i < s.size();) {
    size_t n = machinery::gofmt::utf8_len(s, i);
    if (n == 0) n = 1;
    std::string ch = s.substr(i, n);
    uint32_t r = static_cast<unsigned char>(s[i]);
    if (n == 2) r = ((s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
    else if (n == 3) r = ((s[i] & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    else if (n == 4) r = 0x10000;  // never a space
    i += n;
    if (r == '\n') {
      if (word.empty()) {
        if (current + space_len > lim) {
          current = 0;
        } else {
          current += space_len;
          buf += space;
        }
      } else {
        current += space_len + word_len;
        buf += space + word;
        word.clear();
        word_len = 0;
      }
      space.clear();
      space_len = 0;
      buf += '\n';
      current = 0;
    } else if (is_go_space(r) && r != 0xA0) {
      if (space.empty() || !word.empty()) {
        current += space_len + word_len;
        buf += space + word;
        space.clear();
        word.clear();
        space_len = word_len = 0;
      }
      space += ch;
      ++space_len;
    } else {
      word += ch;
      ++word_len;
      if (current + space_len + word_len > lim && word_len < lim) {
        buf += '\n';
        current = 0;
        space.clear();
        space_len = 0;
      }
    }
  }
  if (word.empty()) {
    if (current + space_len <= lim) buf += space;
  } else {
    buf += space + word;
  }
  return buf;
}

std::optional<std::string> render_explain(const Json& doc, const ExplainRequest& req, std::string& out) {
  return Renderer(doc, req).run(out);
}

}  // namespace kapi::client
