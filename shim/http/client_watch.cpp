#include "http/client_watch.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

namespace mcpshim::http_face {

struct ClientWatch::State : std::enable_shared_from_this<State> {
    boost::asio::ip::tcp::socket& socket;
    std::function<void()> on_gone;
    boost::asio::cancellation_signal stop;
    bool active = true;

    State(boost::asio::ip::tcp::socket& s, std::function<void()> gone) : socket(s), on_gone(std::move(gone)) {}

    void arm() {
        socket.async_wait(boost::asio::socket_base::wait_read,
                          boost::asio::bind_cancellation_slot(
                              stop.slot(), [self = shared_from_this()](const boost::system::error_code& ec) {
                                  if (ec || !self->active) return;
                                  self->readable();
                              }));
    }

    void readable() {
        char byte;
        const auto got = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (got > 0) return;  // the next request: the client is still there
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            arm();
            return;
        }
        active = false;
        on_gone();
    }
};

ClientWatch::ClientWatch(boost::asio::ip::tcp::socket& socket, std::function<void()> on_gone)
    : state_(std::make_shared<State>(socket, std::move(on_gone))) {
    state_->arm();
}

ClientWatch::~ClientWatch() {
    state_->active = false;
    state_->stop.emit(boost::asio::cancellation_type::terminal);
}

}  // namespace mcpshim::http_face
