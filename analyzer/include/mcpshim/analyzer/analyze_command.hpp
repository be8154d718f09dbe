#pragma once
// `mcpshim analyze FILE...`: reads the logs, judges each server, prints a report.
#include <string>
#include <vector>

#include "mcpshim/analyzer/traffic.hpp"

namespace mcpshim::analyzer {

struct AnalyzeOptions {
    std::vector<std::string> files;
    std::string format = "text";                    // text, json, sarif, markdown
    std::string fail_on = "breaks-when-stateless";  // a severity id, or "never"
    std::string out_path;                           // empty: standard output
    bool progress = false;                          // progress on stderr
    TrafficLimits limits;                           // --max-live-sessions
};

// 0: nothing at or above fail_on; 1: findings; 2: bad usage or unreadable input.
int run_analyze(const AnalyzeOptions& options);

}  // namespace mcpshim::analyzer
