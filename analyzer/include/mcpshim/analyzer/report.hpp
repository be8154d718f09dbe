#pragma once
// The analyzer's reports: terminal text grouped by server, JSON, SARIF 2.1.0
// (for code scanning), and a Markdown migration plan per server.
#include <ostream>
#include <vector>

#include "mcpshim/analyzer/rules.hpp"

namespace mcpshim::analyzer {

struct AnalysisResult {
    std::vector<InputSummary> inputs;
    std::vector<ServerReport> servers;
};

void write_text(const AnalysisResult& result, std::ostream& out);
void write_json(const AnalysisResult& result, std::ostream& out);
void write_sarif(const AnalysisResult& result, std::ostream& out);
void write_markdown(const AnalysisResult& result, std::ostream& out);

// The JSON form of one finding (shared by the JSON and SARIF reports).
json finding_json(const Finding& finding);

}  // namespace mcpshim::analyzer
