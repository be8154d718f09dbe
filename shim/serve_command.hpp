#pragma once
#include "serve_config.hpp"

namespace mcpshim {

// Runs the shim until SIGINT or SIGTERM; returns the process exit code.
int run_serve(const ServeConfig& config);

}  // namespace mcpshim
