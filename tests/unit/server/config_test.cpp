#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/server/server.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::server {
namespace {

TEST(LoadServerConfig, AMissingFileGivesTheDefaults) {
    testing::Sandbox sandbox;
    ServerConfig config = LoadServerConfig(sandbox / "finns-inte.ini");
    EXPECT_EQ(config.port, 8080);
    EXPECT_EQ(config.bind, "127.0.0.1");
}

TEST(LoadServerConfig, TheDefaultFileGivesTheDefaults) {
    testing::Sandbox sandbox;
    ServerConfig config = LoadServerConfig(sandbox.Write("styrdok.ini", DefaultConfigText()));
    ServerConfig defaults;
    EXPECT_EQ(config.port, defaults.port);
    EXPECT_EQ(config.threads, defaults.threads);
    EXPECT_EQ(config.max_body_bytes, defaults.max_body_bytes);
    EXPECT_EQ(config.header_timeout_seconds, defaults.header_timeout_seconds);
    EXPECT_EQ(config.max_connections, defaults.max_connections);
    EXPECT_EQ(config.site_name, defaults.site_name);
}

TEST(LoadServerConfig, ReadsEverySection) {
    testing::Sandbox sandbox;
    ServerConfig config =
        LoadServerConfig(sandbox.Write("styrdok.ini",
                                       "[server]\nbind = 0.0.0.0\nport = 9000\n"
                                       "threads = 4\nmax_body_bytes = 4096\n"
                                       "[site]\nname = Dokumentbanken\n"
                                       "municipality = Exempelby kommun\n"
                                       "public_url = https://styrdok.exempelby.se/\n"));
    EXPECT_EQ(config.bind, "0.0.0.0");
    EXPECT_EQ(config.port, 9000);
    EXPECT_EQ(config.threads, 4);
    EXPECT_EQ(config.max_body_bytes, 4096u);
    EXPECT_EQ(config.site_name, "Dokumentbanken");
    EXPECT_EQ(config.public_url, "https://styrdok.exempelby.se");
}

TEST(LoadServerConfig, ReadsTheLimitsForSlowClients) {
    testing::Sandbox sandbox;
    ServerConfig config = LoadServerConfig(
        sandbox.Write("styrdok.ini",
                      "[server]\nheader_timeout_seconds = 7\nbody_timeout_seconds = 9\n"
                      "body_min_rate = 0\nmax_connections = 2000\n"
                      "max_connections_per_address = 300\nkeep_alive_seconds = 30\n"));
    EXPECT_EQ(config.header_timeout_seconds, 7);
    EXPECT_EQ(config.body_timeout_seconds, 9);
    EXPECT_EQ(config.body_min_rate, 0);
    EXPECT_EQ(config.max_connections, 2000);
    EXPECT_EQ(config.max_connections_per_address, 300);
    EXPECT_EQ(config.keep_alive_seconds, 30);
}

TEST(LoadServerConfig, ReadsTheFollowerSettingsButNotThePrimary) {
    testing::Sandbox sandbox;
    ServerConfig defaults = LoadServerConfig(sandbox.Write("styrdok.ini", DefaultConfigText()));
    EXPECT_EQ(defaults.follow_poll_milliseconds, ServerConfig{}.follow_poll_milliseconds);
    EXPECT_EQ(defaults.follow_timeout_seconds, ServerConfig{}.follow_timeout_seconds);
    // Whether a registry follows is its repository's to say (store::FollowedPrimary).
    ServerConfig config =
        LoadServerConfig(sandbox.Write("styrdok.ini",
                                       "[follow]\nprimary = /srv/annan\npoll_milliseconds = 200\n"
                                       "timeout_seconds = 5\n"));
    EXPECT_EQ(config.primary, "");
    EXPECT_EQ(config.follow_poll_milliseconds, 200);
    EXPECT_EQ(config.follow_timeout_seconds, 5);
    for (const char* text :
         {"[follow]\npoll_milliseconds = 10\n", "[follow]\ntimeout_seconds = 0\n",
          "[follow]\npoll_milliseconds = ofta\n"}) {
        SCOPED_TRACE(text);
        try {
            LoadServerConfig(sandbox.Write("styrdok.ini", text));
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(std::string(error.what()).find("follow."), std::string::npos) << error.what();
        }
    }
}

TEST(LoadServerConfig, NamesTheKeyOfAValueThatIsNotValid) {
    testing::Sandbox sandbox;
    for (const char* text :
         {"[server]\nport = 70000\n", "[server]\nthreads = 0\n", "[server]\nthreads = många\n",
          "[server]\nmax_body_bytes = 10\n", "[server]\nheader_timeout_seconds = 0\n",
          "[server]\nbody_timeout_seconds = -1\n", "[server]\nbody_min_rate = snabbt\n",
          "[server]\nmax_connections = 1\n", "[server]\nmax_connections_per_address = 0\n"}) {
        SCOPED_TRACE(text);
        try {
            LoadServerConfig(sandbox.Write("styrdok.ini", text));
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(std::string(error.what()).find("server."), std::string::npos) << error.what();
        }
    }
}

TEST(LoadServerConfig, TrustsNoProxyUnlessOneIsNamed) {
    testing::Sandbox sandbox;
    EXPECT_TRUE(LoadServerConfig(sandbox / "finns-inte.ini").trusted_proxies.empty());
    EXPECT_TRUE(LoadServerConfig(sandbox.Write("styrdok.ini", DefaultConfigText()))
                    .trusted_proxies.empty());
    ServerConfig named =
        LoadServerConfig(sandbox.Write("styrdok.ini",
                                       "[auth]\ntrusted_user_header = X-Remote-User\n"
                                       "trusted_proxies = 10.0.0.5, ::1\n"));
    EXPECT_EQ(named.trusted_user_header, "X-Remote-User");
    EXPECT_EQ(named.trusted_proxies, (std::vector<std::string>{"10.0.0.5", "::1"}));
}

TEST(LoadServerConfig, RefusesATrustedUserHeaderWithoutTrustedProxies) {
    testing::Sandbox sandbox;
    ServerConfig header_only;
    header_only.trusted_user_header = "X-Remote-User";
    for (const auto& load : std::vector<std::function<void()>>{
             [&] {
                 LoadServerConfig(
                     sandbox.Write("styrdok.ini", "[auth]\ntrusted_user_header = X-Remote-User\n"));
             },
             [&] {
                 LoadServerConfig(sandbox.Write("styrdok.ini",
                                                "[auth]\ntrusted_user_header = X-Remote-User\n"
                                                "trusted_proxies = ,\n"));
             },
             [&] { LoadServerConfig(sandbox / "finns-inte.ini", header_only); },
         }) {
        try {
            load();
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(std::string(error.what()).find("auth.trusted_proxies"), std::string::npos)
                << error.what();
        }
    }
}

}  // namespace
}  // namespace styrdok::server
