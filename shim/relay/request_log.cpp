#include "relay/request_log.hpp"

#include <spdlog/spdlog.h>

#include "mcpshim/rewrite/safe_text.hpp"

namespace mcpshim::relay {

std::string rpc_name(const rewrite::Message& request) { return rpc_name(request.method(), request.id()); }

std::string rpc_name(const std::string& method, const json& id) {
    return method + " #" + (id.is_string() ? id.get<std::string>() : to_text(id));
}

void log_request(std::string_view what, const RequestLog& log, std::chrono::steady_clock::time_point started) {
    if (!spdlog::should_log(spdlog::level::info)) return;
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    spdlog::info("{} sid={} rpc={} upstream={} {:.1f}ms{}{}{}{}", what, log.session.empty() ? "-" : log.session,
                 log.rpc.empty() ? "-" : rewrite::log_safe(log.rpc), log.upstream.empty() ? "-" : log.upstream, ms,
                 log.era.empty() ? "" : " era=", log.era, log.note.empty() ? "" : " note=", rewrite::log_safe(log.note, 400));
}

}  // namespace mcpshim::relay
