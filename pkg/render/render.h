#pragma once
// `kapi render` as a library: what a run writes, and the run itself (render_main.cpp parses the
// command line and reports errors on one line).
#include <vector>

#include "pkg/render/options.h"
#include "pkg/render/output.h"

namespace kapi {
int render_main(int argc, char** argv);  // argv[0] == "render"
}  // namespace kapi

namespace kapi::render {

// Every file of the phase, in memory (existing valid PKI and kubeconfigs under cfg.out_dir are
// reused and not listed). Nothing is written.
Result<std::vector<OutFile>> render_files(const RenderConfig& cfg);

// render_files + write_outputs: all files or none.
Status run_render(const RenderConfig& cfg);

}  // namespace kapi::render
