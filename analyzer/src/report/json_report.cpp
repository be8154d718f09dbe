#include "mcpshim/analyzer/report.hpp"

namespace mcpshim::analyzer {

namespace {
json location_json(const Location& where) {
    json out = json::object();
    out["file"] = where.file;
    if (where.entry >= 0)
        out["entry"] = where.entry;
    else
        out["line"] = where.line;
    return out;
}

// A place in a log with what was seen there, under `label`.
template <typename Items, typename Text>
json located(const Items& items, const char* label, Text text) {
    json out = json::array();
    for (const auto& item : items) {
        json one = location_json(item.where);
        one[label] = text(item);
        out.push_back(std::move(one));
    }
    return out;
}
}  // namespace

json finding_json(const Finding& finding) {
    json out = json::object();
    out["rule"] = finding.rule;
    out["severity"] = std::string(severity_id(finding.severity));
    out["confidence"] = finding.confidence;
    out["confidenceReason"] = finding.confidence_reason;
    out["message"] = finding.message;
    out["tools"] = finding.tools;
    out["argumentKeys"] = finding.argument_keys;
    out["change"] = finding.change;
    const RuleInfo* rule = find_rule(finding.rule);
    out["shimCovers"] = rule && rule->shim_covers;
    out["evidence"] = located(finding.evidence, "what", [](const Evidence& e) { return e.what; });
    return out;
}

void write_json(const AnalysisResult& result, std::ostream& out) {
    json document = json::object();
    json inputs = json::array();
    for (const auto& input : result.inputs) {
        json one = json::object();
        one["file"] = input.file;
        one["format"] = input.format;
        one["entries"] = input.entries;
        one["messages"] = input.messages;
        one["bytes"] = input.bytes;
        one["brokenCount"] = input.broken_count;
        one["broken"] = located(input.broken, "why", [](const BrokenEntry& b) { return b.why; });
        if (input.unreadable) one["error"] = input.error;
        inputs.push_back(std::move(one));
    }
    document["inputs"] = std::move(inputs);
    json servers = json::array();
    for (const auto& report : result.servers) {
        json one = json::object();
        one["server"] = report.server->key;
        one["name"] = report.server->name;
        one["version"] = report.server->version;
        one["sessions"] = report.sessions;
        one["requests"] = report.calls;
        one["verdict"] = verdict(report);
        json findings = json::array();
        for (const auto& finding : report.findings) findings.push_back(finding_json(finding));
        one["findings"] = std::move(findings);
        servers.push_back(std::move(one));
    }
    document["servers"] = std::move(servers);
    out << document.dump(2) << "\n";
}

}  // namespace mcpshim::analyzer
