#include "timer_floor.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

namespace mcpshim {

namespace {

void arm(std::shared_ptr<boost::asio::steady_timer> timer) {
    timer->expires_after(std::chrono::seconds(1));
    timer->async_wait([timer](const boost::system::error_code& ec) {
        if (!ec) arm(timer);
    });
}

}  // namespace

void keep_timer_floor(boost::asio::io_context& io) {
    arm(std::make_shared<boost::asio::steady_timer>(io));
}

}  // namespace mcpshim
