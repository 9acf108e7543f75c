#pragma once
// Go's text/template as kubectl's -o go-template uses it (cli-runtime printers/template.go): the
// data is the object decoded by k8s.io/apimachinery's json (maps, slices, strings, int64 for
// whole numbers, float64, bool, nil) and the functions are text/template's builtins plus
// kubectl's `exists` and `base64decode`. Parse and execution errors read like Go's
// ("template: output:1: unclosed action", "template: output:1:2: executing \"output\" at
// <...>: ..."). Not supported: define/template/block, methods, range over integers.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace kapi::client {

namespace gotmpl {
struct Tree;
}

class GoTemplate {
 public:
  GoTemplate();
  ~GoTemplate();
  GoTemplate(GoTemplate&&) noexcept;
  GoTemplate& operator=(GoTemplate&&) noexcept;

  // Parses `text` as the template named `name`; false with Go's error text on failure.
  bool parse(const std::string& text, std::string* error, const std::string& name = "output");
  // kubectl's --allow-missing-template-keys: a missing map key prints "<no value>" when true,
  // fails with `map has no entry for key "k"` when false.
  void allow_missing_keys(bool allow) { allow_missing_ = allow; }
  // Runs the template on `data`, appending to `out` (output written before an error stays).
  bool execute(const nlohmann::ordered_json& data, std::string& out, std::string* error) const;

  // fmt's %+v of `data` as the template sees it (kubectl's debugging report).
  static std::string format_data(const nlohmann::ordered_json& data);

 private:
  std::unique_ptr<gotmpl::Tree> tree_;
  bool allow_missing_ = true;
};

}  // namespace kapi::client
