// SARIF 2.1.0, as GitHub code scanning takes it: one rule per analyzer rule
// (with help text), one result per finding, located in the log file.
#include "mcpshim/analyzer/report.hpp"

namespace mcpshim::analyzer {

namespace {

std::string level_of(Severity severity) {
    switch (severity) {
        case Severity::breaks_when_stateless:
            return "error";
        case Severity::breaks_behind_round_robin:
            return "warning";
        case Severity::needs_translation:
            return "note";
        case Severity::informational:
            return "none";
    }
    return "none";
}

json text_of(std::string text) {
    json out = json::object();
    out["text"] = std::move(text);
    return out;
}

json sarif_rule(const RuleInfo& info) {
    json rule = json::object();
    rule["id"] = info.id;
    rule["name"] = info.id;
    rule["shortDescription"] = text_of(info.title);
    rule["fullDescription"] = text_of("Looks for " + info.looks_for + ".");
    json help = json::object();
    help["text"] = info.advice + " (" + info.spec + ")";
    help["markdown"] = "**" + info.title + "**\n\nLooks for " + info.looks_for + ".\n\n" + info.advice + "\n\n" +
                       "Reference: " + info.spec +
                       (info.shim_covers ? "\n\nmcpshim covers this for legacy clients." : "");
    rule["help"] = std::move(help);
    json configuration = json::object();
    configuration["level"] = level_of(info.severity);
    rule["defaultConfiguration"] = std::move(configuration);
    json properties = json::object();
    properties["severity"] = std::string(severity_id(info.severity));
    rule["properties"] = std::move(properties);
    return rule;
}

json sarif_location(const Evidence& evidence) {
    json physical = json::object();
    json artifact = json::object();
    artifact["uri"] = evidence.where.file;
    physical["artifactLocation"] = std::move(artifact);
    if (evidence.where.line > 0) {
        json region = json::object();
        region["startLine"] = evidence.where.line;
        physical["region"] = std::move(region);
    }
    json location = json::object();
    location["physicalLocation"] = std::move(physical);
    location["message"] =
        text_of(evidence.where.entry >= 0 ? "HAR entry " + std::to_string(evidence.where.entry) + ": " + evidence.what
                                          : evidence.what);
    return location;
}

}  // namespace

void write_sarif(const AnalysisResult& result, std::ostream& out) {
    json driver = json::object();
    driver["name"] = "mcpshim analyze";
    driver["informationUri"] = "https://modelcontextprotocol.io/specification/2026-07-28";
    driver["version"] = MCPSHIM_VERSION;
    json rules = json::array();
    for (const auto& rule : rule_catalogue()) rules.push_back(sarif_rule(rule->info()));
    driver["rules"] = std::move(rules);

    json results = json::array();
    for (const auto& report : result.servers) {
        for (const auto& finding : report.findings) {
            json one = json::object();
            one["ruleId"] = finding.rule;
            one["level"] = level_of(finding.severity);
            one["message"] = text_of(report.server->display() + ": " + finding.message +
                                     (finding.change.empty() ? "" : " Change: " + finding.change));
            json locations = json::array();
            for (const auto& evidence : finding.evidence) locations.push_back(sarif_location(evidence));
            if (locations.empty()) {
                Evidence somewhere{Location{result.inputs.empty() ? "" : result.inputs.front().file, 0, -1}, ""};
                locations.push_back(sarif_location(somewhere));
            }
            one["locations"] = std::move(locations);
            json properties = json::object();
            properties["server"] = report.server->key;
            properties["confidence"] = finding.confidence;
            properties["tools"] = finding.tools;
            one["properties"] = std::move(properties);
            results.push_back(std::move(one));
        }
    }
    json tool = json::object();
    tool["driver"] = std::move(driver);
    json run = json::object();
    run["tool"] = std::move(tool);
    run["results"] = std::move(results);
    json document = json::object();
    document["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    document["version"] = "2.1.0";
    document["runs"] = json::array({std::move(run)});
    out << document.dump(2) << "\n";
}

}  // namespace mcpshim::analyzer
