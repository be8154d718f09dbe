#include "relay/connection_session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/this_coro.hpp>

#include <chrono>

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "relay/listen_relay.hpp"
#include "relay/request_log.hpp"
#include "relay/request_relay.hpp"
#include "relay/session_start.hpp"
#include "session/pending_inputs.hpp"

namespace mcpshim::relay {

namespace net = boost::asio;
namespace code = rewrite::error_code;

bool ConnectionSession::batches_allowed() const {
    return claims_ && rewrite::allows_batches(claims_->protocol_version);
}

void ConnectionSession::refuse(const rewrite::Message& request, int error_code, std::string message) {
    send_(rewrite::make_error(request.id(), error_code, std::move(message)));
}

net::awaitable<void> ConnectionSession::dispatch(std::shared_ptr<ConnectionSession> self,
                                                 std::vector<rewrite::Message> messages, Caller caller) {
    const auto executor = co_await net::this_coro::executor;
    RequestRelay relay(self->ctx_);
    const auto limit = self->face_.max_requests_in_flight;
    for (auto& message : messages) {
        if (!self->open_()) co_return;
        if (message.is_request() && message.method() == method_name::initialize) {
            co_await initialize(self, std::move(message), caller);
        } else if (!self->claims_) {
            if (message.is_request()) self->send_(answer_before_initialize(message));
        } else if (!message.is_request()) {
            relay.accept_from_client(message, OpenSession{*self->claims_, self->state_});
        } else if (self->in_flight_.size() >= limit) {
            self->refuse(message, code::server_busy,
                         "this connection already has " + std::to_string(limit) +
                             " requests in flight (" + std::string(option::max_requests_in_flight) + ")");
        } else {
            auto key = session::request_id_key(message.id());
            self->in_flight_.insert(key);
            async::spawn_guarded(executor, serve(self, std::move(message), caller, std::move(key)),
                                 self->request_task_);
        }
    }
}

net::awaitable<void> ConnectionSession::initialize(std::shared_ptr<ConnectionSession> self, rewrite::Message message,
                                                   Caller caller) {
    // One session per connection: a second initialize would replace what the
    // first declared, and open another upstream listen.
    if (self->claims_ || self->initializing_) {
        self->refuse(message, code::invalid_request,
                     "this connection's session is already initialized; " + self->face_.another_session);
        co_return;
    }
    self->initializing_ = true;
    auto start = co_await start_session(self->ctx_, std::move(message), self->face_.principal, caller.authorization,
                                        self->face_.session_lifetime_s);
    self->initializing_ = false;
    self->send_(start.answer);
    if (!start.claims || !self->open_()) co_return;
    spdlog::info("{} session {} negotiated {}", self->face_.name, start.claims->session_id,
                 start.claims->protocol_version);
    self->claims_ = *start.claims;
    async::spawn_guarded(co_await net::this_coro::executor,
                         relay_changes(self, std::move(*start.claims), std::move(caller.authorization)),
                         "a " + self->face_.name + " session's change notifications");
}

net::awaitable<void> ConnectionSession::serve(std::shared_ptr<ConnectionSession> self, rewrite::Message request,
                                              Caller caller, std::string key) {
    const auto started = std::chrono::steady_clock::now();
    RequestRelay relay(self->ctx_);
    FunctionReply reply(self->send_);
    RequestLog log;
    log.session = self->claims_->session_id;
    log.era = "legacy";
    log.rpc = rpc_name(request);
    OpenSession session{*self->claims_, self->state_};
    co_await relay.serve(request, session, caller, reply, log);
    self->in_flight_.erase(key);
    self->state_.log_level = session.state.log_level;  // logging/setLevel lasts for the connection
    log_request(self->face_.name, log, started);
}

net::awaitable<void> ConnectionSession::relay_changes(std::shared_ptr<ConnectionSession> self,
                                                      session::SessionClaims claims, std::string authorization) {
    FunctionSink sink(self->send_, self->open_);
    co_await relay_change_notifications(self->ctx_, std::move(claims), std::move(authorization), sink);
}

void ConnectionSession::end() {
    if (!claims_) return;
    // Nobody is left to read the answers: stop the requests (and their upstream exchanges).
    for (const auto& key : in_flight_) ctx_.store.in_flight().cancel(claims_->session_id, key);
    ctx_.store.streams().changed(claims_->session_id);  // its listen ends with it
}

}  // namespace mcpshim::relay
