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

void failpoint(std::string_view place, std::string_view detail) {
    const auto& names = enabled();
    if (names.empty()) return;
    const std::string name = std::string(place) + ":" + std::string(detail);
    if (names.find("," + name + ",") != std::string::npos) throw std::runtime_error("failpoint " + name);
}

}  // namespace mcpshim::async
