#include <catch2/catch.hpp>

#include "mcpshim/rewrite/base64.hpp"

using namespace mcpshim::rewrite;

TEST_CASE("base64 round-trips every length and rejects non-canonical text") {
    std::string bytes;
    for (int n = 0; n < 40; ++n) {
        CHECK(base64_decode(base64_encode(bytes)) == bytes);
        CHECK(base64url_decode(base64url_encode(bytes)) == bytes);
        bytes += char(n * 37);
    }
    CHECK(base64_encode("Hello") == "SGVsbG8=");
    CHECK_FALSE(base64_decode("SGVsbG8"));      // missing padding
    CHECK_FALSE(base64_decode("SGVs!!!bG8="));  // bad characters
    CHECK_FALSE(base64url_decode("a"));
}
