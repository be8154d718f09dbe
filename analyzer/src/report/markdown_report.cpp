// A migration plan per server: the verdict, each blocker with its concrete
// change, and what mcpshim covers while the migration happens.
#include "mcpshim/analyzer/report.hpp"

namespace mcpshim::analyzer {

void write_markdown(const AnalysisResult& result, std::ostream& out) {
    out << "# Migration plan to MCP 2026-07-28 (stateless)\n\n";
    out << "Read from:";
    for (const auto& input : result.inputs) out << " `" << input.file << "` (" << input.format << ")";
    out << "\n";
    for (const auto& report : result.servers) {
        out << "\n## " << report.server->display() << "\n\n";
        out << "**Verdict: " << verdict(report) << ".** " << report.sessions << " sessions, " << report.calls
            << " requests seen.\n";
        std::vector<const Finding*> blockers, covered, notes;
        for (const auto& finding : report.findings) {
            const RuleInfo* rule = find_rule(finding.rule);
            if (finding.severity == Severity::informational)
                notes.push_back(&finding);
            else if (rule && rule->shim_covers)
                covered.push_back(&finding);
            else
                blockers.push_back(&finding);
        }
        if (!blockers.empty()) {
            out << "\n### Blockers\n\n";
            for (const auto* finding : blockers) {
                out << "- **" << finding->rule << "** (" << describe(finding->severity) << ", confidence "
                    << finding->confidence << "): " << finding->message << "\n  - Change: " << finding->change << "\n";
                for (std::size_t i = 0; i < finding->evidence.size() && i < 3; ++i)
                    out << "  - Evidence: `" << finding->evidence[i].where.describe() << "` "
                        << finding->evidence[i].what << "\n";
            }
        }
        if (!covered.empty()) {
            out << "\n### Covered by mcpshim while you migrate\n\n";
            for (const auto* finding : covered)
                out << "- **" << finding->rule << "**: " << finding->message << " Later: " << finding->change << "\n";
        }
        if (!notes.empty()) {
            out << "\n### Notes\n\n";
            for (const auto* finding : notes) out << "- " << finding->message << "\n";
        }
        if (report.findings.empty()) out << "\nNothing to change: no state was seen riding on the session.\n";
    }
}

}  // namespace mcpshim::analyzer
