#include "client/cmd/object_reader.h"

#include <nlohmann/json.hpp>

#include "client/factory.h"
#include "client/manifest_reader.h"
#include "client/printers/go_json.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

ObjectInfo::ObjectInfo() : object(std::make_unique<Json>(Json::object())) {}
ObjectInfo::~ObjectInfo() = default;
ObjectInfo::ObjectInfo(ObjectInfo&&) noexcept = default;
ObjectInfo& ObjectInfo::operator=(ObjectInfo&&) noexcept = default;

std::optional<CmdError> Session::open() {
  auto ns = env.factory.client_config().namespace_for_request(&explicit_namespace);
  if (!ns.ok()) return ns.error();
  namespace_ = *ns;
  auto c = env.factory.rest_client();
  if (!c.ok()) return c.error();
  auto d = env.factory.discovery();
  if (!d.ok()) return d.error();
  client = *c;
  discovery = *d;
  return std::nullopt;
}

void add_file_flags(FlagSet& f) {
  f.add_string_slice("filename", 'f');
  f.add_string("kustomize", 'k', "");
  f.add_bool("recursive", 'R', false);
}

namespace {

// GroupVersionResource.String() / GroupVersionKind.String().
std::string gvr_text(const RestMapping& m) {
  return m.resource.group + "/" + m.resource.version + ", Resource=" + m.resource.name;
}
std::string gvk_text(const RestMapping& m) {
  return m.resource.group + "/" + m.resource.version + ", Kind=" + m.resource.kind;
}

}  // namespace

std::string info_string(const ObjectInfo& i) {
  return "Resource: " + go_json_quote(gvr_text(i.mapping)) + ", GroupVersionKind: " + go_json_quote(gvk_text(i.mapping)) +
         "\nName: " + go_json_quote(i.name) + ", Namespace: " + go_json_quote(i.namespace_);
}

CmdError add_source(const std::string& verb, const std::string& source, CmdError err) {
  if (source.empty()) return err;
  if (err.kind == CmdError::Kind::kStatus) {
    err.message = "error when " + verb + " " + go_json_quote(source) + ": " + err.message;
    return err;
  }
  if (err.kind == CmdError::Kind::kMessage) {
    err.message = "error when " + verb + " " + go_json_quote(source) + ": " + err.message;
  }
  return err;
}

Result<std::vector<ObjectInfo>> read_objects(Session& s, std::vector<CmdError>& errs, bool local) {
  const FlagSet& f = s.env.flags;
  ManifestOptions o;
  o.filenames = f.get_strings("filename");
  o.recursive = f.get_bool("recursive");
  o.namespace_ = s.namespace_;
  o.explicit_namespace = s.explicit_namespace;
  o.local = local;
  if (const Flag* validate = f.find("validate")) o.validate = validate->value;
  auto read = read_manifests(o, *s.client, *s.discovery, s.env.out, errs);
  if (!read.ok()) return read.error();
  std::vector<ObjectInfo> out;
  for (auto& m : *read) {
    ObjectInfo info;
    info.source = std::move(m.source);
    info.object = std::move(m.object);
    info.mapping = std::move(m.mapping);
    info.name = std::move(m.name);
    info.namespace_ = std::move(m.namespace_);
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace kapi::client
