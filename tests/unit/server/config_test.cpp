#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/core/schema.hpp"
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

TEST(LoadServerConfig, ReadsTheMonitoringSettings) {
    testing::Sandbox sandbox;
    ServerConfig defaults = LoadServerConfig(sandbox.Write("styrdok.ini", DefaultConfigText()));
    EXPECT_EQ(defaults.log_format, LogFormat::kText);
    EXPECT_TRUE(defaults.metrics_from.empty());
    ServerConfig config =
        LoadServerConfig(sandbox.Write("styrdok.ini",
                                       "[server]\nlog_format = json\n"
                                       "metrics_from = 192.0.2.10 , 2001:DB8::0010,,10.0.0.1\n"));
    EXPECT_EQ(config.log_format, LogFormat::kJson);
    // As the server writes a client's address.
    EXPECT_EQ(config.metrics_from,
              (std::vector<std::string>{"192.0.2.10", "2001:db8::10", "10.0.0.1"}));
}

TEST(LoadServerConfig, RefusesMonitoringSettingsThatAreNotValid) {
    testing::Sandbox sandbox;
    for (const auto& [text, key] : std::vector<std::pair<const char*, const char*>>{
             {"[server]\nlog_format = xml\n", "server.log_format"},
             {"[server]\nmetrics_from = prometheus.exempelby.se\n", "server.metrics_from"},
             {"[server]\nmetrics_from = 10.0.0.1; 10.0.0.2\n", "server.metrics_from"},
             {"[server]\nmetrics_from = 10.0.0.0/8\n", "server.metrics_from"}}) {
        SCOPED_TRACE(text);
        try {
            LoadServerConfig(sandbox.Write("styrdok.ini", text));
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(std::string(error.what()).find(key), std::string::npos) << error.what();
        }
    }
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

// The single sign-on settings every test of [groups] starts from.
constexpr const char* kSingleSignOn =
    "[auth]\ntrusted_user_header = X-Remote-User\ntrusted_proxies = 10.0.0.0/8, fd00::/8\n"
    "trusted_groups_header = X-Remote-Groups\n";

TEST(LoadServerConfig, ReadsUnknownUsersAndTheGroupsMapping) {
    testing::Sandbox sandbox;
    EXPECT_EQ(LoadServerConfig(sandbox / "finns-inte.ini").unknown_users, UnknownUsers::kReader);
    EXPECT_TRUE(LoadServerConfig(sandbox.Write("styrdok.ini", DefaultConfigText())).groups.empty());
    const ServerConfig config = LoadServerConfig(sandbox.Write(
        "styrdok.ini", std::string(kSingleSignOn) + "unknown_users = refuse\n\n"
                                                    "[groups]\n"
                                                    "; a comment\n"
                                                    "GRP-Styrdok-Registratorer = clerk\n"
                                                    "  GRP-Socialnamnden =owner: sn , bun \n"
                                                    "CN=Styrdok.Admins = admin\n"
                                                    "[site]\nname = Styrdok\n"
                                                    "[GROUPS]\n"
                                                    "grp-styrdok-registratorer = reader\n"));
    EXPECT_EQ(config.unknown_users, UnknownUsers::kRefuse);
    EXPECT_EQ(config.trusted_groups_header, "X-Remote-Groups");
    ASSERT_EQ(config.groups.size(), 4u);
    EXPECT_EQ(config.groups[0].group, "GRP-Styrdok-Registratorer");
    EXPECT_EQ(config.groups[0].role, core::Role::kClerk);
    EXPECT_TRUE(config.groups[0].bodies.empty());
    EXPECT_EQ(config.groups[0].line, 9);
    EXPECT_EQ(config.groups[1].group, "GRP-Socialnamnden");
    EXPECT_EQ(config.groups[1].role, core::Role::kOwner);
    EXPECT_EQ(config.groups[1].bodies, (std::vector<std::string>{"sn", "bun"}));
    // Names are kept exactly: dots, '=' and case.
    EXPECT_EQ(config.groups[2].group, "CN=Styrdok.Admins");
    EXPECT_EQ(config.groups[3].group, "grp-styrdok-registratorer");
}

TEST(LoadServerConfig, RefusesAGroupsLineItCannotUseNamingTheLine) {
    testing::Sandbox sandbox;
    struct Case {
        const char* line;
        const char* says;
    };
    for (const Case& row : std::vector<Case>{
             {"GRP-A = superuser", "unknown role \"superuser\""},
             {"GRP-A", "GROUP = ROLE"},
             {"= clerk", "a group name is needed"},
             {"GRP-A, GRP-B = clerk", "without , or ;"},
             {"GRP-A = owner:", "name the body ids"},
             {"GRP-A = :sn", "unknown role \"\""},
             {"GRP-Registratorer = reader", "mapped on line 6 too"},
         }) {
        SCOPED_TRACE(row.line);
        const std::filesystem::path file = sandbox.Write(
            "styrdok.ini",
            std::string(kSingleSignOn) + "[groups]\nGRP-Registratorer = clerk\n" + row.line + "\n");
        try {
            LoadServerConfig(file);
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            const std::string message = error.what();
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(message.find("line 7"), std::string::npos) << message;
            EXPECT_NE(message.find(row.says), std::string::npos) << message;
        }
    }
}

TEST(LoadServerConfig, RefusesGroupsThatNoHeaderBringsAndProxiesThatAreNotAddresses) {
    testing::Sandbox sandbox;
    struct Case {
        std::string text;
        const char* says;
    };
    for (const Case& row : std::vector<Case>{
             {"[groups]\nGRP-A = clerk\n", "auth.trusted_groups_header"},
             {"[auth]\ntrusted_groups_header = X-Remote-Groups\n", "auth.trusted_user_header"},
             {"[auth]\ntrusted_user_header = X-Remote-User\ntrusted_proxies = 10.0.0.0/33\n",
              "10.0.0.0/33"},
             {"[auth]\ntrusted_user_header = X-Remote-User\ntrusted_proxies = nginx\n",
              "\"nginx\""},
             {"[auth]\nunknown_users = guest\n", "auth.unknown_users"},
         }) {
        SCOPED_TRACE(row.text);
        try {
            LoadServerConfig(sandbox.Write("styrdok.ini", row.text));
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(std::string(error.what()).find(row.says), std::string::npos) << error.what();
        }
    }
}

TEST(CheckGroupBodies, NamesTheLineOfABodyTheSchemaDoesNotHave) {
    testing::Sandbox sandbox;
    const core::Schema schema = core::Schema::Load(testing::SourceDir() / "schema/default.xml");
    const ServerConfig good = LoadServerConfig(sandbox.Write(
        "styrdok.ini", std::string(kSingleSignOn) + "[groups]\nGRP-A = owner:sn,bun\n"));
    EXPECT_NO_THROW(CheckGroupBodies(good, schema));
    const ServerConfig bad = LoadServerConfig(sandbox.Write(
        "styrdok.ini",
        std::string(kSingleSignOn) + "[groups]\nGRP-A = owner:sn\nGRP-B = owner:sn,sociala\n"));
    try {
        CheckGroupBodies(bad, schema);
        ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("line 7"), std::string::npos) << message;
        EXPECT_NE(message.find("GRP-B"), std::string::npos) << message;
        EXPECT_NE(message.find("\"sociala\""), std::string::npos) << message;
    }
}

}  // namespace
}  // namespace styrdok::server
