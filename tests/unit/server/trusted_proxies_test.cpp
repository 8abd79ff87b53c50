// Which proxies are believed, and who the client behind them is (server/src/auth/trusted_proxies).
#include "auth/trusted_proxies.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>
#include <vector>

#include "styrdok/core/error.hpp"

namespace styrdok::server {
namespace {

TEST(TrustedProxies, ContainAddressesOfTheirNetworks) {
    const TrustedProxies proxies(
        {"127.0.0.1", "10.0.0.0/8", "192.168.4.0/22", "::1", "fd00:1234::/32", "0.0.0.0/0 "});
    const TrustedProxies narrow({"10.1.2.0/24", "2001:db8::/64"});
    struct Case {
        const char* address;
        bool in_narrow;
    };
    for (const Case& row : std::vector<Case>{
             {"10.1.2.3", true},
             {"10.1.2.255", true},
             {"10.1.3.1", false},
             {"::ffff:10.1.2.7", true},  // IPv4 seen on an IPv6 socket
             {"2001:db8::17", true},
             {"2001:db8:0:0:ffff::1", true},
             {"2001:db8:0:1::1", false},
             {"::1", false},
             {"", false},
             {"10.1.2.3:80", false},  // not an address: a port is never part of one here
             {"nonsense", false},
             {"10.1.2", false},
         }) {
        SCOPED_TRACE(row.address);
        EXPECT_EQ(narrow.Contains(row.address), row.in_narrow);
    }
    EXPECT_TRUE(proxies.Contains("10.200.0.1"));
    EXPECT_TRUE(proxies.Contains("192.168.7.255"));
    EXPECT_FALSE(TrustedProxies({"192.168.4.0/22"}).Contains("192.168.8.0"));
    EXPECT_TRUE(proxies.Contains("fd00:1234:ffff::9"));
    EXPECT_TRUE(proxies.Contains("8.8.8.8"));  // 0.0.0.0/0: every IPv4 address
    EXPECT_FALSE(TrustedProxies().Contains("127.0.0.1"));
}

TEST(TrustedProxies, ContainSocketAddresses) {
    const TrustedProxies proxies({"127.0.0.1", "fd00::/8"});
    sockaddr_in in4{};
    in4.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &in4.sin_addr);
    EXPECT_TRUE(proxies.Contains(&in4, sizeof in4));
    inet_pton(AF_INET, "127.0.0.2", &in4.sin_addr);
    EXPECT_FALSE(proxies.Contains(&in4, sizeof in4));
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "fd12::1", &in6.sin6_addr);
    EXPECT_TRUE(proxies.Contains(&in6, sizeof in6));
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
    EXPECT_TRUE(proxies.Contains(&in6, sizeof in6));
    EXPECT_FALSE(proxies.Contains(&in6, sizeof in4));  // too short to be what it says
}

TEST(TrustedProxies, RefuseEntriesThatAreNotAddressesNamingThem) {
    for (const char* entry : {"proxy.exempelby.se", "10.0.0.0/33", "::/129", "10.0.0.0/",
                              "10.0.0.0/8x", "10.0.0.1/8", "fd00::1/8", "10.0.0.0/-1", "*"}) {
        SCOPED_TRACE(entry);
        try {
            TrustedProxies proxies({entry});
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(std::string(error.what()).find(entry), std::string::npos) << error.what();
            EXPECT_NE(std::string(error.what()).find("auth.trusted_proxies"), std::string::npos);
        }
    }
}

TEST(FindClient, BelievesForwardedHeadersOnlyFromTrustedProxies) {
    const TrustedProxies proxies({"127.0.0.1", "10.0.0.0/8", "fd00::/8"});
    struct Case {
        const char* peer;
        const char* forwarded_for;
        const char* proto;
        const char* client;
        bool via_proxy;
        bool https;
    };
    for (const Case& row : std::vector<Case>{
             // Straight from a client: its headers say nothing.
             {"192.0.2.7", "203.0.113.9", "https", "192.0.2.7", false, false},
             {"192.0.2.7", "", "", "192.0.2.7", false, false},
             // The proxy alone: the address it names.
             {"127.0.0.1", "192.0.2.7", "https", "192.0.2.7", true, true},
             {"127.0.0.1", " 192.0.2.7 ", "HTTPS", "192.0.2.7", true, true},
             {"127.0.0.1", "192.0.2.7", "http", "192.0.2.7", true, false},
             // What the client wrote itself stays on the left, and is never believed.
             {"127.0.0.1", "198.51.100.1, 192.0.2.7", "", "192.0.2.7", true, false},
             {"127.0.0.1", "10.0.0.9, 192.0.2.7", "", "192.0.2.7", true, false},
             // Two trusted proxies: the address the outer one was connected from.
             {"127.0.0.1", "198.51.100.1, 192.0.2.7, 10.1.1.1", "", "192.0.2.7", true, false},
             {"10.1.1.1", "192.0.2.7,10.2.2.2", "", "192.0.2.7", true, false},
             // Everything trusted: the farthest trusted address (a process beside the proxy).
             {"127.0.0.1", "10.0.0.3, 10.0.0.4", "", "10.0.0.3", true, false},
             // A trusted proxy that names nobody: itself.
             {"127.0.0.1", "", "", "127.0.0.1", true, false},
             // Ports and brackets, as some proxies write them.
             {"127.0.0.1", "192.0.2.7:50123", "", "192.0.2.7", true, false},
             {"127.0.0.1", "[2001:db8::5]:443", "", "2001:db8::5", true, false},
             {"127.0.0.1", "2001:DB8:0::5", "", "2001:db8::5", true, false},
             {"fd00::1", "192.0.2.7", "", "192.0.2.7", true, false},
             // IPv4 on an IPv6 socket is written as IPv4, as one key for the throttle.
             {"::ffff:127.0.0.1", "::ffff:192.0.2.7", "", "192.0.2.7", true, false},
             {"::ffff:192.0.2.8", "", "", "192.0.2.8", false, false},
             // Garbage only a party beyond the trusted ones could write: the last believed.
             {"127.0.0.1", "unknown, 10.0.0.7", "", "10.0.0.7", true, false},
             {"127.0.0.1", "192.0.2.7, garbage", "", "127.0.0.1", true, false},
             {"127.0.0.1", ",,192.0.2.7,,", "", "192.0.2.7", true, false},
             // The first scheme is the edge's: the one the client used.
             {"127.0.0.1", "192.0.2.7", "https, http", "192.0.2.7", true, true},
         }) {
        SCOPED_TRACE(std::string(row.peer) + " | " + row.forwarded_for + " | " + row.proto);
        const ForwardedClient client = FindClient(proxies, row.peer, row.forwarded_for, row.proto);
        EXPECT_EQ(client.address, row.client);
        EXPECT_EQ(client.via_trusted_proxy, row.via_proxy);
        EXPECT_EQ(client.https, row.https);
    }
}

TEST(FindClient, TrustsNobodyWithoutProxies) {
    const ForwardedClient client = FindClient({}, "127.0.0.1", "192.0.2.7", "https");
    EXPECT_EQ(client.address, "127.0.0.1");
    EXPECT_FALSE(client.via_trusted_proxy);
    EXPECT_FALSE(client.https);
}

}  // namespace
}  // namespace styrdok::server
