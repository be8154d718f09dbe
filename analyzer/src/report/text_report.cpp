#include "mcpshim/analyzer/report.hpp"

namespace mcpshim::analyzer {

void write_text(const AnalysisResult& result, std::ostream& out) {
    for (const auto& input : result.inputs) {
        out << input.file << ": " << (input.unreadable ? "unreadable: " + input.error : input.format) << ", "
            << input.entries << " entries, " << input.messages << " messages";
        if (input.broken_count > 0) out << ", " << input.broken_count << " broken (skipped)";
        out << "\n";
        for (const auto& broken : input.broken)
            out << "  skipped " << broken.where.describe() << ": " << broken.why << "\n";
    }
    for (const auto& report : result.servers) {
        out << "\n== " << report.server->display() << "\n"
            << "   " << report.sessions << " sessions, " << report.calls << " requests; " << verdict(report) << "\n";
        for (const auto& finding : report.findings) {
            const RuleInfo* rule = find_rule(finding.rule);
            out << "\n  [" << describe(finding.severity) << "] " << finding.rule << ": " << (rule ? rule->title : "")
                << "\n    " << finding.message << "\n"
                << "    confidence " << finding.confidence << " (" << finding.confidence_reason << ")\n";
            if (!finding.change.empty()) out << "    change: " << finding.change << "\n";
            if (rule && rule->shim_covers) out << "    mcpshim covers this for legacy clients meanwhile\n";
            for (const auto& evidence : finding.evidence)
                out << "    - " << evidence.where.describe() << "  " << evidence.what << "\n";
        }
    }
}

}  // namespace mcpshim::analyzer
