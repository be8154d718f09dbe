#pragma once
// A bounded queue between coroutines on one executor: producers post, one
// consumer takes and waits. Every queue of messages on their way to a client
// is one of these, bounded by --max-outbox-messages and --max-outbox-bytes.
// The bound is the caller's policy to enforce: post() never waits and says
// `full` (the caller closes the stream, drops the oldest, or refuses), and
// send() waits for room (back-pressure on a producer that can wait).
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "async/wakeup.hpp"

namespace mcpshim::async {

// What may wait in one mailbox; 0 means no bound of that kind.
struct MailboxBounds {
    std::size_t max_messages = 1024;           // --max-outbox-messages
    std::size_t max_bytes = 8 * 1024 * 1024;  // --max-outbox-bytes (of messages posted with their size)
};

enum class Posted { queued, full, closed };

template <typename T>
class Mailbox {
public:
    Mailbox(boost::asio::any_io_executor executor, MailboxBounds bounds)
        : arrived_(executor), room_(executor), bounds_(bounds) {}

    // `bytes` counts against max_bytes: what the item will cost the client to read.
    Posted post(T item, std::size_t bytes = 0) {
        if (closed_) return Posted::closed;
        if (!fits(bytes)) return Posted::full;
        enqueue(std::move(item), bytes);
        return Posted::queued;
    }

    // Waits while the mailbox is full (one producer waits at a time); an item
    // alone over max_bytes is let into an empty mailbox rather than wait for
    // ever. `closed` once the mailbox is closed.
    boost::asio::awaitable<Posted> send(T item, std::size_t bytes = 0) {
        while (!closed_ && !fits(bytes) && !items_.empty()) co_await room_.wait();
        if (closed_) co_return Posted::closed;
        enqueue(std::move(item), bytes);
        co_return Posted::queued;
    }

    // The oldest item, if any; items posted before close() are still taken.
    std::optional<T> take() {
        if (items_.empty()) return std::nullopt;
        auto [item, bytes] = std::move(items_.front());
        items_.pop_front();
        bytes_ -= bytes;
        room_.notify();
        return std::move(item);
    }

    void drop_oldest() { (void)take(); }

    // Until something is posted, the mailbox closes, or `deadline`; returns at
    // once when an item is already waiting or the mailbox is closed.
    boost::asio::awaitable<Woke> wait_until(Clock::time_point deadline) {
        if (!items_.empty() || closed_) co_return Woke::notified;
        co_return co_await arrived_.wait_until(deadline);
    }
    boost::asio::awaitable<Woke> wait_for(Clock::duration timeout) { return wait_until(Clock::now() + timeout); }

    // No more posts; what is queued stays to be taken.
    void close() {
        closed_ = true;
        arrived_.notify();
        room_.notify();
    }
    // Closes and drops what is queued: nobody will read it.
    void discard() {
        close();
        items_.clear();
        bytes_ = 0;
    }

    bool closed() const { return closed_; }
    bool empty() const { return items_.empty(); }
    std::size_t size() const { return items_.size(); }
    std::size_t bytes() const { return bytes_; }
    const MailboxBounds& bounds() const { return bounds_; }
    boost::asio::any_io_executor get_executor() { return arrived_.get_executor(); }

private:
    void enqueue(T item, std::size_t bytes) {
        bytes_ += bytes;
        items_.emplace_back(std::move(item), bytes);
        arrived_.notify();
    }
    bool fits(std::size_t bytes) const {
        if (bounds_.max_messages && items_.size() + 1 > bounds_.max_messages) return false;
        return !bounds_.max_bytes || bytes_ + bytes <= bounds_.max_bytes;
    }

    Wakeup arrived_;
    Wakeup room_;
    MailboxBounds bounds_;
    std::deque<std::pair<T, std::size_t>> items_;
    std::size_t bytes_ = 0;
    bool closed_ = false;
};

}  // namespace mcpshim::async
