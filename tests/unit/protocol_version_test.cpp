#include <catch2/catch.hpp>

#include "mcpshim/rewrite/protocol_version.hpp"

using namespace mcpshim::rewrite;

TEST_CASE("legacy negotiation echoes a supported version, else offers the newest") {
    CHECK(negotiate_legacy_version("2025-06-18") == "2025-06-18");
    CHECK(negotiate_legacy_version("2024-11-05") == "2024-11-05");
    CHECK(negotiate_legacy_version("2025-11-25") == "2025-11-25");
    CHECK(negotiate_legacy_version("2024-10-07") == "2025-11-25");
    CHECK(negotiate_legacy_version("2026-07-28") == "2025-11-25");
    CHECK(negotiate_legacy_version("garbage") == "2025-11-25");
}

TEST_CASE("a version cap holds newer clients back") {
    CHECK(negotiate_legacy_version("2025-11-25", "2025-06-18") == "2025-06-18");
    CHECK(negotiate_legacy_version("2025-03-26", "2025-06-18") == "2025-03-26");
}

TEST_CASE("eras") {
    CHECK(era_of("2025-03-26") == Era::legacy);
    CHECK(era_of("2026-07-28") == Era::modern);
    CHECK_FALSE(era_of("1999-01-01"));
}
