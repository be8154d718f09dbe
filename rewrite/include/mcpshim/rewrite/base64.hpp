#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace mcpshim::rewrite {

std::string base64_encode(std::string_view bytes);                // standard alphabet, padded
std::string base64url_encode(std::string_view bytes);             // URL alphabet, unpadded
std::optional<std::string> base64_decode(std::string_view text);  // standard, padding required
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace mcpshim::rewrite
