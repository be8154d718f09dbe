#pragma once
// RESP, the Redis protocol, as values: a command formatted into its bytes and
// replies read back out of a byte stream (hiredis does both; no I/O here).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

struct redisReader;

namespace mcpshim::redis {

struct Reply {
    enum class Type { string, array, integer, nil, status, error };
    Type type = Type::nil;
    std::string text;  // string, status, error
    long long integer = 0;
    std::vector<Reply> elements;  // array

    bool is_error() const { return type == Type::error; }
    bool is_nil() const { return type == Type::nil; }
};

// A command's arguments, built without a braced list: GCC 12 miscompiles an
// initializer list inside a co_await expression ("array used as initializer").
template <class... Parts>
std::vector<std::string> args(Parts&&... parts) {
    std::vector<std::string> out;
    out.reserve(sizeof...(parts));
    (out.emplace_back(std::forward<Parts>(parts)), ...);
    return out;
}

// The bytes of one command (each argument binary-safe).
std::string format_command(const std::vector<std::string>& args);

// Replies out of the bytes a connection reads, in order.
class ReplyReader {
public:
    ReplyReader();
    ~ReplyReader();
    ReplyReader(const ReplyReader&) = delete;
    ReplyReader& operator=(const ReplyReader&) = delete;

    void feed(std::string_view bytes);
    // The next complete reply; nullopt when more bytes are needed; a string
    // when the stream is not RESP (the connection cannot go on).
    std::variant<std::nullopt_t, Reply, std::string> next();

private:
    redisReader* reader_;
};

}  // namespace mcpshim::redis
