// The analyzer's recording reader, then the traffic model and every rule, on any bytes.
#include "reader_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return fuzzing::read_as(data, size, mcpshim::analyzer::read_recording);
}
