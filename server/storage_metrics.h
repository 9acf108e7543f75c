#pragma once
// A Backend decorator that records every storage operation's latency in Metrics, as upstream's
// etcd3 store does (etcd_request_duration_seconds{operation,type}, type = group-resource).
#include <memory>

#include "server/metrics.h"
#include "server/storage/storage.h"

namespace kapi::server {

std::unique_ptr<storage::Backend> instrument_backend(std::unique_ptr<storage::Backend> inner, Metrics& metrics);

}  // namespace kapi::server
