#pragma once
// What every face needs before it serves: session keys, upstream endpoints, TLS.
#include <boost/asio/ssl/context.hpp>

#include <vector>

#include "serve_config.hpp"
#include "session/session_token.hpp"
#include "upstream/upstream_endpoint.hpp"

namespace mcpshim::startup {

// From --session-key-file, else the key environment variable, else a random key.
session::SessionKeyring load_session_keys(const ServeConfig& config, bool warn_when_random);
std::vector<upstream::UpstreamEndpoint> parse_upstreams(const ServeConfig& config);
boost::asio::ssl::context upstream_tls_context(const ServeConfig& config);

}  // namespace mcpshim::startup
