#pragma once
// Where the shared session store lives: --session-store redis://[:PASSWORD@]HOST:PORT[/DB].
#include <optional>
#include <string>
#include <string_view>

namespace mcpshim::redis {

struct RedisEndpoint {
    std::string host;
    unsigned short port = 6379;
    std::string password;  // empty: no AUTH
    int db = 0;
    std::string display() const { return "redis://" + host + ":" + std::to_string(port) + "/" + std::to_string(db); }
};

// The endpoint, or nullopt with `error` saying what is wrong with the URL.
std::optional<RedisEndpoint> parse_redis_url(std::string_view url, std::string& error);

}  // namespace mcpshim::redis
