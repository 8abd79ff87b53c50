#include "registry_support.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>

namespace styrdok::testing {

Poco::JSON::Object::Ptr Json(const HttpResponse& response) {
    Poco::JSON::Parser parser;
    return parser.parse(response.body).extract<Poco::JSON::Object::Ptr>();
}

void Styrdok(const std::filesystem::path& data, const std::string& arguments,
             const std::string& input) {
    RunResult result =
        Run(std::string(STYRDOK_BINARY) + " " + arguments + " --data " + ShellQuote(data.string()),
            input);
    ASSERT_EQ(result.exit_code, 0) << arguments << "\n" << result.out << result.err;
}

void CreateCorpusRegistry(const std::filesystem::path& data) {
    Styrdok(data, "init");
    Styrdok(data, "import --author Test --email test@exempelby.se --message Exempelsamling " +
                      ShellQuote((SourceDir() / "corpus").string()) + " --today " + kToday);
}

void AddUser(const std::filesystem::path& data, const std::string& name, const std::string& role,
             const std::string& email, const std::string& password,
             const std::vector<std::string>& bodies) {
    std::string arguments = "user add " + ShellQuote(name) + " --role " + role;
    if (!email.empty()) arguments += " --email " + ShellQuote(email);
    for (const std::string& body : bodies) arguments += " --body " + ShellQuote(body);
    Styrdok(data, arguments, password + "\n");
}

std::map<std::string, std::string> BasicAuth(const std::string& name, const std::string& password) {
    std::ostringstream encoded;
    Poco::Base64Encoder encoder(encoded);
    encoder.rdbuf()->setLineLength(0);
    encoder << name << ':' << password;
    encoder.close();
    return {{"Authorization", "Basic " + encoded.str()}};
}

void AddStaffAccounts(const std::filesystem::path& data) {
    AddUser(data, "lasare", "reader", "lasare@exempelby.se", kStaffPassword);
    AddUser(data, "hr", "owner", "hr-chef@exempelby.se", kStaffPassword);
    AddUser(data, "registrator", "clerk", "diarium@exempelby.se", kStaffPassword);
    AddUser(data, "admin", "admin", "admin@exempelby.se", kStaffPassword);
}

std::map<std::string, std::string> As(const std::string& name) {
    if (name.empty()) return {};
    return BasicAuth(name, kStaffPassword);
}

void CorpusServerSuite::SetUpTestSuite() {
    sandbox_ = std::make_unique<Sandbox>();
    CreateCorpusRegistry(Data());
    AddStaffAccounts(Data());
    server_ = std::make_unique<ServerProcess>(STYRDOK_BINARY, Data(),
                                              std::vector<std::string>{"--today", kToday});
}

void CorpusServerSuite::TearDownTestSuite() {
    server_.reset();
    sandbox_.reset();
}

}  // namespace styrdok::testing
