// A client's request bytes through the framing check and Beast's request
// parser under the shim's limits, as the HTTP face reads them.
#include <cstddef>
#include <cstdint>

#include <boost/beast/http.hpp>

#include "wire/request_framing.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto head = mcpshim::wire::request_head_length(bytes);
    if (!head) return 0;
    if (mcpshim::wire::check_request_framing(bytes.substr(0, *head))) return 0;
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(64 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (!ec && parser.is_header_done()) (void)parser.get()[http::field::host];
    return 0;
}
