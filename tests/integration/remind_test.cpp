// `styrdok remind` and the server's daily reminder job against a real SMTP server on loopback
// (aiosmtpd from Debian's python3-aiosmtpd, saving each message in a Maildir): the right
// digests reach the right owners, no reminder is sent twice across runs and restarts, and a
// reminder that could not be sent is sent once the SMTP server is back.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

extern char** environ;

namespace styrdok::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

bool Connects(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool connected =
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

std::uint16_t FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

// aiosmtpd on 127.0.0.1:`port`, each message it accepts a file in `maildir`/new.
class SmtpServer {
public:
    /// `tls` holds a certificate and key (PEM) for STARTTLS, which the server then requires.
    SmtpServer(std::uint16_t port, const std::filesystem::path& maildir,
               const std::vector<std::string>& tls = {}) {
        std::vector<std::string> arguments{kPython, "-m", "aiosmtpd",
                                           "-n",    "-l", "127.0.0.1:" + std::to_string(port)};
        if (tls.size() == 2) {
            arguments.insert(arguments.end(), {"--tlscert", tls[0], "--tlskey", tls[1]});
        }
        arguments.insert(arguments.end(), {"-c", "aiosmtpd.handlers.Mailbox", maildir.string()});
        std::vector<char*> argv;
        for (std::string& argument : arguments) argv.push_back(argument.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, kPython, nullptr, nullptr, argv.data(), environ) != 0) {
            throw std::runtime_error("cannot start aiosmtpd");
        }
        for (int i = 0; i < 200 && !Connects(port); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (!Connects(port)) throw std::runtime_error("aiosmtpd does not answer");
    }
    ~SmtpServer() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

private:
    pid_t pid_ = -1;
};

// Quoted-printable to bytes (soft line breaks joined).
std::string DecodeQuotedPrintable(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '=' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
            i += text[i + 1] == '\r' ? 2 : 1;
        } else if (text[i] == '=' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

struct Mail {
    std::string to;
    std::string cc;
    std::string body;  ///< decoded
};

// The first line of header `name` (case-insensitive) of a message with \n line ends.
std::string HeaderOf(const std::string& message, const std::string& name) {
    std::istringstream lines(message.substr(0, message.find("\n\n")));
    for (std::string line; std::getline(lines, line);) {
        if (line.size() > name.size() && line[name.size()] == ':' &&
            strncasecmp(line.c_str(), name.c_str(), name.size()) == 0) {
            const std::size_t value = line.find_first_not_of(' ', name.size() + 1);
            return value == std::string::npos ? std::string() : line.substr(value);
        }
    }
    return {};
}

// Every message in the Maildir, read each time anew.
std::vector<Mail> Mails(const std::filesystem::path& maildir) {
    std::vector<Mail> mails;
    if (!std::filesystem::exists(maildir / "new")) return mails;
    for (const auto& entry : std::filesystem::directory_iterator(maildir / "new")) {
        std::string message = ReadFile(entry.path());
        std::erase(message, '\r');
        Mail mail;
        mail.to = HeaderOf(message, "To");
        mail.cc = HeaderOf(message, "Cc");
        for (std::string* address : {&mail.to, &mail.cc}) {
            std::erase(*address, '<');
            std::erase(*address, '>');
        }
        mail.body = DecodeQuotedPrintable(message.substr(message.find("\n\n") + 2));
        mails.push_back(mail);
    }
    return mails;
}

RunResult RunRemind(const std::filesystem::path& data, const std::string& today) {
    return Run(std::string(STYRDOK_BINARY) + " remind --today " + today + " --data " +
               ShellQuote(data.string()));
}

void ConfigureMail(const std::filesystem::path& data, const std::string& settings) {
    std::ofstream ini(data / "styrdok.ini", std::ios::app);
    ini << "\n[mail]\n" << settings;
}

class RemindCommand : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (styrdok::testing::Run(std::string(kPython) + " -c 'import aiosmtpd'").exit_code != 0) {
            GTEST_FAIL() << "python3-aiosmtpd is missing (scripts/install-deps installs it)";
        }
    }
    void SetUp() override { CreateCorpusRegistry(data); }

    Sandbox sandbox;
    const std::filesystem::path data = sandbox / "registry";
    const std::filesystem::path maildir = sandbox / "mail";
    const std::uint16_t port = FreePort();
};

