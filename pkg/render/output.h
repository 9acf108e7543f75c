#pragma once
// All-or-nothing output: every file of a run is first written into a staging folder beside the
// destination and only then moved into place, so a failed run leaves --out-dir as it was.
#include <string>
#include <vector>

#include "pkg/tls/result.h"

namespace kapi::render {

struct OutFile {
  std::string rel_path;  // relative to --out-dir, e.g. "pki/etcd/ca.key"
  std::string data;
  unsigned mode = 0644;
};

// Writes `files` under `out_dir`. If out_dir does not exist it is created as a whole by renaming
// the staging folder; otherwise each file is renamed into place after all were staged. Missing
// parents of out_dir are created. Sub-folders: manifests/ 0700, others 0755.
// Error (one line, nothing changed in out_dir): "cannot write to DIR: <reason>".
tls::Status write_outputs(const std::string& out_dir, const std::vector<OutFile>& files);

}  // namespace kapi::render
