#include "options/option_types.hpp"

namespace mcpshim::options {

namespace {
template <class Duration>
void add_duration_of(CLI::App& app, const std::string& name, Duration& target, const std::string& help) {
    app.add_option(
           name,
           [&target](const CLI::results_t& results) {
               const auto count = parse_whole<long long>(results.front());
               if (!count || *count < 0) return false;
               target = Duration(*count);
               return true;
           },
           help + " (default " + std::to_string(target.count()) + ")")
        ->type_name("INT");
}
}  // namespace

void add_duration(CLI::App& app, const std::string& name, std::chrono::milliseconds& target, const std::string& help) {
    add_duration_of(app, name, target, help);
}

void add_duration(CLI::App& app, const std::string& name, std::chrono::seconds& target, const std::string& help) {
    add_duration_of(app, name, target, help);
}

std::optional<HostPort> parse_host_port(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const auto port = parse_whole<unsigned short>(text.substr(colon + 1));
    if (!port) return std::nullopt;
    return HostPort{host.empty() ? "127.0.0.1" : std::string(host), *port};
}

}  // namespace mcpshim::options
