#pragma once
// The shared store's state half as one Lua script that Redis runs
// atomically: each operation (a bound checked and a write made, or a read of
// several keys) costs one round trip, and two shim instances writing one
// session cannot interleave. Arguments: op, key prefix, session id, origin
// instance, now (unix seconds), then the op's own (see the script).
#include <string>
#include <string_view>

namespace mcpshim::session {

std::string_view redis_store_script();
// Its SHA-1, for EVALSHA.
const std::string& redis_store_script_sha();

}  // namespace mcpshim::session
