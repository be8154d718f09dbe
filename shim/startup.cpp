#include "startup.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mcpshim::startup {

namespace net = boost::asio;

session::SessionKeyring load_session_keys(const ServeConfig& config, bool warn_when_random) {
    if (!config.session_key_file.empty()) {
        std::ifstream file(config.session_key_file);
        if (!file) throw std::runtime_error("cannot read --session-key-file " + config.session_key_file);
        std::stringstream text;
        text << file.rdbuf();
        return session::SessionKeyring::from_text(text.str());
    }
    if (const char* env = std::getenv(config.session_key_env.c_str()); env && *env)
        return session::SessionKeyring::from_text(env);
    if (warn_when_random)
        spdlog::warn(
            "no session key given (--session-key-file or ${}): using a random key, so sessions will not "
            "survive a restart and other shim processes cannot serve them",
            config.session_key_env);
    return session::SessionKeyring::random_key();
}

std::vector<upstream::UpstreamEndpoint> parse_upstreams(const ServeConfig& config) {
    std::vector<upstream::UpstreamEndpoint> endpoints;
    for (const auto& url : config.upstream_urls) {
        std::string error;
        auto endpoint = upstream::parse_upstream_url(url, error);
        if (!endpoint) throw std::runtime_error(error);
        endpoints.push_back(std::move(*endpoint));
    }
    if (endpoints.empty()) throw std::runtime_error("at least one --upstream URL is required");
    return endpoints;
}

net::ssl::context upstream_tls_context(const ServeConfig& config) {
    net::ssl::context tls(net::ssl::context::tls_client);
    tls.set_default_verify_paths();
    if (!config.upstream_ca_file.empty()) tls.load_verify_file(config.upstream_ca_file);
    tls.set_verify_mode(config.upstream_insecure ? net::ssl::verify_none : net::ssl::verify_peer);
    return tls;
}

SharedState::SharedState(const ServeConfig& config, bool warn_when_random_key)
    : keys(load_session_keys(config, warn_when_random_key)),
      endpoints(parse_upstreams(config)),
      store(config.store_limits, config.replay_limits),
      tls(upstream_tls_context(config)) {}

ThreadState::ThreadState(net::any_io_executor executor, const ServeConfig& config, SharedState& shared)
    : pool(executor, shared.endpoints, config.upstream_timeouts, config.upstream_limits, shared.tls),
      discover(pool),
      tool_schemas(pool, config.tool_schema_min_ttl),
      opened_tokens(config.opened_token_cache),
      listen_hub(executor, pool),
      context{config, shared.keys, shared.store, pool, discover, tool_schemas, opened_tokens, listen_hub,
              shared.sse_connections,
              nullptr, {}, 0} {}

}  // namespace mcpshim::startup
