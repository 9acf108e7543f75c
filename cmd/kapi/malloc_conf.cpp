// jemalloc reads this symbol at start-up. Two arenas are enough for two cores and keep the
// resident set small; dirty pages go back to the kernel after half a second instead of ten, and
// purged pages are released at once, so memory freed after a large LIST does not linger.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "narenas:2,dirty_decay_ms:500,muzzy_decay_ms:0";
}
