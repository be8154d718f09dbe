#pragma once
// Named places where a test can make the shim throw, to prove that every
// failure is caught, logged and answered. Off unless the environment
// variable MCPSHIM_FAILPOINTS lists the name (comma-separated); read once.
#include <string_view>

namespace mcpshim::async {

// Throws std::runtime_error("failpoint <place>:<detail>") when that name is
// enabled. Costs one branch when MCPSHIM_FAILPOINTS is unset.
void failpoint(std::string_view place, std::string_view detail);

}  // namespace mcpshim::async
