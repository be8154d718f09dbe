#include "redis/resp.hpp"

#include <hiredis/hiredis.h>

#include <stdexcept>

namespace mcpshim::redis {

namespace {

Reply to_reply(const redisReply& raw) {
    Reply reply;
    switch (raw.type) {
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_STATUS:
        case REDIS_REPLY_ERROR:
            reply.type = raw.type == REDIS_REPLY_STRING   ? Reply::Type::string
                         : raw.type == REDIS_REPLY_STATUS ? Reply::Type::status
                                                          : Reply::Type::error;
            reply.text.assign(raw.str, raw.len);
            break;
        case REDIS_REPLY_INTEGER:
            reply.type = Reply::Type::integer;
            reply.integer = raw.integer;
            break;
        case REDIS_REPLY_ARRAY:
            reply.type = Reply::Type::array;
            reply.elements.reserve(raw.elements);
            for (std::size_t i = 0; i < raw.elements; ++i) reply.elements.push_back(to_reply(*raw.element[i]));
            break;
        default:
            reply.type = Reply::Type::nil;
    }
    return reply;
}

}  // namespace

std::string format_command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (const auto& arg : args) {
        argv.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    char* formatted = nullptr;
    const int length = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv.data(), lengths.data());
    if (length < 0 || !formatted) throw std::bad_alloc();
    std::string bytes(formatted, static_cast<std::size_t>(length));
    redisFreeCommand(formatted);
    return bytes;
}

ReplyReader::ReplyReader() : reader_(redisReaderCreate()) {
    if (!reader_) throw std::bad_alloc();
}

ReplyReader::~ReplyReader() {
    redisReaderFree(reader_);
}

void ReplyReader::feed(std::string_view bytes) {
    if (redisReaderFeed(reader_, bytes.data(), bytes.size()) != REDIS_OK) throw std::bad_alloc();
}

std::variant<std::nullopt_t, Reply, std::string> ReplyReader::next() {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_, &raw) != REDIS_OK)
        return std::string(reader_->errstr[0] ? reader_->errstr : "a reply that is not RESP");
    if (!raw) return std::nullopt;
    auto* reply = static_cast<redisReply*>(raw);
    Reply out = to_reply(*reply);
    freeReplyObject(reply);
    return out;
}

}  // namespace mcpshim::redis
