// The listener's parts that need no server: the address a connection is counted under, and
// the deadlines of body reads (over a real loopback TCP connection).
#include "listener.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "read_deadlines.hpp"

namespace styrdok::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string KeyOf(const char* text) {
    sockaddr_storage address{};
    if (inet_pton(AF_INET, text, &reinterpret_cast<sockaddr_in*>(&address)->sin_addr) == 1) {
        address.ss_family = AF_INET;
        return AddressKey(&address, sizeof(sockaddr_in));
    }
    if (inet_pton(AF_INET6, text, &reinterpret_cast<sockaddr_in6*>(&address)->sin6_addr) != 1) {
        throw std::invalid_argument(text);
    }
    address.ss_family = AF_INET6;
    return AddressKey(&address, sizeof(sockaddr_in6));
}

TEST(AddressKey, CountsIpv4ByAddressAndIpv6ByItsSlash64) {
    struct Case {
        const char* a;
        const char* b;
        bool same;
    };
    const Case cases[] = {
        {"127.0.0.1", "127.0.0.1", true},
        {"127.0.0.1", "127.0.0.2", false},
        {"192.0.2.7", "::ffff:192.0.2.7", true},
        {"2001:db8:1:2::1", "2001:db8:1:2:ffff::9", true},
        {"2001:db8:1:2::1", "2001:db8:1:3::1", false},
        {"::1", "127.0.0.1", false},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.a) + " " + c.b);
        EXPECT_EQ(KeyOf(c.a) == KeyOf(c.b), c.same);
    }
}

TEST(ReadBudget, AllowsASecondMoreForEveryMinRateBytes) {
    const auto start = Clock::now();
    ReadBudget budget{milliseconds(20'000), 500};
    EXPECT_EQ(budget.Due(start, 0), start + milliseconds(20'000));
    EXPECT_EQ(budget.Due(start, 250), start + milliseconds(20'500));
    EXPECT_EQ(budget.Due(start, 5000), start + milliseconds(30'000));
    ReadBudget total{milliseconds(3'000), 0};
    EXPECT_EQ(total.Due(start, 1 << 20), start + milliseconds(3'000));
}

// Both ends of a TCP connection on loopback.
class Connection {
public:
    Connection() {
        int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(listener, 1) != 0 ||
            ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            throw std::runtime_error(std::strerror(errno));
        }
        client_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(client_, reinterpret_cast<sockaddr*>(&address), length) != 0) {
            throw std::runtime_error(std::strerror(errno));
        }
        server_ = ::accept(listener, nullptr, nullptr);
        ::close(listener);
    }
    ~Connection() {
        ::close(client_);
        ::close(server_);
    }
    int server() const { return server_; }
    void Send(const std::string& bytes) {
        ASSERT_EQ(::send(client_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
                  static_cast<ssize_t>(bytes.size()));
    }

private:
    int client_ = -1;
    int server_ = -1;
};

TEST(ReadDeadlines, EndsABlockedReadAtTheDeadline) {
    ReadDeadlines deadlines;
    Connection connection;
    auto started = Clock::now();
    ReadDeadlines::Watch watch(deadlines, connection.server(), {milliseconds(200), 0});
    char byte;
    EXPECT_EQ(::recv(connection.server(), &byte, 1, 0), 0);  // end of file, not a wait forever
    EXPECT_TRUE(watch.Expired());
    EXPECT_GE(Clock::now() - started, milliseconds(150));
    EXPECT_LT(Clock::now() - started, milliseconds(5000));
}

TEST(ReadDeadlines, BytesReceivedMoveTheDeadlineOn) {
    ReadDeadlines deadlines;
    Connection connection;
    auto started = Clock::now();
    // 300 ms, and 100 ms more for every 100 bytes: ten sends of 100 bytes every 50 ms keep
    // the read going well past the first 300 ms.
    ReadDeadlines::Watch watch(deadlines, connection.server(), {milliseconds(300), 1000});
    std::thread sender([&connection] {
        for (int i = 0; i < 10; ++i) {
            connection.Send(std::string(100, 'a'));
            std::this_thread::sleep_for(milliseconds(50));
        }
    });
    std::size_t received = 0;
    char buffer[256];
    while (received < 1000) {
        ssize_t n = ::recv(connection.server(), buffer, sizeof buffer, 0);
        if (n <= 0) break;
        received += static_cast<std::size_t>(n);
        watch.Received(received);
    }
    sender.join();
    EXPECT_EQ(received, 1000u);
    EXPECT_FALSE(watch.Expired());
    EXPECT_GT(Clock::now() - started, milliseconds(400));
    // Then nothing more: the deadline, 300 ms + 1000 ms from the start, ends the read.
    EXPECT_EQ(::recv(connection.server(), buffer, sizeof buffer, 0), 0);
    EXPECT_TRUE(watch.Expired());
}

TEST(ReadDeadlines, LeavesASocketAloneOnceItsWatchHasEnded) {
    ReadDeadlines deadlines;
    Connection ended;
    Connection watched;
    {
        ReadDeadlines::Watch watch(deadlines, ended.server(), {milliseconds(150), 0});
        // The deadlines' thread now waits for this watch's deadline; the watch ends first.
        std::this_thread::sleep_for(milliseconds(50));
    }
    ReadDeadlines::Watch watch(deadlines, watched.server(), {milliseconds(50), 0});
    char byte = 0;
    EXPECT_EQ(::recv(watched.server(), &byte, 1, 0), 0);
    EXPECT_TRUE(watch.Expired());
    std::this_thread::sleep_for(milliseconds(200));
    ended.Send("x");
    EXPECT_EQ(::recv(ended.server(), &byte, 1, 0), 1);
    EXPECT_EQ(byte, 'x');
}

}  // namespace
}  // namespace styrdok::server
