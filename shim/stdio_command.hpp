#pragma once
#include "serve_config.hpp"

namespace mcpshim {

// `mcpshim stdio`: the stdio face over this process's relay state. Returns
// the exit code when stdin closes.
int run_stdio(ServeConfig config);

}  // namespace mcpshim
