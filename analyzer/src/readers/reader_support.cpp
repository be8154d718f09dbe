#include "readers/reader_support.hpp"

#include "mcpshim/rewrite/jsonrpc.hpp"

#include <openssl/evp.h>

#include <filesystem>

namespace mcpshim::analyzer {

namespace {
constexpr std::size_t kept_broken_entries = 20;
constexpr std::uint64_t progress_step = 4 * 1024 * 1024;
}  // namespace

std::string Location::describe() const {
    if (entry >= 0) return file + " entry " + std::to_string(entry);
    return file + ":" + std::to_string(line);
}

std::string principal_of(std::string_view authorization) {
    if (authorization.empty()) return "anonymous";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(authorization.data(), authorization.size(), digest, &length, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < length && out.size() < 32; ++i) {  // as the shim digests it
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

void add_broken(InputSummary& summary, Location where, std::string why) {
    ++summary.broken_count;
    if (summary.broken.size() < kept_broken_entries) summary.broken.push_back({std::move(where), std::move(why)});
}

// Only messages of the JSON-RPC shape go on: the model reads their fields
// by type (a log may hold anything under "method" or "error").
std::vector<json> messages_of(const json& body) {
    std::vector<json> out;
    const auto keep = [&](const json& item) {
        if (!rewrite::malformed_upstream_message(item)) out.push_back(item);
    };
    if (body.is_array()) {
        for (const auto& item : body) keep(item);
    } else {
        keep(body);
    }
    return out;
}

std::int64_t integer(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::uint64_t file_size(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
}

LineReader::LineReader(const std::string& path, const Progress& progress)
    : in_(path, std::ios::binary), progress_(progress), total_(file_size(path)) {}

bool LineReader::next(std::string& line) {
    if (!std::getline(in_, line)) {
        if (progress_) progress_(bytes_, total_);
        return false;
    }
    ++line_number_;
    bytes_ += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (progress_ && bytes_ - reported_at_ >= progress_step) {
        reported_at_ = bytes_;
        progress_(bytes_, total_);
    }
    return true;
}

}  // namespace mcpshim::analyzer
