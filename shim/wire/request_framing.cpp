#include "wire/request_framing.hpp"

#include <algorithm>
#include <cctype>

namespace mcpshim::wire {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::size_t leading_blank_lines(std::string_view bytes) {
    std::size_t at = 0;
    while (bytes.substr(at, 2) == "\r\n") at += 2;
    return at;
}

}  // namespace

std::optional<std::size_t> request_head_length(std::string_view bytes) {
    const std::size_t start = leading_blank_lines(bytes);
    const auto end = bytes.find("\r\n\r\n", start);
    if (end == std::string_view::npos) return std::nullopt;
    return end + 4;
}

std::optional<FramingRefusal> check_request_framing(std::string_view head) {
    head.remove_prefix(leading_blank_lines(head));
    const auto line_end = head.find("\r\n");
    if (line_end == std::string_view::npos) return FramingRefusal{400, "the request line does not end"};
    const std::string_view request_line = head.substr(0, line_end);
    const bool http10 = request_line.ends_with(" HTTP/1.0");
    std::size_t hosts = 0;
    std::string transfer_encoding;
    bool has_transfer_encoding = false;
    std::optional<std::string_view> content_length;
    std::size_t at = line_end + 2;
    while (at < head.size()) {
        const auto end = head.find("\r\n", at);
        if (end == std::string_view::npos || end == at) break;  // the blank line
        const std::string_view line = head.substr(at, end - at);
        at = end + 2;
        if (line.front() == ' ' || line.front() == '\t')
            return FramingRefusal{400, "a header line is folded (obs-fold, RFC 9112 section 5.2)"};
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return FramingRefusal{400, "a header line has no colon"};
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "host")) {
            ++hosts;
        } else if (iequals(name, "transfer-encoding")) {
            has_transfer_encoding = true;
            if (!transfer_encoding.empty()) transfer_encoding += ',';
            transfer_encoding += value;
        } else if (iequals(name, "content-length")) {
            if (content_length && *content_length != value)
                return FramingRefusal{400, "Content-Length is given twice with different values"};
            content_length = value;
        }
    }
    if (hosts > 1) return FramingRefusal{400, "more than one Host header"};
    if (hosts == 0 && !http10) return FramingRefusal{400, "an HTTP/1.1 request needs a Host header"};
    if (has_transfer_encoding) {
        if (http10) return FramingRefusal{400, "Transfer-Encoding is not part of HTTP/1.0"};
        if (content_length) return FramingRefusal{400, "Transfer-Encoding and Content-Length together"};
        if (!iequals(trim(transfer_encoding), "chunked"))
            return FramingRefusal{501, "the only transfer coding accepted is chunked (got \"" +
                                           std::string(trim(transfer_encoding).substr(0, 64)) + "\")"};
    }
    return std::nullopt;
}

}  // namespace mcpshim::wire
