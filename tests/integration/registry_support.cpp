#include "registry_support.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
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

std::string FormEncode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        }
    }
    return out;
}

HttpResponse PostForm(std::uint16_t port, const std::string& target,
                      const std::map<std::string, std::string>& fields,
                      std::map<std::string, std::string> headers) {
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty()) body += '&';
        body += FormEncode(name) + "=" + FormEncode(value);
    }
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    return HttpRequest(port, "POST", target, headers, body);
}

HttpResponse PostWithFile(std::uint16_t port, const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& fields,
                          const std::string& file_field, const std::string& filename,
                          const std::string& content, std::map<std::string, std::string> headers) {
    const std::string boundary = "----styrdok-test-boundary";
    std::string body;
    for (const auto& [name, value] : fields) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    }
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file_field +
            "\"; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" +
            content + "\r\n--" + boundary + "--\r\n";
    headers["Content-Type"] = "multipart/form-data; boundary=" + boundary;
    return HttpRequest(port, "POST", target, headers, body);
}

void CommitTextWithGit(const std::filesystem::path& data, const std::string& id,
                       const std::string& text) {
    const std::filesystem::path file = data / ".." / "text.md";
    std::ofstream(file, std::ios::binary) << text;
    const std::string git = "git -C " + ShellQuote((data / "repository").string());
    const std::string index = "GIT_INDEX_FILE=" + ShellQuote((data / ".." / "index").string());
    const std::string identity =
        "GIT_AUTHOR_NAME=Äldre GIT_AUTHOR_EMAIL=aldre@exempelby.se "
        "GIT_COMMITTER_NAME=Äldre GIT_COMMITTER_EMAIL=aldre@exempelby.se ";
    // The fanned-out layout, found as documents/.layout tells a person with plain git to.
    const RunResult result =
        Run("set -e; blob=$(" + git + " hash-object -w " + ShellQuote(file.string()) + "); " +
            "bucket=$(printf %s " + ShellQuote(id) + " | " + git +
            " hash-object --stdin | cut -c1-2); " + index + " " + git + " read-tree HEAD; " +
            index + " " + git + " update-index --cacheinfo 100644,$blob,documents/$bucket/" + id +
            "/text.md; tree=$(" + index + " " + git + " write-tree); commit=$(" + identity + git +
            " commit-tree $tree -p HEAD -m 'Text från en äldre version'); " + git +
            " update-ref HEAD $commit");
    ASSERT_EQ(result.exit_code, 0) << result.err;
}

std::string ColumnBomb() {
    std::string text = "# Policy\n\n|";
    for (int i = 0; i < 5000; ++i) text += " a |";
    text += "\n|";
    for (int i = 0; i < 5000; ++i) text += "---|";
    text += "\n";
    for (int i = 0; i < 60000; ++i) text += "| x |\n";
    return text;
}

std::string CsrfOf(const std::string& page) {
    const std::string marker = "name=\"csrf\" value=\"";
    std::size_t at = page.find(marker);
    if (at == std::string::npos) return {};
    at += marker.size();
    return page.substr(at, page.find('"', at) - at);
}

std::optional<SignedIn> SignIn(std::uint16_t port, const std::string& name,
                               const std::string& password) {
    HttpResponse response =
        PostForm(port, "/logga-in", {{"name", name}, {"password", password}, {"next", "/"}});
    if (response.status != 303) return std::nullopt;
    std::string set_cookie = response.Header("set-cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
    SignedIn session;
    session.cookie = set_cookie.substr(0, set_cookie.find(';'));
    // The token forms carry is in every page of a signed-in user.
    session.csrf = CsrfOf(HttpRequest(port, "GET", "/logga-in", {{"Cookie", session.cookie}}).body);
    if (session.csrf.empty()) return std::nullopt;
    return session;
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
