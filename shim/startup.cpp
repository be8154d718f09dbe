#include "startup.hpp"
#include "mcpshim/rewrite/option_names.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mcpshim::startup {

namespace net = boost::asio;

session::SessionKeyring load_session_keys(const ServeConfig& config, bool warn_when_random) {
    if (!config.session_key_file.empty()) {
        std::ifstream file(config.session_key_file);
        if (!file) throw std::runtime_error("cannot read " + std::string(option::session_key_file) + " " + config.session_key_file);
        std::stringstream text;
        text << file.rdbuf();
        return session::SessionKeyring::from_text(text.str());
    }
    if (const char* env = std::getenv(config.session_key_env.c_str()); env && *env)
        return session::SessionKeyring::from_text(env);
    if (config.shared_store.shared())
        throw std::runtime_error(std::string(option::session_store) + " " + config.shared_store.url +
                                 " is shared by several shim processes, and they must open each other's session "
                                 "ids: give them one key (" + std::string(option::session_key_file) + " or $" +
                                 config.session_key_env + ")");
    if (warn_when_random)
        spdlog::warn(
            "no session key given ({} or ${}): using a random key, so sessions will not "
            "survive a restart and other shim processes cannot serve them",
            option::session_key_file, config.session_key_env);
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
    if (endpoints.empty()) throw std::runtime_error("at least one " + std::string(option::upstream) + " URL is required");
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
      tls(upstream_tls_context(config)) {
    if (config.shared_store.shared())
        fleet = std::make_unique<session::RedisFleet>(config.shared_store, config.store_limits, config.replay_limits);
    else
        memory_store = std::make_unique<session::MemorySessionStore>(config.store_limits, config.replay_limits);
}

DescriptorPlan plan_descriptors(std::size_t requested_connections, unsigned threads, std::size_t idle_upstream,
                                std::uint64_t soft_limit, std::uint64_t hard_limit) {
    constexpr std::size_t default_connections = 10000;
    constexpr std::uint64_t per_connection = 2;  // the client's, and one upstream
    const std::uint64_t reserve = 64 + std::uint64_t(threads) * idle_upstream;
    const auto need = [&](std::size_t connections) { return std::uint64_t(threads) * connections * per_connection + reserve; };
    DescriptorPlan plan;
    if (requested_connections == 0) {
        const std::uint64_t room = hard_limit > reserve ? (hard_limit - reserve) / (per_connection * threads) : 0;
        plan.max_connections = static_cast<std::size_t>(std::min<std::uint64_t>(default_connections, room));
        if (plan.max_connections < 16) {
            plan.error = "the open-file hard limit (" + std::to_string(hard_limit) + ") leaves room for " +
                         std::to_string(plan.max_connections) +
                         " client connections per thread: raise it (ulimit -Hn, systemd LimitNOFILE=)";
            return plan;
        }
    } else {
        plan.max_connections = requested_connections;
        if (need(requested_connections) > hard_limit) {
            plan.error = std::string(option::max_connections) + " " + std::to_string(requested_connections) + " with " + std::string(option::threads) + " " +
                         std::to_string(threads) + " needs " + std::to_string(need(requested_connections)) +
                         " open files (a client and an upstream connection each, and " + std::to_string(reserve) +
                         " more), over the hard limit of " + std::to_string(hard_limit) +
                         ": lower " + std::string(option::max_connections) + " or raise the limit (ulimit -Hn, systemd LimitNOFILE=)";
            return plan;
        }
    }
    plan.soft_limit = std::max(soft_limit, std::min(hard_limit, need(plan.max_connections)));
    return plan;
}

upstream::UpstreamLimits upstream_limits(const ServeConfig& config) {
    auto limits = config.upstream_limits;
    limits.max_json_depth = config.relay.json_limits.max_depth;
    limits.max_object_members = config.relay.json_limits.max_object_members;
    return limits;
}

namespace {

std::unique_ptr<session::RedisSessionStore> thread_store(net::any_io_executor executor, SharedState& shared) {
    if (!shared.fleet) return nullptr;
    return std::make_unique<session::RedisSessionStore>(std::move(executor), *shared.fleet);
}

}  // namespace

ThreadState::ThreadState(net::any_io_executor executor, const ServeConfig& config, SharedState& shared)
    : shared_store(thread_store(executor, shared)),
      pool(executor, shared.endpoints, config.upstream_timeouts, upstream_limits(config), shared.tls),
      discover(pool),
      tool_schemas(pool, config.tool_schema_min_ttl),
      listen_hub(executor, pool),
      context{config.relay,
              shared_store ? static_cast<session::SessionStore&>(*shared_store) : *shared.memory_store,
              pool,
              discover,
              tool_schemas,
              listen_hub} {}

}  // namespace mcpshim::startup
