#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/analyzer/analyze_command.hpp"

#include "readers/reader_support.hpp"

#include <fstream>
#include <iostream>

#include "mcpshim/analyzer/readers.hpp"
#include "mcpshim/analyzer/report.hpp"

namespace mcpshim::analyzer {

namespace {

Progress progress_printer(const std::string& file) {
    return [file](std::uint64_t done, std::uint64_t total) {
        const int percent =
            total > 0 ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)) : 100;
        std::cerr << "\r" << file << ": " << percent << "% (" << done / (1024 * 1024) << " MiB)" << std::flush;
        if (done >= total) std::cerr << "\n";
    };
}

}  // namespace

int run_analyze(const AnalyzeOptions& options) {
    const auto threshold = parse_severity(options.fail_on);
    if (!threshold && options.fail_on != "never") {
        std::cerr << std::string(option::fail_on) + " must be breaks-when-stateless, breaks-behind-round-robin, needs-translation, "
                     "informational or never\n";
        return 2;
    }
    if (options.format != "text" && options.format != "json" && options.format != "sarif" &&
        options.format != "markdown") {
        std::cerr << std::string(option::format) + " must be text, json, sarif or markdown\n";
        return 2;
    }
    RuleRunner rules;
    Traffic traffic([&rules](const Server& server, const Session& session) { rules.session(server, session); },
                    options.limits);
    AnalysisResult result;
    bool unreadable = false;
    for (const auto& file : options.files) {
        auto summary = read_log(
            file, [&](WireMessage&& message) { traffic.add(std::move(message)); }, options.limits.json,
            options.progress ? progress_printer(file) : Progress{});
        if (summary.unreadable) {
            std::cerr << "mcpshim analyze: " << summary.error << "\n";
            unreadable = true;
        }
        auto [unusable, count] = traffic.take_unusable();
        for (auto& entry : unusable) add_broken(summary, std::move(entry.where), std::move(entry.why));
        summary.broken_count += count - unusable.size();
        result.inputs.push_back(std::move(summary));
    }
    traffic.finish();
    result.servers = rules.reports(traffic);

    std::ofstream file_out;
    if (!options.out_path.empty()) {
        file_out.open(options.out_path);
        if (!file_out) {
            std::cerr << "mcpshim analyze: cannot write " << options.out_path << "\n";
            return 2;
        }
    }
    std::ostream& out = options.out_path.empty() ? std::cout : file_out;
    if (options.format == "json")
        write_json(result, out);
    else if (options.format == "sarif")
        write_sarif(result, out);
    else if (options.format == "markdown")
        write_markdown(result, out);
    else
        write_text(result, out);
    out.flush();

    if (unreadable) return 2;
    if (!threshold) return 0;
    for (const auto& report : result.servers)
        for (const auto& finding : report.findings)
            if (finding.severity <= *threshold) return 1;
    return 0;
}

}  // namespace mcpshim::analyzer
