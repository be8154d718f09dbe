#include "wire/http_wire.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace mcpshim::wire {

namespace {

void append_number(std::string& out, std::size_t value, int base = 10) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value, base).ptr;
    out.append(digits, end);
}

// A value must not end the header early: CR and LF become spaces.
void append_header(std::string& out, std::string_view name, std::string_view value) {
    out.append(name);
    out.append(": ");
    const auto start = out.size();
    out.append(value);
    for (auto i = start; i < out.size(); ++i)
        if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
    out.append("\r\n");
}

std::size_t headers_size(const rewrite::HeaderList& headers) {
    std::size_t size = 0;
    for (const auto& [name, value] : headers) size += name.size() + value.size() + 4;
    return size;
}

}  // namespace

std::string format_response(const ResponseHead& head, const rewrite::HeaderList& extra, std::string_view body) {
    const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(head.status));
    std::string out;
    out.reserve(160 + headers_size(extra) + (head.chunked ? 0 : body.size()));
    out.append(head.http_version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    append_number(out, head.status);
    out.push_back(' ');
    out.append(reason.data(), reason.size());
    out.append("\r\nServer: mcpshim\r\n");
    if (!head.content_type.empty()) append_header(out, "Content-Type", head.content_type);
    for (const auto& [name, value] : extra) append_header(out, name, value);
    // HTTP/1.1 keeps a connection by default and HTTP/1.0 closes it: say so only when it differs.
    if (head.http_version == 10 && head.keep_alive) out.append("Connection: keep-alive\r\n");
    if (head.http_version != 10 && !head.keep_alive) out.append("Connection: close\r\n");
    if (head.chunked) {
        out.append("Transfer-Encoding: chunked\r\n\r\n");
        return out;
    }
    out.append("Content-Length: ");
    append_number(out, body.size());
    out.append("\r\n\r\n");
    out.append(body);
    return out;
}

std::string format_request(const RequestHead& head, const rewrite::HeaderList& headers, std::string_view body) {
    std::string out;
    out.reserve(96 + head.target.size() + head.host.size() + headers_size(headers) + body.size());
    out.append(head.method);
    out.push_back(' ');
    out.append(head.target);
    out.append(" HTTP/1.1\r\n");
    append_header(out, "Host", head.host);
    for (const auto& [name, value] : headers) append_header(out, name, value);
    out.append("Content-Length: ");
    append_number(out, body.size());
    out.append("\r\n\r\n");
    out.append(body);
    return out;
}

std::string format_chunk(std::string_view data) {
    std::string out;
    out.reserve(data.size() + 12);
    append_number(out, data.size(), 16);
    out.append("\r\n");
    out.append(data);
    out.append("\r\n");
    return out;
}

}  // namespace mcpshim::wire
