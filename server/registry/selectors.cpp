#include "server/registry/selectors.h"

#include "pkg/machinery/fields.h"
#include "pkg/machinery/labels.h"

namespace kapi::server {

runtime::Status parse_selectors(const std::string& label_selector, const std::string& field_selector,
                                SelectorFilter& out, const FieldRelabel& relabel) {
  auto labels = machinery::parse_label_selector(label_selector);
  if (!labels.ok()) return runtime::Status::bad_request(labels.error());
  auto fields = machinery::parse_field_selector(field_selector);
  if (!fields.ok()) return runtime::Status::bad_request(fields.error());
  if (relabel) {
    using Term = std::pair<std::string, std::string>;
    fields = fields->transform([&](const std::string& label, const std::string& value) -> machinery::Result<Term> {
      std::string mapped;
      if (!relabel(label, mapped)) return machinery::Result<Term>::failure("field label not supported: " + label);
      return Term{mapped, value};
    });
    if (!fields.ok()) return runtime::Status::bad_request(fields.error());
  }
  for (const auto& r : fields->requirements()) out.field_names.push_back(r.field);
  if (auto n = fields->requires_exact_match("metadata.name")) out.name_equals = *n;
  if (labels->empty() && fields->empty()) return runtime::Status::success();
  auto ls = std::make_shared<machinery::LabelSelector>(labels.value());
  auto fs = std::make_shared<machinery::FieldSelector>(fields.value());
  out.match = [ls, fs](const Attrs& l, const Attrs& f) { return ls->matches(l) && fs->matches(f); };
  return runtime::Status::success();
}

}  // namespace kapi::server
