#include "options/option_types.hpp"

#include <charconv>

namespace mcpshim::options {

namespace {
template <class Duration>
void add_duration_of(CLI::App& app, const std::string& name, Duration& target, const std::string& help) {
    app.add_option(
           name,
           [&target](const CLI::results_t& results) {
               long long count = 0;
               const auto& text = results.front();
               const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
               if (ec != std::errc() || end != text.data() + text.size() || count < 0) return false;
               target = Duration(count);
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
    const auto port_text = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
        return std::nullopt;
    return HostPort{host.empty() ? "127.0.0.1" : std::string(host), static_cast<unsigned short>(port)};
}

}  // namespace mcpshim::options
