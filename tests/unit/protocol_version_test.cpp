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

TEST_CASE("what each legacy version added is asked by name") {
    using namespace mcpshim::rewrite;
    CHECK(allows_batches("2025-03-26"));
    CHECK_FALSE(allows_batches("2024-11-05"));
    CHECK_FALSE(allows_batches("2025-06-18"));
    CHECK_FALSE(allows_batches("2025-11-25"));
    CHECK(resumes_by_polling("2025-11-25"));
    CHECK_FALSE(resumes_by_polling("2025-06-18"));
    CHECK(has_progress_message("2025-03-26"));
    CHECK_FALSE(has_progress_message("2024-11-05"));
}
