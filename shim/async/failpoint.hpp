#pragma once
// Named places where a test can make the shim throw, to prove that every
// failure is caught, logged and answered. Off unless the environment
// variable MCPSHIM_FAILPOINTS lists the name (comma-separated); read once.
#include <string_view>

namespace mcpshim::async {

// Throws std::runtime_error("failpoint <name>") when `name` is enabled.
void failpoint(std::string_view name);

}  // namespace mcpshim::async
