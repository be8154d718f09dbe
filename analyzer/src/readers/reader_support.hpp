#pragma once
// What every reader shares: line-by-line reading with progress, the broken
// entry log, and JSON-RPC bodies that may be batches.
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "mcpshim/analyzer/readers.hpp"

namespace mcpshim::analyzer {

// Keeps the first few broken entries and counts them all.
void add_broken(InputSummary& summary, Location where, std::string why);

// A JSON-RPC body: one message, or each message of a batch.
std::vector<json> messages_of(const json& body);

// An integer member, or 0 when it is missing or not an integer.
std::int64_t integer(const json& object, const char* key);

class LineReader {
public:
    LineReader(const std::string& path, const Progress& progress);
    bool ok() const { return static_cast<bool>(in_); }
    // The next line without its end; false at the end of the file.
    bool next(std::string& line);
    std::uint64_t line_number() const { return line_number_; }
    std::uint64_t bytes() const { return bytes_; }

private:
    std::ifstream in_;
    const Progress& progress_;
    std::uint64_t total_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t line_number_ = 0;
    std::uint64_t reported_at_ = 0;
};

std::uint64_t file_size(const std::string& path);

}  // namespace mcpshim::analyzer
