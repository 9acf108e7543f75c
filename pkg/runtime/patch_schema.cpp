#include "pkg/runtime/patch_schema.h"

#include <map>
#include <memory>
#include <mutex>

namespace kapi::runtime {
namespace {

class StructPatchSchema : public machinery::PatchSchema {
 public:
  explicit StructPatchSchema(const StructType& st) : st_(st) {}
  std::optional<Field> field(std::string_view name) const override {
    const runtime::Field* f = st_.find(name);
    if (!f) return std::nullopt;
    Field out;
    out.strategy = f->patch_strategy;
    out.merge_key = f->merge_key;
    const Type* t = f->type;
    if (t->kind == Kind::kPointer) t = t->elem;
    if (t->kind == Kind::kSlice) {
      out.is_list = true;
      t = t->elem;
    } else if (t->kind == Kind::kMap) {
      out.is_map = true;
      t = t->elem;
    }
    if (t->kind == Kind::kPointer) t = t->elem;
    if (t->kind == Kind::kStruct) out.elem = patch_schema_for(*t->st);
    return out;
  }

 private:
  const StructType& st_;
};

}  // namespace

const machinery::PatchSchema* patch_schema_for(const StructType& type) {
  static std::mutex mu;
  static std::map<const StructType*, std::unique_ptr<StructPatchSchema>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[&type];
  if (!slot) slot = std::make_unique<StructPatchSchema>(type);
  return slot.get();
}

}  // namespace kapi::runtime
