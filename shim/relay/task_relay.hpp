#pragma once
// Tasks for legacy clients. A 2025-11-25 client that declared tasks gets the
// legacy task methods (tasks/get, tasks/result, tasks/list, tasks/cancel)
// served over the upstream's `io.modelcontextprotocol/tasks` extension; any
// other client that meets a task answer gets the final result as if the call
// had blocked, with progress notifications while the shim polls. Every
// request about a task goes to the upstream instance that created it.
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "mcpshim/rewrite/mrtr.hpp"
#include "relay/reply_channel.hpp"
#include "relay/request_types.hpp"
#include "session/in_flight.hpp"
#include "relay/relay_context.hpp"

namespace mcpshim::relay {

class TaskRelay {
public:
    explicit TaskRelay(RelayContext& context) : ctx_(context) {}

    static bool is_task_method(std::string_view method);

    // Answers a legacy task method; null when the client cancelled it.
    boost::asio::awaitable<json> serve(const rewrite::Message& message, const OpenSession& session,
                                       const Caller& caller, ReplyChannel& reply,
                                       std::shared_ptr<session::RequestCancel> cancel);

    // The answer to a forwarded request that the upstream answered with a
    // task; null when the client cancelled meanwhile.
    boost::asio::awaitable<json> adopt(const json& legacy_request, json modern_task, std::string instance,
                                       const OpenSession& session, const Caller& caller, ReplyChannel& reply,
                                       std::shared_ptr<session::RequestCancel> cancel, RequestLog& log);

    // A task-augmented request the upstream answered at once: the shim holds
    // the result as a completed task of its own.
    boost::asio::awaitable<json> hold_result(json legacy_id, json legacy_result, const OpenSession& session);

private:
    struct DriveMode {
        json progress_token;           // progress while polling, for a client that blocks
        bool tag_related = false;      // 2025-11-25 tasks/result: related-task `_meta`
        bool cancel_on_stop = false;   // nobody else can reach the task when this client stops
    };
    boost::asio::awaitable<json> drive(json legacy_id, std::string task_id, std::string instance,
                                       const OpenSession& session, const Caller& caller, ReplyChannel& reply,
                                       std::shared_ptr<session::RequestCancel> cancel, DriveMode mode);
    // The client's answers to a task's input round, handed to the task with
    // tasks/update: null when done (or cancelled), else a JSON-RPC error object.
    boost::asio::awaitable<json> answer_task_input(const rewrite::InputRound& round, const std::string& task_id,
                                                   const std::string& instance, const OpenSession& session,
                                                   const Caller& caller, ReplyChannel& reply,
                                                   const std::shared_ptr<session::RequestCancel>& cancel);
    // The legacy Task view of a record, or a JSON-RPC error object.
    boost::asio::awaitable<json> current_view(session::TaskRecord record, const OpenSession& session,
                                              const Caller& caller);
    boost::asio::awaitable<json> list(const rewrite::Message& message, const OpenSession& session,
                                      const Caller& caller);
    boost::asio::awaitable<json> cancel_task(json legacy_id, session::TaskRecord record, const OpenSession& session,
                                             const Caller& caller);
    boost::asio::awaitable<void> cancel_upstream(std::string task_id, std::string instance,
                                                 const OpenSession& session, const Caller& caller);

    RelayContext& ctx_;
};

}  // namespace mcpshim::relay
