#pragma once

// The request target (RFC 9112, origin-form): its path split into decoded segments and its
// query into decoded parameters. Shared by the request handler and the form reader, whose
// url-encoded bodies are read as a query.

#include <string_view>

#include "http.hpp"

namespace styrdok::server {

/// Splits a request target into decoded path segments and query parameters ('+' is a space
/// in the query). Throws Error(kBadInput) for bad percent-encoding or text that is not UTF-8.
void ParseTarget(std::string_view target, Request& request);

}  // namespace styrdok::server
