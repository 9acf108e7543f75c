#include "server/registry/selectable_view.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kapi::server {
namespace {

using Json = nlohmann::ordered_json;

// SAX handler: keeps a value when its path is `k1` or `k1.k2` (objects only, no arrays) or
// `metadata.labels.k`; everything else is only lexed.
class ViewBuilder : public nlohmann::json_sax<Json> {
 public:
  Json root = Json::object();

  bool null() override { return keep(Json()); }
  bool boolean(bool v) override { return keep(Json(v)); }
  bool number_integer(number_integer_t v) override { return keep(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return keep(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return keep(Json(v)); }
  bool string(string_t& v) override { return keep(Json(std::move(v))); }
  bool binary(binary_t&) override { return true; }

  bool start_object(std::size_t) override {
    // Depth 1 (the root's children) and 2 may hold kept scalars; labels too.
    if (frames_.empty()) {
      frames_.push_back({&root, false});
    } else if (Json* parent = frames_.back().target; parent && !frames_.back().array &&
               (frames_.size() == 1 || (frames_.size() == 2 && in_labels_parent()))) {
      Json& child = (*parent)[key_];
      child = Json::object();
      frames_.push_back({&child, false});
    } else {
      frames_.push_back({nullptr, false});
    }
    names_.push_back(key_);
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    names_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    frames_.push_back({nullptr, true});
    names_.push_back(key_);
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    names_.pop_back();
    return true;
  }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    root = Json::object();
    return false;
  }

 private:
  struct Frame {
    Json* target;  // where kept values go; null: skipped
    bool array;
  };

  // Inside the object at depth 1 named "metadata", about to open "labels".
  bool in_labels_parent() const { return names_.size() == 2 && names_[1] == "metadata" && key_ == "labels"; }

  bool keep(Json v) {
    if (frames_.empty()) return true;
    const Frame& f = frames_.back();
    if (f.target && !f.array) (*f.target)[key_] = std::move(v);
    return true;
  }

  std::vector<Frame> frames_;
  std::vector<std::string> names_;  // key under which each open container was opened
  std::string key_;
};

}  // namespace

Json selectable_view(std::string_view json) {
  ViewBuilder b;
  if (!Json::sax_parse(json.begin(), json.end(), &b)) return Json::object();
  return std::move(b.root);
}

}  // namespace kapi::server
