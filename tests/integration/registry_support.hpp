#pragma once

// What the integration tests share: running the styrdok binary on a registry, the sample
// corpus loaded into one, accounts, and reading JSON answers.

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok::testing {

/// The date the tests run on (the server's and import's --today).
inline constexpr const char* kToday = "2026-11-23";

/// The JSON object of an answer (throws when it is not one).
Poco::JSON::Object::Ptr Json(const HttpResponse& response);

/// Runs `styrdok ARGS --data DATA`, with `input` on standard input, and insists that it
/// succeeds (a gtest failure otherwise).
void Styrdok(const std::filesystem::path& data, const std::string& arguments,
             const std::string& input = {});

/// A new registry at `data` with the sample corpus imported as of kToday.
void CreateCorpusRegistry(const std::filesystem::path& data);

/// Adds an account with `styrdok user add` (password on standard input).
void AddUser(const std::filesystem::path& data, const std::string& name, const std::string& role,
             const std::string& email, const std::string& password,
             const std::vector<std::string>& bodies = {});

/// The Authorization header of HTTP Basic for `name` and `password`.
std::map<std::string, std::string> BasicAuth(const std::string& name, const std::string& password);

/// The password of the staff accounts.
inline constexpr const char* kStaffPassword = "hemligt-lösen-1";

/// One account of each role, all with kStaffPassword: "lasare" (reader,
/// lasare@exempelby.se), "hr" (owner, hr-chef@exempelby.se, who owns the HR documents of the
/// corpus by e-mail), "registrator" (clerk, diarium@exempelby.se) and "admin".
void AddStaffAccounts(const std::filesystem::path& data);

/// The HTTP Basic header of staff account `name`; none for "" (nobody signed in).
std::map<std::string, std::string> As(const std::string& name);

/// `text` percent-encoded for a form body (application/x-www-form-urlencoded).
std::string FormEncode(const std::string& text);

/// POSTs `fields` as a form (application/x-www-form-urlencoded) with `headers`.
HttpResponse PostForm(std::uint16_t port, const std::string& target,
                      const std::map<std::string, std::string>& fields,
                      std::map<std::string, std::string> headers = {});

/// The CSRF token in a page's forms (`name="csrf" value="…"`); empty when it has none.
std::string CsrfOf(const std::string& page);

/// A browser's session: its cookie and the token its forms carry.
struct SignedIn {
    std::string cookie;  ///< "styrdok_session=…"
    std::string csrf;
};

/// Signs in through the form of /logga-in; nullopt when that does not answer 303 with a
/// cookie (gtest failures when the cookie is not HttpOnly and SameSite=Strict).
std::optional<SignedIn> SignIn(std::uint16_t port, const std::string& name,
                               const std::string& password);

/// A suite's registry: the sample corpus and the staff accounts, served by one `styrdok
/// serve --today kToday` for the whole suite (its tests must leave it as they found it, or
/// change only what no other test of the suite reads).
class CorpusServerSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    static std::filesystem::path Data() { return *sandbox_ / "registry"; }
    static std::uint16_t Port() { return server_->port(); }

    static inline std::unique_ptr<Sandbox> sandbox_;
    static inline std::unique_ptr<ServerProcess> server_;
};

}  // namespace styrdok::testing
