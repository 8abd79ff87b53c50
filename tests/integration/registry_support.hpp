#pragma once

// What the integration tests share: running the styrdok binary on a registry, the sample
// corpus loaded into one, accounts, and reading JSON answers.

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

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

}  // namespace styrdok::testing
