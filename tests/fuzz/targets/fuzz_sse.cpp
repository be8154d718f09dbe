// The SSE parser fed the same bytes in two ways (whole, and split at a point
// the input chooses) gives the same events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "mcpshim/rewrite/sse.hpp"

using namespace mcpshim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t cut = data[0] % size;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    rewrite::SseParser whole(4096), split(4096);
    std::vector<rewrite::SseEvent> a, b;
    const bool ok_whole = whole.feed(text, a);
    bool ok_split = split.feed(text.substr(0, std::min(cut, text.size())), b);
    if (ok_split) ok_split = split.feed(text.substr(std::min(cut, text.size())), b);
    if (ok_whole != ok_split) return 0;  // the bound may trip at a different event
    if (ok_whole && a.size() != b.size()) std::abort();
    for (std::size_t i = 0; ok_whole && i < a.size(); ++i)
        if (a[i].data != b[i].data || a[i].id != b[i].id || a[i].event != b[i].event) std::abort();
    return 0;
}
