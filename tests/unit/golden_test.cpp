// Runs every golden transcript under fixtures/golden (see its README).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/modern_request.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

namespace {

json load(const std::filesystem::path& path) {
    std::ifstream file(path);
    return json::parse(file);
}

void check_request(const json& golden) {
    const auto& s = golden["session"];
    SessionView session{s["protocolVersion"], s["clientInfo"], s["clientCapabilities"], std::nullopt};
    if (s.contains("logLevel")) session.log_level = s["logLevel"].get<std::string>();
    TraceContext trace;
    if (golden.contains("trace")) trace.traceparent = golden["trace"].value("traceparent", "");
    std::optional<ToolHeaderSpec> tool;
    if (golden.contains("toolSchema")) tool = inspect_tool_headers(golden["toolSchema"]);
    const auto modern =
        to_modern_request(golden["legacy"], golden["upstreamId"], session, trace, tool ? &*tool : nullptr);
    CHECK(modern.body.dump(2) == golden["modern"].dump(2));
    HeaderList expected;
    for (const auto& pair : golden["headers"]) expected.emplace_back(pair[0], pair[1]);
    CHECK(modern.headers == expected);
}

}  // namespace

TEST_CASE("golden transcripts") {
    const std::filesystem::path dir = std::filesystem::path(MCPSHIM_SOURCE_DIR) / "fixtures" / "golden";
    int cases = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        const auto golden = load(entry.path());
        const std::string kind = golden["kind"];
        INFO(entry.path().filename().string() << ": " << golden.value("description", ""));
        ++cases;
        if (kind == "request") {
            check_request(golden);
        } else if (kind == "result") {
            const auto legacy = to_legacy_result(golden["method"].get<std::string>(), golden["modern"],
                                                 golden["version"].get<std::string>());
            CHECK(legacy.result.dump(2) == golden["legacy"].dump(2));
        } else if (kind == "error") {
            const auto legacy = to_legacy_error(golden["method"].get<std::string>(), golden["modern"],
                                                golden["version"].get<std::string>());
            CHECK(legacy.dump(2) == golden["legacy"].dump(2));
        } else if (kind == "initialize") {
            auto discover = read_discover_result(golden["discover"]);
            REQUIRE(std::holds_alternative<DiscoverInfo>(discover));
            const auto result =
                initialize_result(std::get<DiscoverInfo>(discover), golden["version"].get<std::string>(),
                                  ShimProvided{true, false}, json::object());
            CHECK(result.dump(2) == golden["initialize"].dump(2));
        } else {
            FAIL("unknown golden kind " << kind);
        }
    }
    CHECK(cases >= 10);
}
