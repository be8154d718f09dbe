#pragma once
#include "serve_config.hpp"

namespace mcpshim {

// `mcpshim stdio`: a legacy client that can only spawn a process runs the shim
// as its server. Newline-delimited JSON-RPC on stdin/stdout, logs on stderr;
// the session is the process lifetime. Returns the exit code when stdin closes.
int run_stdio(ServeConfig config);

}  // namespace mcpshim
