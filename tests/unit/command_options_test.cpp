// One registration per config struct: every subcommand that reads a struct
// names its options the same way, and the shared value parsers refuse junk.
#include <catch2/catch.hpp>

#include "options/command_options.hpp"
#include "options/option_types.hpp"

using namespace mcpshim;

namespace {
// Parses `args` (after the program name) into `app`; false when CLI11 refuses them.
bool parse(CLI::App& app, std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
    try {
        app.parse(args);
        return true;
    } catch (const CLI::ParseError&) {
        return false;
    }
}
}  // namespace

TEST_CASE("host:port is parsed once for every listener") {
    auto v4 = options::parse_host_port("0.0.0.0:8080");
    REQUIRE(v4);
    CHECK(v4->host == "0.0.0.0");
    CHECK(v4->port == 8080);
    auto v6 = options::parse_host_port("[::1]:3920");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(options::parse_host_port(":9")->host == "127.0.0.1");
    for (const char* bad : {"nonsense", "host:", "host:70000", "host:12ab", "host:-1"}) {
        INFO(bad);
        CHECK_FALSE(options::parse_host_port(bad));
    }
}

TEST_CASE("serve and stdio fill the same structs under the same names") {
    ServeConfig serve_config;
    std::string listen;
    CLI::App serve;
    options::add_serve_command_options(serve, serve_config, listen);
    REQUIRE(parse(serve, {"--upstream", "http://a/mcp", "--keepalive-ms", "250", "--max-object-members", "7",
                          "--read-timeout-ms", "1200", "--session-ttl-s", "60", "--poll-after-ms", "5"}));
    CHECK(serve_config.relay.keepalive.count() == 250);
    CHECK(serve_config.relay.json_limits.max_object_members == 7);
    CHECK(serve_config.http.read_timeout.count() == 1200);
    CHECK(serve_config.http.session_ttl.count() == 60);
    CHECK(serve_config.relay.poll_after.count() == 5);

    ServeConfig stdio_config;
    CLI::App stdio;
    options::add_stdio_command_options(stdio, stdio_config);
    REQUIRE(parse(stdio, {"--upstream", "http://a/mcp", "--keepalive-ms", "250", "--drain-timeout-ms", "3"}));
    CHECK(stdio_config.relay.keepalive.count() == 250);
    CHECK(stdio_config.drain_timeout.count() == 3);
    CHECK_FALSE(parse(stdio, {"--upstream", "http://a/mcp", "--poll-after-ms", "5"}));  // nothing to resume on stdio
}

TEST_CASE("record names its upstream waits as serve does") {
    record::RecordConfig config;
    std::string listen;
    CLI::App record;
    options::add_record_command_options(record, config, listen);
    REQUIRE(parse(record, {"--upstream", "http://a/mcp", "--out", "x.jsonl", "--upstream-idle-timeout-ms", "42",
                           "--upstream-timeout-ms", "43"}));
    CHECK(config.upstream_timeouts.idle.count() == 42);
    CHECK(config.upstream_timeouts.response.count() == 43);
}

TEST_CASE("a duration that is not a whole number of units is refused") {
    ServeConfig config;
    CLI::App stdio;
    options::add_stdio_command_options(stdio, config);
    for (const char* bad : {"abc", "12ms", "-5", "1.5"}) {
        INFO(bad);
        CHECK_FALSE(parse(stdio, {"--upstream", "http://a/mcp", "--keepalive-ms", bad}));
    }
}
