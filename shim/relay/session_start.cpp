#include "relay/session_start.hpp"

#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/capabilities.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "mcpshim/rewrite/tasks.hpp"

namespace mcpshim::relay {

namespace code = rewrite::error_code;

namespace {
// Outside the coroutine: braced json literals inside one trip GCC 12.
json fallback_server_info(const std::string& host) {
    return json{{"name", host}, {"version", "unknown"}};
}
}  // namespace

boost::asio::awaitable<SessionStart> start_session(RelayContext& ctx, rewrite::Message message, std::string principal,
                                                   std::string authorization, std::int64_t lifetime_s) {
    SessionStart start;
    const auto& id = message.id();
    const json params = message.body.value("params", json::object());
    const auto requested = params.value("protocolVersion", json());
    if (!requested.is_string()) {
        start.answer = rewrite::make_error(id, code::invalid_params, "initialize needs params.protocolVersion");
        co_return start;
    }
    auto discovered = co_await ctx.discover.get(principal, authorization);
    if (!discovered.info) {
        start.answer = rewrite::make_error(id, code::internal_error,
                                           "mcpshim could not initialize: " + discovered.error, discovered.error_data);
        co_return start;
    }
    session::SessionClaims claims;
    claims.protocol_version =
        rewrite::negotiate_legacy_version(requested.get<std::string>(), ctx.settings.max_legacy_version);
    claims.client_info = params.value("clientInfo", json::object());
    claims.client_capabilities = params.value("capabilities", json::object());
    claims.issued_at = session::unix_now();
    claims.expires_at = claims.issued_at + lifetime_s;
    claims.principal = principal;
    claims.session_id = session::random_hex(8);
    const auto& upstream_capabilities = discovered.info->capabilities;
    const rewrite::ShimProvided provided{
        true, rewrite::supports_resource_subscriptions(upstream_capabilities),
        rewrite::server_offers_tasks(upstream_capabilities) &&
            rewrite::legacy_client_uses_tasks(claims.protocol_version, claims.client_capabilities)};
    start.answer = rewrite::make_result(
        id, rewrite::initialize_result(*discovered.info, claims.protocol_version, provided,
                                       fallback_server_info(ctx.upstream.endpoints().front().host)));
    start.claims = std::move(claims);
    co_return start;
}

json answer_before_initialize(const rewrite::Message& request) {
    return request.method() == method_name::ping
               ? rewrite::make_result(request.id(), json::object())
               : rewrite::make_error(request.id(), code::invalid_request, "send initialize first");
}

}  // namespace mcpshim::relay
