#include <catch2/catch.hpp>

#include "mcpshim/rewrite/json.hpp"
#include "mcpshim/rewrite/safe_text.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

TEST_CASE("valid_utf8 keeps valid text and replaces each bad byte") {
    CHECK(valid_utf8("plain") == "plain");
    CHECK(valid_utf8("Hello, \xE4\xB8\x96\xE7\x95\x8C") == "Hello, \xE4\xB8\x96\xE7\x95\x8C");
    CHECK(valid_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong
    CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    CHECK(valid_utf8("x\xE4\xB8") == "x\xEF\xBF\xBD\xEF\xBF\xBD");       // cut in half
}

TEST_CASE("utf8_prefix never cuts a character") {
    const std::string text = "ab\xE4\xB8\x96";
    CHECK(utf8_prefix(text, 3) == "ab");
    CHECK(utf8_prefix(text, 4) == "ab");
    CHECK(utf8_prefix(text, 5) == text);
    CHECK(utf8_prefix(text, 2) == "ab");
}

TEST_CASE("log_safe makes one line of anything") {
    CHECK(log_safe("tools/call\n2026-01-01 info forged") == "tools/call\\x0a2026-01-01 info forged");
    CHECK(log_safe("a\rb\x7f\x01") == "a\\x0db\\x7f\\x01");
    CHECK(log_safe(std::string(300, 'x'), 10) == "xxxxxxxxxx...");
    CHECK(log_safe("\xFF") == "\xEF\xBF\xBD");
}

TEST_CASE("to_text never throws on a string that is not UTF-8") {
    json value{{"origin", std::string("http://\xFF\xFE")}};
    CHECK_NOTHROW(to_text(value));
    CHECK(to_text(value) == "{\"origin\":\"http://\xEF\xBF\xBD\xEF\xBF\xBD\"}");
}
