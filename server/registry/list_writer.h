#pragma once
// Writes a list response (`head` + items joined by ',' + `tail`). Long lists are streamed in
// 64 KiB chunks straight from the cache snapshot, so a 10k-object list never builds (and
// page-faults in) one giant buffer.
#include <functional>
#include <string>
#include <vector>

#include "server/http/http.h"
#include "server/storage/storage.h"

namespace kapi::server {

using ItemWriter = std::function<void(std::string& out, const storage::CachedObject& item)>;

void write_list(HttpResponse& out, std::string head, std::vector<storage::ObjectPtr> items,
                ItemWriter write_item, std::string tail);

}  // namespace kapi::server
