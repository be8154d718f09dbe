#include <fstream>

#include "readers/reader_support.hpp"

namespace mcpshim::analyzer {

// The format is told by the first bytes: a recording starts with its header
// line, a HAR file is one JSON object with "log", anything else is read as a
// stdio log.
InputSummary read_log(const std::string& path, const WireSink& sink, const rewrite::JsonLimits& limits,
                      const Progress& progress) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        InputSummary summary;
        summary.file = path;
        summary.unreadable = true;
        summary.error = "cannot open " + path;
        return summary;
    }
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.find("\"mcpshim-recording\"") != std::string::npos) return read_recording(path, sink, limits, progress);
    const auto first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first != std::string::npos && head[first] == '{') {
        const auto key = head.find_first_not_of(" \t\r\n", first + 1);
        if (key != std::string::npos && head.compare(key, 5, "\"log\"") == 0) return read_har(path, sink, limits, progress);
    }
    return read_stdio_log(path, sink, limits, progress);
}

}  // namespace mcpshim::analyzer