TEST_F(RemindCommand, SendsEachOwnerOneDigestOnceAcrossRunsAndServerRestarts) {
    ConfigureMail(data, "smtp_host = 127.0.0.1\nsmtp_port = " + std::to_string(port) +
                            "\nsender = styrdok@exempelby.se\nhour = 0\n");
    SmtpServer smtp(port, maildir);

    RunResult first = RunRemind(data, kToday);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    const std::vector<Mail> mails = Mails(maildir);
    ASSERT_FALSE(mails.empty()) << first.out;
    std::set<std::string> recipients;
    for (const Mail& mail : mails) {
        SCOPED_TRACE(mail.to);
        EXPECT_TRUE(recipients.insert(mail.to).second) << "two digests for one owner";
        EXPECT_NE(mail.body.find("aktualitetsprövning"), std::string::npos) << mail.body;
        // The clerk is copied exactly when something in the digest is overdue.
        EXPECT_EQ(mail.body.find("Försenade") != std::string::npos, !mail.cc.empty()) << mail.body;
    }
    EXPECT_NE(first.out.find(std::to_string(mails.size()) + " sent, 0 failed"), std::string::npos)
        << first.out;
    // On the sample corpus: 21 owners; three of them as examples.
    EXPECT_EQ(mails.size(), 21u);
    std::map<std::string, Mail> by_owner;
    for (const Mail& mail : mails) by_owner[mail.to] = mail;
    const Mail& economy = by_owner["ekonomichef@exempelby.se"];
    EXPECT_EQ(economy.cc, "kansliet@exempelby.se");
    for (const char* id :
         {"(regler-attest)", "(riktlinjer-representation)", "(reglemente-intern-kontroll)"}) {
        EXPECT_NE(economy.body.find(id), std::string::npos) << id << "\n" << economy.body;
    }
    // budget-2027 replaces budget-2026 and is adopted: the old budget is never due again.
    EXPECT_EQ(economy.body.find("(budget-2026)"), std::string::npos) << economy.body;
    const Mail& director = by_owner["kommundirektor@exempelby.se"];
    EXPECT_EQ(director.cc, "");
    EXPECT_NE(director.body.find("(vision-2030)\n  Beslutat av Kommunfullmäktige"),
              std::string::npos)
        << director.body;
    EXPECT_NE(director.body.find("Ska prövas från 2026-10-15, senast 2027-10-15"),
              std::string::npos);
    const Mail& school = by_owner["bun@exempelby.se"];
    EXPECT_EQ(school.cc, "bun.registrator@exempelby.se");
    EXPECT_NE(school.body.find("(taxa-barnomsorg)"), std::string::npos) << school.body;

    // Again, and again from the server's daily job after a restart: nothing new.
    RunResult second = RunRemind(data, kToday);
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_NE(second.out.find("0 sent, 0 failed"), std::string::npos) << second.out;
    {
        ServerProcess server(STYRDOK_BINARY, data, {"--today", kToday});
        for (int i = 0; i < 200 && server.Log().find("reminders: 0 sent") == std::string::npos;
             ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        EXPECT_NE(server.Log().find("reminders: 0 sent, 0 failed"), std::string::npos)
            << server.Log();
    }
    EXPECT_EQ(Mails(maildir).size(), mails.size());

    // Two weeks on, the overdue documents come round again: the server's job sends them at
    // start-up, and `remind` afterwards has nothing left to send.
    const std::string later = "2026-12-07";
    {
        ServerProcess server(STYRDOK_BINARY, data, {"--today", later});
        for (int i = 0; i < 300 && server.Log().find(" sent, ") == std::string::npos; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        EXPECT_NE(server.Log().find(" sent, 0 failed"), std::string::npos) << server.Log();
        EXPECT_EQ(server.Log().find("failed to send"), std::string::npos) << server.Log();
    }
    const std::size_t after_server = Mails(maildir).size();
    EXPECT_GT(after_server, mails.size());
    RunResult third = RunRemind(data, later);
    EXPECT_EQ(third.exit_code, 0) << third.out << third.err;
    EXPECT_NE(third.out.find("0 sent, 0 failed"), std::string::npos) << third.out;
    EXPECT_EQ(Mails(maildir).size(), after_server);
}

TEST_F(RemindCommand, ReportsAFailedSendAndSendsItWhenTheServerIsBack) {
    ConfigureMail(data,
                  "smtp_host = 127.0.0.1\nsmtp_port = " + std::to_string(port) + "\nhour = 0\n");

    RunResult down = RunRemind(data, kToday);
    EXPECT_EQ(down.exit_code, 1) << down.out << down.err;
    EXPECT_NE(down.err.find("failed to send to "), std::string::npos) << down.err;
    EXPECT_NE(down.out.find("0 sent, "), std::string::npos) << down.out;
    {
        // The server's job reports the failure in its log and records nothing either.
        ServerProcess server(STYRDOK_BINARY, data, {"--today", kToday});
        for (int i = 0; i < 300 && server.Log().find(" sent, ") == std::string::npos; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        EXPECT_NE(server.Log().find("reminders: failed to send to "), std::string::npos)
            << server.Log();
        EXPECT_NE(server.Log().find("reminders: 0 sent, 21 failed"), std::string::npos)
            << server.Log();
    }

    SmtpServer smtp(port, maildir);
    RunResult back = RunRemind(data, kToday);
    EXPECT_EQ(back.exit_code, 0) << back.out << back.err;
    const std::size_t sent = Mails(maildir).size();
    EXPECT_GT(sent, 0u);
    EXPECT_NE(back.out.find(std::to_string(sent) + " sent, 0 failed"), std::string::npos)
        << back.out;
    RunResult again = RunRemind(data, kToday);
    EXPECT_NE(again.out.find("0 sent, 0 failed"), std::string::npos) << again.out;
    EXPECT_EQ(Mails(maildir).size(), sent);
}

TEST_F(RemindCommand, SendsOverStartTls) {
    const auto cert = sandbox / "cert.pem";
    const auto key = sandbox / "key.pem";
    if (styrdok::testing::Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
                              "/CN=localhost -keyout " +
                              ShellQuote(key.string()) + " -out " + ShellQuote(cert.string()))
            .exit_code != 0) {
        GTEST_SKIP() << "needs openssl to make a certificate";
    }
    // The certificate names localhost, and is trusted through OpenSSL's SSL_CERT_FILE.
    ConfigureMail(
        data, "smtp_host = localhost\nsmtp_port = " + std::to_string(port) + "\nstarttls = true\n");
    SmtpServer smtp(port, maildir, {cert.string(), key.string()});
    RunResult sent = styrdok::testing::Run("SSL_CERT_FILE=" + ShellQuote(cert.string()) + " " +
                                           std::string(STYRDOK_BINARY) + " remind --today " +
                                           kToday + " --data " + ShellQuote(data.string()));
    EXPECT_EQ(sent.exit_code, 0) << sent.out << sent.err;
    EXPECT_EQ(Mails(maildir).size(), 21u) << sent.out << sent.err;
    // Without trusting the certificate, nothing is sent and the failure is reported.
    RunResult untrusted = RunRemind(data, "2026-12-07");
    EXPECT_EQ(untrusted.exit_code, 1) << untrusted.out << untrusted.err;
    EXPECT_NE(untrusted.err.find("certificate verify failed"), std::string::npos) << untrusted.err;
    EXPECT_EQ(Mails(maildir).size(), 21u);
}

TEST_F(RemindCommand, WritesTheOutboxWithoutAnSmtpServerAndADryRunRecordsNothing) {
    RunResult dry =
        styrdok::testing::Run(std::string(STYRDOK_BINARY) + " remind --dry-run --today " + kToday +
                              " --data " + ShellQuote(data.string()));
    ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
    EXPECT_NE(dry.out.find("would send to "), std::string::npos) << dry.out;
    EXPECT_NE(dry.out.find("Påminnelse om aktualitetsprövning"), std::string::npos) << dry.out;
    EXPECT_FALSE(std::filesystem::exists(data / "outbox"));

    RunResult first = RunRemind(data, kToday);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(data / "outbox")) {
        EXPECT_EQ(entry.path().extension(), ".eml");
        EXPECT_NE(ReadFile(entry.path()).find("Subject: "), std::string::npos);
        ++files;
    }
    EXPECT_GT(files, 0u);
    EXPECT_NE(first.out.find(std::to_string(files) + " sent, 0 failed"), std::string::npos)
        << first.out;
    RunResult second = RunRemind(data, kToday);
    EXPECT_NE(second.out.find("0 sent, 0 failed"), std::string::npos) << second.out;
    EXPECT_EQ(static_cast<std::size_t>(
                  std::distance(std::filesystem::directory_iterator(data / "outbox"), {})),
              files);
}

}  // namespace
}  // namespace styrdok::testing
