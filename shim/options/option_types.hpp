#pragma once
// The two kinds of value every subcommand parses the same way: a duration
// and a host:port.
#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mcpshim::options {

// The whole of `text` as a number of type T; nullopt for anything else
// ("12ms", "1.5", "", a sign an unsigned type cannot take, out of range).
template <class T>
std::optional<T> parse_whole(std::string_view text) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// A whole number of milliseconds (or seconds), its default shown in --help.
void add_duration(CLI::App& app, const std::string& name, std::chrono::milliseconds& target, const std::string& help);
void add_duration(CLI::App& app, const std::string& name, std::chrono::seconds& target, const std::string& help);

struct HostPort {
    std::string host;  // brackets of an IPv6 literal removed; empty becomes 127.0.0.1
    unsigned short port = 0;
};
// "host:port", "[v6]:port" or ":port"; nullopt when it is none of them.
std::optional<HostPort> parse_host_port(std::string_view text);

}  // namespace mcpshim::options
