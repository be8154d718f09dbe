#pragma once
// The analyzer's readers take a path: each input is written to a file of
// this process's own, read, and fed to the traffic model and every rule.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "mcpshim/analyzer/readers.hpp"
#include "mcpshim/analyzer/rules.hpp"
#include "mcpshim/analyzer/traffic.hpp"

namespace fuzzing {

template <typename Reader>
int read_as(const std::uint8_t* data, std::size_t size, Reader reader) {
    using namespace mcpshim::analyzer;
    static const std::string path = "/tmp/mcpshim-fuzz-" + std::to_string(::getpid()) + ".input";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    RuleRunner rules;
    TrafficLimits limits;
    limits.max_live_sessions = 8;
    limits.json.max_depth = 64;
    Traffic traffic([&rules](const Server& server, const Session& session) { rules.session(server, session); }, limits);
    reader(path, [&](WireMessage&& message) { traffic.add(std::move(message)); }, limits.json, Progress{});
    traffic.finish();
    (void)rules.reports(traffic);
    return 0;
}

}  // namespace fuzzing
