// CachedObject::derived: each slot's encoding is made at most once per object version and then
// shared by every reader and watcher (a Table row or protobuf is not re-encoded per watcher).
#include <array>
#include <mutex>
#include <stdexcept>

#include "server/storage/storage.h"

namespace kapi::storage {
namespace {

constexpr int kSlots = 8;

struct Derived {
  std::array<std::once_flag, kSlots> once;
  std::array<std::string, kSlots> value;
};

// Guards the lazy creation of derived_ (most objects never need it, so it is not allocated up
// front). Striped by object address: unrelated objects rarely share a lock.
std::mutex& stripe_for(const void* p) {
  static std::array<std::mutex, 64> stripes;
  return stripes[(reinterpret_cast<uintptr_t>(p) >> 6) % stripes.size()];
}

}  // namespace

const std::string& CachedObject::derived(int slot, const std::function<std::string()>& make) const {
  if (slot < 0 || slot >= kSlots) throw std::out_of_range("CachedObject::derived: bad slot");
  Derived* d;
  {
    std::lock_guard lk(stripe_for(this));
    if (!derived_) derived_ = std::make_shared<Derived>();
    d = static_cast<Derived*>(derived_.get());
  }
  // call_once: concurrent callers wait for the first; if make throws, a later call retries.
  std::call_once(d->once[slot], [&] { d->value[slot] = make(); });
  return d->value[slot];
}

}  // namespace kapi::storage
