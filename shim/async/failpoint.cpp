#include "async/failpoint.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace mcpshim::async {

namespace {
const std::string& enabled() {
    static const std::string names = [] {
        const char* value = std::getenv("MCPSHIM_FAILPOINTS");
        return value ? "," + std::string(value) + "," : std::string();
    }();
    return names;
}
}  // namespace

void failpoint(std::string_view name) {
    const auto& names = enabled();
    if (names.empty()) return;
    if (names.find("," + std::string(name) + ",") != std::string::npos)
        throw std::runtime_error("failpoint " + std::string(name));
}

}  // namespace mcpshim::async
