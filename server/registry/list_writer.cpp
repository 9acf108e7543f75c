#include "server/registry/list_writer.h"

#include <memory>

namespace kapi::server {

namespace {
constexpr size_t kStreamAbove = 256;    // items
constexpr size_t kChunk = 64 * 1024;    // bytes
}  // namespace

void write_list(HttpResponse& out, std::string head, std::vector<storage::ObjectPtr> items,
                ItemWriter write_item, std::string tail) {
  if (items.size() <= kStreamAbove) {
    std::string body = std::move(head);
    bool first = true;
    for (const auto& item : items) {
      if (!first) body += ',';
      first = false;
      write_item(body, *item);
    }
    body += tail;
    out.body = std::move(body);
    return;
  }
  // The length first (each item written once more into a small scratch buffer), so the body
  // goes out with a Content-Length and without chunk framing.
  size_t length = head.size() + tail.size() + items.size() - 1;
  std::string scratch;
  for (const auto& item : items) {
    scratch.clear();
    write_item(scratch, *item);
    length += scratch.size();
  }
  out.stream_length = length;
  auto snapshot = std::make_shared<std::vector<storage::ObjectPtr>>(std::move(items));
  out.stream = [snapshot, head = std::move(head), write_item = std::move(write_item),
                tail = std::move(tail)](const ChunkWriter& write) {
    std::string buf;
    buf.reserve(kChunk + 8192);
    buf += head;
    bool first = true;
    for (const auto& item : *snapshot) {
      if (!first) buf += ',';
      first = false;
      write_item(buf, *item);
      if (buf.size() >= kChunk) {
        if (!write(buf)) return;
        buf.clear();
      }
    }
    buf += tail;
    write(buf);
  };
}

}  // namespace kapi::server
