#include <catch2/catch.hpp>

#include "startup.hpp"

using mcpshim::startup::plan_descriptors;

TEST_CASE("the connection bound follows the open-file limit by default") {
    const auto plan = plan_descriptors(0, 1, 256, 1024, 20000);
    REQUIRE(plan.error.empty());
    CHECK(plan.max_connections == 9840);  // (20000 - 64 - 256) / 2
    CHECK(plan.soft_limit == 20000);
    const auto capped = plan_descriptors(0, 1, 256, 1024, 1048576);
    CHECK(capped.max_connections == 10000);
    CHECK(capped.soft_limit == 10000 * 2 + 64 + 256);
}

TEST_CASE("a connection bound over the hard limit is refused with what to change") {
    const auto plan = plan_descriptors(1000, 2, 256, 64, 1024);
    CHECK(plan.error.find("--max-connections 1000 with --threads 2") != std::string::npos);
    CHECK(plan.error.find("hard limit of 1024") != std::string::npos);
    CHECK_FALSE(plan_descriptors(0, 1, 256, 64, 300).error.empty());  // no room for 16
    const auto fits = plan_descriptors(100, 1, 0, 4096, 8192);
    CHECK(fits.error.empty());
    CHECK(fits.soft_limit == 4096);  // already enough: never lowered
}
